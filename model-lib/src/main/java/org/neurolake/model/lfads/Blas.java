package org.neurolake.model.lfads;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Row-major single-precision GEMM on {@link Buf} regions through OpenBLAS:
 * {@code C = alpha * op(A) op(B) + beta * C}, op(A) m x k, op(B) k x n, C m x n; {@code lda},
 * {@code ldb}, {@code ldc} are the row strides of the stored (untransposed) matrices.
 */
final class Blas {
  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;

  private Blas() {}

  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Buf a, long aOff, int lda,
      Buf b, long bOff, int ldb, float beta, Buf c, long cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int idx = (int) (cOff + (long) i * ldc + j);
          c.set(idx, beta == 0f ? 0f : beta * c.get(idx));
        }
      }
      return;
    }
    openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
        a.at(0, aOff), lda, b.at(1, bOff), ldb, beta, c.at(2, cOff), ldc);
  }

  /** C (m x n) = A (m x k) B (k x n), or += when {@code accumulate}. */
  static void mul(int m, int n, int k, Buf a, long aOff, int lda, Buf b, long bOff, int ldb, Buf c, long cOff, int ldc,
      boolean accumulate) {
    gemm(false, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, accumulate ? 1f : 0f, c, cOff, ldc);
  }

  /** C (m x n) (+)= A (m x k) B^T, B stored n x k. */
  static void mulTransB(int m, int n, int k, Buf a, long aOff, int lda, Buf b, long bOff, int ldb, Buf c, long cOff,
      int ldc, boolean accumulate) {
    gemm(false, true, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, accumulate ? 1f : 0f, c, cOff, ldc);
  }

  /** C (m x n) (+)= A^T B, A stored k x m, B stored k x n: a weight gradient summed over k rows. */
  static void mulTransA(int m, int n, int k, Buf a, long aOff, int lda, Buf b, long bOff, int ldb, Buf c, long cOff,
      int ldc, boolean accumulate) {
    gemm(true, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, accumulate ? 1f : 0f, c, cOff, ldc);
  }
}
