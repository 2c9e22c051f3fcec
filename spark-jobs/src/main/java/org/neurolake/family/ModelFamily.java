package org.neurolake.family;

import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * A model family as the pipeline's jobs see it: everything {@code train --family <name>} and
 * {@code infer} need, and nothing else. Families are found by name with
 * {@link java.util.ServiceLoader} ({@link ModelFamilies}); an implementation is listed in
 * {@code META-INF/services/org.neurolake.family.ModelFamily} and has a public no-argument
 * constructor. Its spec type is registered separately, in model-lib, through
 * {@link org.neurolake.model.api.ModelSpecType}.
 *
 * <p>The generic training job calls, in order: {@link #load} (once, on the driver), {@link #spec},
 * {@link #shards}, {@link #evaluator} and {@link #describe}; then the engine trains. Guarantees a
 * family gives:
 * <ul>
 *   <li>{@link #spec} is a function of the data's shape and the request: a resumed run rebuilds the
 *       same spec (the engine refuses a checkpoint of another spec).</li>
 *   <li>{@link #shards} returns exactly {@code trainer.tasksPerRound()} partitions of one shard each,
 *       persisted; the caller unpersists them.</li>
 *   <li>{@link #describe} is what a reader of the run needs to recompute its data split later (the
 *       inference and evaluation jobs read it back from the run record).</li>
 * </ul>
 *
 * @param <S> the family's spec type
 * @param <D> what {@link #load} reads: the family's view of its training data
 */
public interface ModelFamily<S extends ModelSpec, D> {
  /** {@code train --family <name>}; also the {@code evaluations} partition of the family's runs. */
  String name();

  /** One line for {@code train --help}: what the family is and what {@code --dataset} names. */
  String summary();

  /** The spec class this family trains (a run's checkpoint holds one of these). */
  Class<S> specType();

  /** What a run of {@code dataset} reads, for {@code --dry-run}. */
  List<DataRead> reads(Lake lake, String dataset);

  /**
   * The name written with every evaluation of a run on {@code dataset}; by default the dataset itself.
   */
  default String datasetLabel(String dataset) {
    return dataset;
  }

  /** Reads and checks the run's data; validates {@code request.data()} (unknown keys are errors). */
  D load(SparkSession spark, TrainRequest request);

  /** The spec to train: defaults sized by the data, then the request's {@code model.*} options. */
  S spec(D data, TrainRequest request);

  /** The data as the engine's N+b shards, cached. */
  JavaRDD<ExampleShard> shards(D data, S spec, TrainerConfig trainer);

  /** The run's periodic and final evaluation (validation data, or held-out data when the family has no validation split). */
  TrainingRun.Evaluator evaluator(D data, S spec);

  /** The data facts the run record keeps (a Jackson-serializable record). */
  Object describe(D data);

  /** How a trained model of this family is applied to a table, if it can be. */
  default Optional<Inference<S>> inference() {
    return Optional.empty();
  }

  /**
   * The search a run that names none ({@code --search} not given) gets: population-based training on
   * small training sets, see {@link org.neurolake.pbt.DefaultSearch}; empty (the default): always one run.
   */
  default Optional<org.neurolake.pbt.DefaultSearch> defaultSearch() {
    return Optional.empty();
  }
}
