package org.neurolake.e2e.plugin;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.classifier.ExamplesData;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.ClassificationShards;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/** A model family that exists only in this test's class path, found through META-INF/services. */
public final class SoftmaxFamily implements ModelFamily<SoftmaxSpec, ExamplesData> {
  @Override
  public String name() {
    return "toy-softmax";
  }

  @Override
  public String summary() {
    return "softmax regression on an examples dataset (a test plug-in)";
  }

  @Override
  public Class<SoftmaxSpec> specType() {
    return SoftmaxSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return ExamplesData.reads(lake, dataset);
  }

  @Override
  public ExamplesData load(SparkSession spark, TrainRequest request) {
    return ExamplesData.load(spark, request.lake(), request.dataset());
  }

  @Override
  public SoftmaxSpec spec(ExamplesData data, TrainRequest request) {
    return ModelSpecOptions.apply(new SoftmaxSpec(data.dims(), data.nClasses(), request.trainer().learningRate().base(),
        0.9, request.trainer().seed()), request.options().model());
  }

  @Override
  public JavaRDD<ExampleShard> shards(ExamplesData data, SoftmaxSpec spec, TrainerConfig trainer) {
    return ClassificationShards.of(data.train(), trainer.tasksPerRound(), data.nClasses());
  }

  @Override
  public TrainingRun.Evaluator evaluator(ExamplesData data, SoftmaxSpec spec) {
    return TrainingRun.Evaluator.on(spec.build(), m -> m.evaluate(data.test().batch(0, data.test().size()))
        .entrySet().stream().map(e -> new TrainingRun.Evaluation("test", e.getKey(), e.getValue())).toList());
  }

  @Override
  public Object describe(ExamplesData data) {
    return data.describe();
  }
}
