package org.neurolake.pipelines.synthetic;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.pipelines.spikes.SpikeTrial;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;

/** Generates a chaotic-RNN session in parallel (one task per group of conditions) into spike_trials and truth. */
public final class SyntheticSpikes {
  private SyntheticSpikes() {}

  public record Result(long trials, long spikes, Path spikeTrials, Path truth) {}

  public static JavaRDD<ChaoticRnnGenerator.Trial> generate(JavaSparkContext jsc, ChaoticRnnConfig cfg) {
    List<Integer> conditions = IntStream.range(0, cfg.conditions()).boxed().toList();
    int slices = Math.max(1, Math.min(cfg.conditions(), jsc.defaultParallelism() * 4));
    return jsc.parallelize(conditions, slices)
        .mapPartitions(it -> {
          ChaoticRnnGenerator gen = new ChaoticRnnGenerator(cfg);
          java.util.ArrayList<ChaoticRnnGenerator.Trial> out = new java.util.ArrayList<>();
          it.forEachRemaining(c -> out.addAll(gen.condition(c)));
          return out.iterator();
        });
  }

  public static Row truthRow(ChaoticRnnGenerator.Trial t, int nLatents, double magnitude) {
    SpikeTrial s = t.spikes();
    return RowFactory.create(s.trial(), s.condition(), s.nNeurons(), s.nBins(), s.binMs(),
        boxed(t.ratesHz()), nLatents, boxed(t.latents()), t.inputBin(), magnitude);
  }

  public static Result run(SparkSession spark, Lake lake, String session, ChaoticRnnConfig cfg) {
    PartitionKey.requireSafe(session);
    double chaos = new ChaoticRnnGenerator(cfg).chaosScore();
    if (chaos < ChaoticRnnGenerator.MIN_CHAOS_SCORE) {
      throw new org.neurolake.pipelines.quarantine.BadInputException(String.format(
          "the RNN drawn with seed %d is not chaotic (late-trial latent variance %.2g < %.2g): its activity settles"
              + " to a fixed point, which is not the paper's benchmark; choose another --seed", cfg.seed(), chaos,
          ChaoticRnnGenerator.MIN_CHAOS_SCORE));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<ChaoticRnnGenerator.Trial> trials = generate(jsc, cfg).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      PartitionCommitter committer = new PartitionCommitter(jsc.hadoopConfiguration());
      PartitionCommitter.Staged spikes = committer.stage(
          spark.createDataFrame(trials.map(t -> t.spikes().toRow()), LakeTables.SPIKE_TRIALS.dataSchema()),
          lake, LakeTables.SPIKE_TRIALS, PartitionKey.of(LakeTables.SPIKE_TRIALS, session));
      int n = cfg.nNeurons();
      double mag = cfg.inputMagnitude();
      PartitionCommitter.Staged truth;
      try {
        truth = committer.stage(
            spark.createDataFrame(trials.map(t -> truthRow(t, n, mag)), LakeTables.TRUTH.dataSchema()),
            lake, LakeTables.TRUTH, PartitionKey.of(LakeTables.TRUTH, session));
      } catch (RuntimeException e) {
        spikes.abort();
        throw e;
      }
      long count = trials.count();
      long nSpikes = trials.map(t -> t.spikes().total()).fold(0L, Long::sum);
      List<Path> committed = PartitionCommitter.commitAll(truth, spikes);
      Path t = committed.get(0);
      Path s = committed.get(1);
      return new Result(count, nSpikes, s, t);
    } finally {
      trials.unpersist(false);
    }
  }

  private static Double[] boxed(double[] a) {
    Double[] out = new Double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
