package org.neurolake.family;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.pipelines.table.TableDef;

/**
 * How a trained model of a family is applied to a table ({@code infer}). The generic job loads the
 * run's newest valid checkpoint, asks for the {@link #parts} to write, maps each part's input rows
 * through {@link #function} on the executors (the model built once per Spark partition from the
 * broadcast spec and parameters: {@link ModelBroadcast}) and commits each part's output partition
 * atomically.
 */
public interface Inference<S extends ModelSpec> {
  /** The table the outputs go to. */
  TableDef output();

  /** The output partitions to write and their input rows, for the request. */
  List<InferencePart> parts(SparkSession spark, InferenceRequest request, S spec);

  /** The per-partition computation, shipped to the executors (capture only serializable values). */
  ModelRowFunction<S> function(InferenceRequest request, S spec);
}
