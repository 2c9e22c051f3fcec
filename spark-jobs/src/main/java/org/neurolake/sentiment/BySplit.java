package org.neurolake.sentiment;

import java.util.Objects;
import java.util.function.Function;
import org.neurolake.pipelines.text.Split;

/** One value per split of a labeled source: what the probe and the baselines train, choose and score on. */
public record BySplit<T>(T train, T dev, T test) {
  public BySplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(dev, "dev");
    Objects.requireNonNull(test, "test");
  }

  public T get(Split split) {
    return switch (split) {
      case TRAIN -> train;
      case DEV -> dev;
      case TEST -> test;
    };
  }

  public <R> BySplit<R> map(Function<T, R> f) {
    return new BySplit<>(f.apply(train), f.apply(dev), f.apply(test));
  }
}
