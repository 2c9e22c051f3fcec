package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

class FactorAnalysisTest {
  static final int P = 20;
  static final int K = 3;

  /** x = L z + e with known loadings and uniquenesses in [0.2, 1]; returns {x, L, psi} via fields. */
  static final class Data {
    final double[] l = new double[P * K];
    final double[] psi = new double[P];
    final RowMatrix x;

    Data(int n, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      for (int i = 0; i < l.length; i++) {
        l[i] = rng.nextGaussian();
      }
      for (int j = 0; j < P; j++) {
        psi[j] = 0.2 + 0.8 * rng.nextDouble();
      }
      double[] v = new double[n * P];
      for (int i = 0; i < n; i++) {
        double[] z = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
        for (int j = 0; j < P; j++) {
          double s = 5 + Math.sqrt(psi[j]) * rng.nextGaussian();
          for (int a = 0; a < K; a++) {
            s += l[j * K + a] * z[a];
          }
          v[i * P + j] = s;
        }
      }
      x = RowMatrix.of(n, P, v);
    }
  }

  /** Largest principal angle (degrees) between the column spaces of two p x k matrices. */
  static double largestPrincipalAngle(double[] a, double[] b, int p, int k) {
    RealMatrix qa = new QRDecomposition(matrix(a, p, k)).getQ().getSubMatrix(0, p - 1, 0, k - 1);
    RealMatrix qb = new QRDecomposition(matrix(b, p, k)).getQ().getSubMatrix(0, p - 1, 0, k - 1);
    double[] cos = new SingularValueDecomposition(qa.transpose().multiply(qb)).getSingularValues();
    double smallest = Math.min(1.0, cos[cos.length - 1]);
    return Math.toDegrees(Math.acos(smallest));
  }

  static RealMatrix matrix(double[] a, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(a, i * cols, m[i], 0, cols);
    }
    return new Array2DRowRealMatrix(m, false);
  }

  @Test
  void recoversTheLoadingSubspaceAndTheUniquenesses() {
    Data d = new Data(5_000, 1);
    FactorAnalysis.Model m = FactorAnalysis.fit(d.x, K, FactorAnalysis.Config.defaults());
    double angle = largestPrincipalAngle(d.l, m.loadings(), P, K);
    assertTrue(angle < 3, "largest principal angle " + angle + " degrees");
    double[] psi = m.uniqueness();
    for (int j = 0; j < P; j++) {
      assertEquals(d.psi[j], psi[j], 0.25 * d.psi[j] + 0.05, "uniqueness " + j);
    }
    assertEquals(5.0, m.mean()[0], 0.2);
  }

  @Test
  void emImprovesOnItsProbabilisticPcaStart() {
    Data d = new Data(2_000, 2);
    FactorAnalysis.Model one = FactorAnalysis.fit(d.x, K, new FactorAnalysis.Config(1e9, 1, 1e-3));
    FactorAnalysis.Model full = FactorAnalysis.fit(d.x, K, FactorAnalysis.Config.defaults());
    assertTrue(full.logLikelihood() >= one.logLikelihood(), one.logLikelihood() + " -> " + full.logLikelihood());
    assertEquals(1, one.iterations());
    assertTrue(full.iterations() > 1, "EM iterations " + full.iterations());
  }

  @Test
  void latentsArePosteriorMeansThatTrackTheTrueFactors() {
    Data d = new Data(3_000, 3);
    FactorAnalysis.Model m = FactorAnalysis.fit(d.x, K, FactorAnalysis.Config.defaults());
    RowMatrix z = m.transform(d.x);
    assertEquals(3_000, z.rows());
    assertEquals(K, z.cols());
    // Reconstruction mean + L z explains most of the shared variance: residual variance near psi.
    double res = 0;
    double tot = 0;
    double[] l = m.loadings();
    double[] mu = m.mean();
    for (int i = 0; i < 3_000; i++) {
      for (int j = 0; j < P; j++) {
        double r = mu[j];
        for (int a = 0; a < K; a++) {
          r += l[j * K + a] * z.get(i, a);
        }
        res += Math.pow(d.x.get(i, j) - r, 2);
        tot += Math.pow(d.x.get(i, j) - mu[j], 2);
      }
    }
    assertTrue(res / tot < 0.3, "unexplained fraction " + res / tot);
  }

  @Test
  void rejectsImpossibleSizes() {
    Data d = new Data(100, 4);
    assertThrows(IllegalArgumentException.class, () -> FactorAnalysis.fit(d.x, P, FactorAnalysis.Config.defaults()));
    assertThrows(IllegalArgumentException.class, () -> FactorAnalysis.fit(d.x, 0, FactorAnalysis.Config.defaults()));
    assertThrows(IllegalArgumentException.class,
        () -> FactorAnalysis.fit(RowMatrix.of(3, 4, new double[12]), 1, FactorAnalysis.Config.defaults()));
  }
}
