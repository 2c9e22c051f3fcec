package org.neurolake.family;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.neurolake.model.api.ModelSpec;

/**
 * A trained model shipped to the executors once (its spec and parameters as broadcast variables)
 * and applied to the partitions of an RDD: the one way inference jobs run a model over a table.
 * Closing it releases the broadcasts; RDDs mapped with it must be computed before.
 */
public final class ModelBroadcast<S extends ModelSpec> implements AutoCloseable {
  private final Broadcast<S> spec;
  private final Broadcast<float[]> parameters;

  private ModelBroadcast(Broadcast<S> spec, Broadcast<float[]> parameters) {
    this.spec = spec;
    this.parameters = parameters;
  }

  public static <S extends ModelSpec> ModelBroadcast<S> of(JavaSparkContext jsc, TrainedModel<S> model) {
    return new ModelBroadcast<>(jsc.broadcast(model.spec()), jsc.broadcast(model.parameters()));
  }

  /** {@code rows} mapped partition by partition through {@code function}, lazily. */
  public JavaRDD<Row> map(JavaRDD<Row> rows, ModelRowFunction<S> function) {
    Broadcast<S> s = spec;
    Broadcast<float[]> p = parameters;
    return rows.mapPartitions(it -> function.apply(s.value(), p.value(), it));
  }

  @Override
  public void close() {
    spec.unpersist(false);
    parameters.unpersist(false);
  }
}
