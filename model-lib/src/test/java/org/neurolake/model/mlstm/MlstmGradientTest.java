package org.neurolake.model.mlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;

/**
 * Gradients: the double-precision reference against central finite differences for every
 * parameter, and the fast float model against the reference (loss, every parameter group, with
 * padding and carried state), at a hidden size below one SIMD vector and at one with a partial tail,
 * on both compute paths (fused-cpu and nd4j).
 */
class MlstmGradientTest {
  static MlstmSpec tinySpec(int hidden, int embedding) {
    return new MlstmSpec(hidden, embedding, 1e-3, 0.9, 0.999, 1e-8, 0, 5, 11);
  }

  /** The groups of a layout: name -> [from, to). */
  static Map<String, int[]> groups(ParameterLayout l) {
    Map<String, int[]> g = new LinkedHashMap<>();
    g.put("embedding", new int[] {l.embeddingOffset(), l.wxOffset()});
    g.put("wx", new int[] {l.wxOffset(), l.gxOffset()});
    g.put("gx", new int[] {l.gxOffset(), l.whOffset()});
    g.put("wh", new int[] {l.whOffset(), l.ghOffset()});
    g.put("gh", new int[] {l.ghOffset(), l.wmxOffset()});
    g.put("wmx", new int[] {l.wmxOffset(), l.gmxOffset()});
    g.put("gmx", new int[] {l.gmxOffset(), l.wmhOffset()});
    g.put("wmh", new int[] {l.wmhOffset(), l.gmhOffset()});
    g.put("gmh", new int[] {l.gmhOffset(), l.biasOffset()});
    g.put("bias", new int[] {l.biasOffset(), l.woutOffset()});
    g.put("wout", new int[] {l.woutOffset(), l.boutOffset()});
    g.put("bout", new int[] {l.boutOffset(), l.size()});
    return g;
  }

  /** Parameters with every group away from its initial special values (gains 1, biases 0). */
  static float[] randomParameters(ParameterLayout l, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[l.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (r.nextGaussian() * 0.5);
    }
    for (int i = l.gxOffset(); i < l.whOffset(); i++) {
      p[i] = (float) (0.5 + r.nextDouble());
    }
    return p;
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** A chunk over a small alphabet of bytes; row 1 ends early (padding), row 2 is padded from the middle on. */
  static MlstmReference.Chunk chunk(int n, int steps, long seed, boolean withInitialState, int hidden) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] bytes = new int[n][steps];
    int[][] targets = new int[n][steps];
    boolean[][] mask = new boolean[n][steps];
    for (int b = 0; b < n; b++) {
      int valid = b == 1 ? steps - 2 : b == 2 ? steps / 2 : steps;
      for (int t = 0; t < steps; t++) {
        bytes[b][t] = 90 + r.nextInt(12);
        targets[b][t] = 90 + r.nextInt(12);
        mask[b][t] = t < valid;
      }
    }
    double[][] c0 = null;
    double[][] h0 = null;
    if (withInitialState) {
      c0 = new double[n][hidden];
      h0 = new double[n][hidden];
      for (int b = 0; b < n; b++) {
        for (int j = 0; j < hidden; j++) {
          c0[b][j] = r.nextGaussian();
          h0[b][j] = Math.tanh(r.nextGaussian());
        }
      }
    }
    return new MlstmReference.Chunk(bytes, targets, mask, c0, h0);
  }

  static Batch batchOf(MlstmReference.Chunk ch, boolean[] continues) {
    int n = ch.rows();
    int steps = ch.steps();
    float[] x = new float[n * steps];
    float[] y = new float[n * steps];
    float[] m = new float[n * steps];
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        x[b * steps + t] = ch.bytes()[b][t];
        y[b * steps + t] = ch.targets()[b][t];
        m[b * steps + t] = ch.mask()[b][t] ? 1 : 0;
      }
    }
    return new Batch(Nd4j.create(x, new long[] {n, steps}, 'c'), Nd4j.create(y, new long[] {n, steps}, 'c'), null,
        Nd4j.create(m, new long[] {n, steps}, 'c'), continues);
  }

  @Test
  void referenceGradientMatchesFiniteDifferencesForEveryParameter() {
    ParameterLayout l = ParameterLayout.of(tinySpec(8, 4));
    MlstmReference ref = new MlstmReference(l);
    double[] p = toDouble(randomParameters(l, 3));
    MlstmReference.Chunk ch = chunk(3, 5, 4, true, 8);
    double[] analytic = ref.run(p, ch).gradient();
    double eps = 1e-5;
    for (Map.Entry<String, int[]> g : groups(l).entrySet()) {
      double worst = 0;
      double largest = 0;
      for (int i : indicesToCheck(g.getValue()[0], g.getValue()[1], analytic)) {
        double keep = p[i];
        p[i] = keep + eps;
        double up = ref.loss(p, ch);
        p[i] = keep - eps;
        double down = ref.loss(p, ch);
        p[i] = keep;
        double numeric = (up - down) / (2 * eps);
        worst = Math.max(worst, Math.abs(numeric - analytic[i]));
        largest = Math.max(largest, Math.abs(analytic[i]));
      }
      assertTrue(largest > 1e-4, g.getKey() + " has no gradient to check (largest " + largest + ")");
      assertTrue(worst < 1e-7 + 1e-6 * largest, g.getKey() + ": finite differences differ by " + worst
          + " (largest gradient " + largest + ")");
    }
  }

  /** Every index of a small group; of a large one, 150 at random and every one with a gradient above 1e-3. */
  private static int[] indicesToCheck(int from, int to, double[] analytic) {
    if (to - from <= 300) {
      return java.util.stream.IntStream.range(from, to).toArray();
    }
    SplittableRandom r = new SplittableRandom(from);
    return java.util.stream.IntStream.concat(r.ints(150, from, to),
        java.util.stream.IntStream.range(from, to).filter(i -> Math.abs(analytic[i]) > 1e-3)).distinct().toArray();
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void fastModelMatchesReferenceBelowOneVector(ComputePath path) {
    compareWithReference(8, 4, 3, 5, path);
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void fastModelMatchesReferenceWithPartialVectors(ComputePath path) {
    compareWithReference(20, 5, 4, 6, path);
  }

  private void compareWithReference(int hidden, int embedding, int n, int steps, ComputePath path) {
    MlstmSpec spec = tinySpec(hidden, embedding).withCompute(path);
    ParameterLayout l = ParameterLayout.of(spec);
    MlstmReference ref = new MlstmReference(l);
    float[] pf = randomParameters(l, 5);
    double[] p = toDouble(pf);
    MlstmModel model = new MlstmModel(spec);
    assertEquals(path, model.computePath());
    model.setParameters(pf);

    // First chunk from zeros, then a second one where rows 0 and 2 continue and row 1 restarts.
    MlstmReference.Chunk first = chunk(n, steps, 6, false, hidden);
    float[] grad = new float[l.size()];
    double loss1 = model.lossAndGradient(batchOf(first, null), grad);
    MlstmReference.Result r1 = ref.run(p, first);
    assertEquals(r1.loss(), loss1, 1e-5 * Math.abs(r1.loss()), "loss of the first chunk");
    assertGradientsMatch(l, r1.gradient(), grad, "first chunk");

    MlstmReference.Chunk second = chunk(n, steps, 7, false, hidden);
    boolean[] continues = new boolean[n];
    double[][] c0 = new double[n][hidden];
    double[][] h0 = new double[n][hidden];
    for (int b = 0; b < n; b++) {
      continues[b] = b != 1;
      if (continues[b]) {
        c0[b] = r1.finalC()[b];
        h0[b] = r1.finalH()[b];
      }
    }
    MlstmReference.Chunk secondRef = new MlstmReference.Chunk(second.bytes(), second.targets(), second.mask(), c0, h0);
    double loss2 = model.lossAndGradient(batchOf(second, continues), grad);
    MlstmReference.Result r2 = ref.run(p, secondRef);
    assertEquals(r2.loss(), loss2, 1e-5 * Math.abs(r2.loss()), "loss of the continuing chunk");
    assertGradientsMatch(l, r2.gradient(), grad, "continuing chunk");
  }

  static void assertGradientsMatch(ParameterLayout l, double[] expected, float[] actual, String what) {
    for (Map.Entry<String, int[]> g : groups(l).entrySet()) {
      double worst = 0;
      double largest = 0;
      for (int i = g.getValue()[0]; i < g.getValue()[1]; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        largest = Math.max(largest, Math.abs(expected[i]));
      }
      assertTrue(largest > 1e-5, what + ", " + g.getKey() + ": no gradient to compare");
      assertTrue(worst <= 2e-4 * largest, what + ", " + g.getKey() + ": fast model differs from the reference by "
          + worst + " (largest gradient " + largest + ")");
    }
  }
}
