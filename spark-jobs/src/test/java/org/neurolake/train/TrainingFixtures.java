package org.neurolake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.model.mlp.MlpSpec;

/** Small classification shards and a single-process reference of the engine's arithmetic. */
public final class TrainingFixtures {
  private TrainingFixtures() {}

  public static final MlpSpec SPEC = MlpSpec.of(8, List.of(32), 3, 0.01, 7);

  public static DenseShard blobs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
      for (int f = 0; f < 8; f++) {
        x[i * 8 + f] = (float) (r.nextGaussian() + (f % 3 == y[i] ? 1.5 : 0.0));
      }
    }
    return new DenseShard(x, y, 8, 3);
  }

  public static List<ExampleShard> shards(int n, int size) {
    List<ExampleShard> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(blobs(size, 100 + i));
    }
    return out;
  }

  static JavaRDD<ExampleShard> rdd(SparkSession spark, List<ExampleShard> shards) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(shards, shards.size()).cache();
  }

  /** The engine's arithmetic in one process: every task of every round, averaged in task order. */
  public static TrainingState reference(TrainerConfig cfg, List<ExampleShard> shards, int rounds) {
    TrainingState s = BackupWorkerTrainer.initialState(SPEC);
    for (int r = 0; r < rounds; r++) {
      double[] p = new double[s.parameters().length];
      double[] o = new double[s.optimizerState().length];
      for (int t = 0; t < cfg.workers(); t++) {
        var m = SPEC.build();
        m.setParameters(s.parameters());
        m.setOptimizerState(s.optimizerState());
        m.setStep((long) r * cfg.localSteps());
        m.setLearningRate(cfg.learningRate().rate(r, cfg.rounds()));
        long cursor = (long) r * cfg.localSteps() * cfg.batchSize();
        for (int k = 0; k < cfg.localSteps(); k++) {
          m.fit(shards.get(t).batch((int) ((cursor + (long) k * cfg.batchSize()) % shards.get(t).size()), cfg.batchSize()));
        }
        float[] mp = m.parameters();
        float[] mo = m.optimizerState();
        for (int i = 0; i < p.length; i++) {
          p[i] += mp[i];
        }
        for (int i = 0; i < o.length; i++) {
          o[i] += mo[i];
        }
      }
      float[] pf = new float[p.length];
      float[] of = new float[o.length];
      for (int i = 0; i < p.length; i++) {
        pf[i] = (float) (p[i] / cfg.workers());
      }
      for (int i = 0; i < o.length; i++) {
        of[i] = (float) (o[i] / cfg.workers());
      }
      s = new TrainingState(r + 1, pf, of, r + 1);
    }
    return s;
  }
}
