package org.neurolake.classifier;

import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.ClassificationShards;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * What every classifier family on an {@code examples} dataset shares: it trains on the train split
 * ({@link ClassificationShards}), evaluates the model's own metrics (loss, accuracy) on up to
 * {@link ExamplesData#MAX_TEST} test examples, and records the data's shape. A subclass gives its
 * name and how the request becomes its spec. No {@code data.*} options.
 */
public abstract class ExamplesClassifierFamily<S extends ModelSpec> implements ModelFamily<S, ExamplesData> {
  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return ExamplesData.reads(lake, dataset);
  }

  /** Checks the request's options before any data is read; by default, that there are no {@code data.*} options. */
  protected void checkOptions(TrainRequest request) {
    request.options().requireDataKeys(Set.of());
  }

  @Override
  public final ExamplesData load(SparkSession spark, TrainRequest request) {
    checkOptions(request);
    return ExamplesData.load(spark, request.lake(), request.dataset());
  }

  @Override
  public final JavaRDD<ExampleShard> shards(ExamplesData data, S spec, TrainerConfig trainer) {
    return ClassificationShards.of(data.train(), trainer.tasksPerRound(), data.nClasses());
  }

  @Override
  public final TrainingRun.Evaluator evaluator(ExamplesData data, S spec) {
    return TrainingRun.Evaluator.on(spec.build(), model -> model.evaluate(data.test().batch(0, data.test().size()))
        .entrySet().stream().map(e -> new TrainingRun.Evaluation("test", e.getKey(), e.getValue())).toList());
  }

  @Override
  public final ExamplesData.Description describe(ExamplesData data) {
    return data.describe();
  }
}
