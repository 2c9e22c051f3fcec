package org.neurolake.sim;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * A simulated comparison of engine settings on one family's real data and model: the family loads
 * its data and cuts it into M shards (one per machine) exactly as for a Spark run; the shards come
 * to the driver once, and every setting (synchronous with a fixed or automatic b, asynchronous)
 * trains from the same initial parameters on the same shards with the same step-time draws.
 */
public final class Simulation {
  private Simulation() {}

  /** The settings to compare: synchronous ones and at most one asynchronous. */
  public record Plan(int machines, List<SyncSimulation> sync, AsyncSimulation async) {
    public Plan {
      if (machines < 1) {
        throw new IllegalArgumentException("at least one machine: " + machines);
      }
      sync = List.copyOf(sync);
    }
  }

  /** The family's spec and every setting's result. */
  public record Outcome(ModelSpec spec, List<SimResult> results) {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  public static Outcome run(SparkSession spark, ModelFamily family, TrainRequest request, Plan plan) {
    // The family cuts M = N + b shards; which split of M is N and b is the simulation's business.
    java.util.Map<String, String> options = new java.util.LinkedHashMap<>(request.trainer().toProperties());
    options.put("workers", Integer.toString(plan.machines()));
    options.put("backups", "0");
    TrainerConfig cfg = TrainerConfig.builder().apply(options).build();
    TrainRequest machines = new TrainRequest(request.lake(), request.dataset(), cfg, request.options());
    Object data = family.load(spark, machines);
    ModelSpec spec = family.spec(data, machines);
    JavaRDD<ExampleShard> rdd = family.shards(data, spec, cfg);
    List<ExampleShard> shards;
    try {
      shards = rdd.collect();
    } finally {
      rdd.unpersist(false);
    }
    TrainingRun.Evaluator evaluator = family.evaluator(data, spec);
    List<SimResult> results = new ArrayList<>();
    for (SyncSimulation s : plan.sync()) {
      results.add(s.run(spec, cfg, new SimWorkers(spec, cfg, shards), evaluator));
    }
    if (plan.async() != null) {
      results.add(plan.async().run(spec, cfg, new SimWorkers(spec, cfg, shards), evaluator));
    }
    return new Outcome(spec, results);
  }
}
