package org.neurolake.model.mlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;

/**
 * The nd4j path against the fused CPU path on the same batches: the same loss, the same gradient
 * of every parameter group (float tolerance relative to that group's largest |gradient|), over a
 * chunk from zeros and a continuing one with padding; and the same parameters and optimizer state
 * after three Adam steps, once with clipping active and once without.
 */
class Nd4jMlstmPassTest {
  /** Gradients: each group's worst difference at most this times its largest |gradient|. */
  static final double GRADIENT_TOLERANCE = 1e-4;

  private static MlstmModel model(MlstmSpec spec, ComputePath path, float[] params) {
    MlstmModel m = new MlstmModel(spec.withCompute(path));
    assertEquals(path, m.computePath());
    m.setParameters(params);
    return m;
  }

  @Test
  void sameLossAndGradientsAsTheFusedPathWithPaddingAndCarriedState() {
    for (int[] size : new int[][] {{8, 4, 3, 5}, {20, 5, 4, 6}}) {
      int hidden = size[0];
      int n = size[2];
      int steps = size[3];
      MlstmSpec spec = MlstmGradientTest.tinySpec(hidden, size[1]);
      ParameterLayout l = ParameterLayout.of(spec);
      float[] p = MlstmGradientTest.randomParameters(l, 5);
      MlstmModel fused = model(spec, ComputePath.FUSED_CPU, p);
      MlstmModel nd4j = model(spec, ComputePath.ND4J, p);
      boolean[] continues = new boolean[n];
      for (int b = 0; b < n; b++) {
        continues[b] = b != 1;
      }
      Batch[] batches = {MlstmGradientTest.batchOf(MlstmGradientTest.chunk(n, steps, 6, false, hidden), null),
          MlstmGradientTest.batchOf(MlstmGradientTest.chunk(n, steps, 7, false, hidden), continues)};
      for (int k = 0; k < batches.length; k++) {
        String what = "H=" + hidden + ", chunk " + k;
        float[] gf = new float[l.size()];
        float[] gn = new float[l.size()];
        double lf = fused.lossAndGradient(batches[k], gf);
        double ln = nd4j.lossAndGradient(batches[k], gn);
        assertEquals(lf, ln, 1e-5 * Math.abs(lf), what + ": loss");
        assertGroupsMatch(l, gf, gn, GRADIENT_TOLERANCE, what);
        float[] cf = fused.carriedCellState();
        float[] cn = nd4j.carriedCellState();
        for (int i = 0; i < cf.length; i++) {
          assertEquals(cf[i], cn[i], 1e-5 * (1 + Math.abs(cf[i])), what + ": carried c[" + i + "]");
        }
      }
    }
  }

  static void assertGroupsMatch(ParameterLayout l, float[] expected, float[] actual, double tolerance, String what) {
    for (Map.Entry<String, int[]> g : MlstmGradientTest.groups(l).entrySet()) {
      double worst = 0;
      double largest = 0;
      for (int i = g.getValue()[0]; i < g.getValue()[1]; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        largest = Math.max(largest, Math.abs(expected[i]));
      }
      assertTrue(largest > 1e-6, what + ", " + g.getKey() + ": nothing to compare");
      assertTrue(worst <= tolerance * largest, what + ", " + g.getKey() + ": nd4j differs from fused by " + worst
          + " (largest " + largest + ", tolerance " + tolerance + " of it)");
    }
  }

  @Test
  void sameParametersAndAdamStateAfterThreeStepsWithAndWithoutClipping() {
    // epsilon 1e-3: an Adam update divides by sqrt(v) + epsilon, so a gradient value at float noise
    // (1e-8) would otherwise move its parameter by up to lr; with it, by at most lr 1e-5.
    for (double clip : new double[] {0.05, 0}) {
      MlstmSpec spec = new MlstmSpec(12, 6, 1e-2, 0.9, 0.999, 1e-3, clip, 5, 3);
      ParameterLayout l = ParameterLayout.of(spec);
      float[] p = MlstmGradientTest.randomParameters(l, 9);
      MlstmModel fused = model(spec, ComputePath.FUSED_CPU, p);
      MlstmModel nd4j = model(spec, ComputePath.ND4J, p);
      for (int s = 0; s < 3; s++) {
        boolean[] continues = s == 0 ? null : new boolean[] {true, true, false};
        Batch batch = MlstmGradientTest.batchOf(MlstmGradientTest.chunk(3, 5, 20 + s, false, 12), continues);
        double lf = fused.fit(batch);
        double ln = nd4j.fit(batch);
        assertEquals(lf, ln, 1e-5 * Math.abs(lf), "clip " + clip + ", loss of step " + s);
        assertEquals(fused.lastGradientNorm(), nd4j.lastGradientNorm(), 1e-5 * fused.lastGradientNorm());
        if (clip > 0) {
          assertTrue(fused.lastGradientNorm() > clip, "clipping is active: norm " + fused.lastGradientNorm());
        }
      }
      float[] pf = fused.parameters();
      float[] pn = nd4j.parameters();
      double worst = 0;
      double moved = 0;
      for (int i = 0; i < pf.length; i++) {
        worst = Math.max(worst, Math.abs(pf[i] - pn[i]));
        moved = Math.max(moved, Math.abs(pf[i] - p[i]));
      }
      assertTrue(moved > 1e-2, "three steps of lr 1e-2 moved the parameters by " + moved);
      assertTrue(worst <= 1e-6, "clip " + clip + ": parameters differ by " + worst + " after 3 steps");
      float[] sf = fused.optimizerState();
      float[] sn = nd4j.optimizerState();
      for (int half = 0; half < 2; half++) {
        double worstState = 0;
        double largest = 0;
        for (int i = half * pf.length; i < (half + 1) * pf.length; i++) {
          worstState = Math.max(worstState, Math.abs(sf[i] - sn[i]));
          largest = Math.max(largest, Math.abs(sf[i]));
        }
        assertTrue(worstState <= GRADIENT_TOLERANCE * largest, "clip " + clip + ", Adam " + (half == 0 ? "m" : "v")
            + " differs by " + worstState + " (largest " + largest + ")");
      }
    }
  }
}
