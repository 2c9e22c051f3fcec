package org.neurolake.train;

import java.util.Locale;

/**
 * How a round's accepted results become the new parameters ({@code aggregation} option).
 */
public enum AggregationMode {
  /**
   * Every task's parameters (and averaged optimizer state) travel to the driver, which averages the
   * first N: N vectors through the driver per round. Cheapest for small models (one stage).
   */
  COLLECT,
  /**
   * Results stay in the executors' block managers in S slices; the driver learns only which tasks
   * finished first, and a second stage of S tasks averages slice s of the accepted results each
   * ({@link ShardedAggregation}): one vector through the driver per round.
   */
  SHARDED,
  /** {@link #SHARDED} for models of at least {@code sharded-from-parameters} parameters, else {@link #COLLECT}. */
  AUTO;

  /**
   * The default size from which {@link #AUTO} shards: 4 M parameters, 16 MB a vector, where N = 8
   * collected results with Adam's two moments are about 400 MB through the driver per round.
   */
  public static final long SHARDED_FROM_PARAMETERS = 4_000_000L;

  /** The mode a model of {@code parameters} parameters runs in: COLLECT or SHARDED. */
  public AggregationMode resolve(long parameters, long shardedFromParameters) {
    return switch (this) {
      case AUTO -> parameters >= shardedFromParameters ? SHARDED : COLLECT;
      default -> this;
    };
  }

  static AggregationMode parse(String v) {
    try {
      return valueOf(v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aggregation must be collect, sharded or auto, not '" + v + "'", e);
    }
  }
}
