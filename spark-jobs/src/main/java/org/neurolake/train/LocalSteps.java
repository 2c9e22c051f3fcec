package org.neurolake.train;

import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.TrainableModel;

/**
 * A worker's arithmetic in one round: set the model to the round's starting point, then K local
 * steps on its shard, each on the next {@code batchSize} examples from the round's cursor (round r
 * reads from example {@code r * K * batchSize}, wrapping around the shard). The Spark engine's
 * tasks ({@link RoundTask}) and the simulated engines run exactly this, so a simulated run's
 * updates are the real ones.
 */
public final class LocalSteps {
  private LocalSteps() {}

  /** Sets the model to the round's parameters, optimizer state, step counter and learning rate. */
  public static void start(TrainableModel model, RoundInput in, float[] optimizerState) {
    model.setParameters(in.parameters());
    model.setOptimizerState(optimizerState);
    model.setStep(in.step());
    model.setLearningRate(in.learningRate());
  }

  /**
   * K local steps of round {@code round}; the mean training loss over them, or empty when
   * {@code interrupted} turned true before a step.
   */
  public static OptionalDouble run(TrainableModel model, ExampleShard shard, TrainerConfig cfg, int round,
      BooleanSupplier interrupted) {
    long cursor = (long) round * cfg.localSteps() * cfg.batchSize();
    double lossSum = 0;
    for (int k = 0; k < cfg.localSteps(); k++) {
      if (interrupted.getAsBoolean()) {
        return OptionalDouble.empty();
      }
      int from = (int) ((cursor + (long) k * cfg.batchSize()) % shard.size());
      lossSum += model.fit(shard.batch(from, cfg.batchSize()));
    }
    return OptionalDouble.of(lossSum / cfg.localSteps());
  }
}
