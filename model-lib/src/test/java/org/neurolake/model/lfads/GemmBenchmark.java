package org.neurolake.model.lfads;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares three ways to run the model's matrix products (not a unit test; run its main on the test
 * classpath): plain Java loops over float[], {@code Nd4j.gemm} on preallocated INDArrays, and
 * OpenBLAS's sgemm through {@link Blas} on off-heap buffers. Shapes m x n x k: the per-step
 * recurrent products of a 64-trial batch with 64 units, the all-steps input projection and a
 * weight gradient summed over 6400 rows. Prints microseconds per call and GFLOP/s.
 */
public final class GemmBenchmark {
  private GemmBenchmark() {}

  public static void main(String[] args) {
    int[][] shapes = {{64, 128, 64}, {64, 64, 64}, {6400, 192, 50}, {64, 128, 6400}};
    SplittableRandom rng = new SplittableRandom(1);
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      float[] a = new float[m * k];
      float[] b = new float[k * n];
      float[] c = new float[m * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rng.nextGaussian();
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) rng.nextGaussian();
      }
      INDArray na = Nd4j.create(a, new long[] {m, k}, 'c');
      INDArray nb = Nd4j.create(b, new long[] {k, n}, 'c');
      INDArray nc = Nd4j.create(new long[] {m, n}, 'c');
      Buf ba = new Buf(m * k);
      Buf bb = new Buf(k * n);
      Buf bc = new Buf(m * n);
      ba.copyFrom(a);
      bb.copyFrom(b);
      int reps = (int) Math.max(3, 2e9 / (2.0 * m * n * k));
      double java = 0;
      double nd4j = 0;
      double blas = 0;
      for (int round = 0; round < 3; round++) { // the last round counts (JIT warm-up before)
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
          javaGemm(a, b, c, m, n, k);
        }
        long t1 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
          Nd4j.gemm(na, nb, nc, false, false, 1.0, 0.0);
        }
        long t2 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
          Blas.mul(m, n, k, ba, 0, k, bb, 0, n, bc, 0, n, false);
        }
        long t3 = System.nanoTime();
        java = (t1 - t0) / 1e3 / reps;
        nd4j = (t2 - t1) / 1e3 / reps;
        blas = (t3 - t2) / 1e3 / reps;
      }
      double maxDiff = 0;
      for (int i = 0; i < c.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(c[i] - bc.get(i)));
      }
      double mflop = 2.0 * m * n * k / 1e3;
      System.out.printf("GEMM %dx%dx%d: java %.1f us (%.1f GFLOP/s), Nd4j.gemm %.1f us, OpenBLAS %.1f us (%.1f GFLOP/s),"
          + " max |java - blas| %.1e%n", m, n, k, java, mflop / java, nd4j, blas, mflop / blas, maxDiff);
    }
  }

  private static void javaGemm(float[] a, float[] b, float[] c, int m, int n, int k) {
    for (int i = 0; i < m; i++) {
      int ci = i * n;
      java.util.Arrays.fill(c, ci, ci + n, 0f);
      for (int p = 0; p < k; p++) {
        float av = a[i * k + p];
        int bp = p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
  }
}
