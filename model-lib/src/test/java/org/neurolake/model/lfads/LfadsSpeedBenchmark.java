package org.neurolake.model.lfads;

import org.neurolake.model.api.Batch;

/**
 * Times training epochs of the brief's benchmark shape: 1000 trials x 100 bins x 50 neurons, batch
 * 64, genDim = icEncDim = g0Dim = 64, 16 factors; controller off, then on (ciEncDim = controllerDim
 * = 64, inputDim = 4). Not a unit test; run its main on the test classpath. Prints one line per
 * configuration: {@code BENCH lfads-epoch controller=... epoch_s=... step_ms=...}.
 */
public final class LfadsSpeedBenchmark {
  private LfadsSpeedBenchmark() {}

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    SpikeShard data = LfadsTestData.randomShard(1000, 100, 50, 50, 1);
    for (boolean controller : new boolean[] {false, true}) {
      LfadsSpec.Builder b = LfadsSpec.builder(50, 50).genDim(64).icEncDim(64).g0Dim(64).factors(16).seed(1);
      if (controller) {
        b.controller(64, 64, 4);
      }
      LfadsModel m = b.build().build();
      int batch = 64;
      int steps = (data.size() + batch - 1) / batch;
      for (int s = 0; s < 3; s++) {
        m.fit(data.batch(s * batch, batch)); // warm-up
      }
      double best = Double.MAX_VALUE;
      for (int e = 0; e < epochs; e++) {
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
          Batch bt = data.batch(s * batch, batch);
          m.fit(bt);
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        best = Math.min(best, sec);
        System.out.printf("controller=%s epoch %d: %.2f s%n", controller, e, sec);
      }
      System.out.printf("BENCH lfads-epoch controller=%s params=%d epoch_s=%.2f step_ms=%.1f%n", controller,
          m.parameterCount(), best, 1000 * best / steps);
    }
  }
}
