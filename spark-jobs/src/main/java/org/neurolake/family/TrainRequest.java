package org.neurolake.family;

import java.util.Objects;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;

/**
 * What a training run asks of its family: the lake, the dataset (a session, sources, an examples
 * set: the family says), and the run's options ({@code model.*}, {@code data.*}, the engine's).
 */
public record TrainRequest(Lake lake, String dataset, TrainerConfig trainer, RunOptions options) {
  public TrainRequest {
    Objects.requireNonNull(lake, "lake");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(options, "options");
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("--dataset names no dataset");
    }
  }
}
