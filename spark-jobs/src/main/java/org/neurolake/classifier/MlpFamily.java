package org.neurolake.classifier;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.ClassificationShards;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * The MLP classifier (DL4J) as a model family: trains on the train split of an {@code examples}
 * dataset, evaluates on its test split. {@code model.hidden} sets the hidden layers (default
 * 1024,768); the input and output widths follow from the data.
 */
public final class MlpFamily implements ModelFamily<MlpSpec, ExamplesData> {
  public static final String NAME = "mlp";
  /** The hidden layers when {@code model.hidden} is not set. */
  public static final List<Integer> DEFAULT_HIDDEN = List.of(1024, 768);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "an MLP classifier on an examples dataset (--dataset); model.hidden=1024,768";
  }

  @Override
  public Class<MlpSpec> specType() {
    return MlpSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return ExamplesData.reads(lake, dataset);
  }

  @Override
  public ExamplesData load(SparkSession spark, TrainRequest request) {
    request.options().requireDataKeys(java.util.Set.of());
    return ExamplesData.load(spark, request.lake(), request.dataset());
  }

  @Override
  public MlpSpec spec(ExamplesData data, TrainRequest request) {
    for (String fixed : new String[] {"nIn", "nOut"}) {
      if (request.options().model().containsKey(fixed)) {
        throw new IllegalArgumentException("model." + fixed + " follows from the examples; it cannot be set");
      }
    }
    TrainerConfig tc = request.trainer();
    return ModelSpecOptions.apply(MlpSpec.of(data.dims(), DEFAULT_HIDDEN, data.nClasses(), tc.learningRate().base(),
        tc.seed()), request.options().model());
  }

  @Override
  public JavaRDD<ExampleShard> shards(ExamplesData data, MlpSpec spec, TrainerConfig trainer) {
    return ClassificationShards.of(data.train(), trainer.tasksPerRound(), data.nClasses());
  }

  @Override
  public TrainingRun.Evaluator evaluator(ExamplesData data, MlpSpec spec) {
    return TrainingRun.Evaluator.on(spec.build(), model -> model.evaluate(data.test().batch(0, data.test().size()))
        .entrySet().stream().map(e -> new TrainingRun.Evaluation("test", e.getKey(), e.getValue())).toList());
  }

  @Override
  public ExamplesData.Description describe(ExamplesData data) {
    return data.describe();
  }
}
