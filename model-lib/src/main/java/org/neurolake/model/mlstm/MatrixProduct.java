package org.neurolake.model.mlstm;

/**
 * The shape of one matrix product c[m, n] = op(a)[m, k] op(b)[k, n], with whether a and b are
 * read transposed: what a GEMM's speed depends on.
 */
public record MatrixProduct(long m, long n, long k, boolean transposeA, boolean transposeB) {
  public MatrixProduct {
    if (m < 1 || n < 1 || k < 1) {
      throw new IllegalArgumentException("a product needs m, n, k >= 1: " + m + ", " + n + ", " + k);
    }
  }

  /** Multiply-add floating-point operations of the product (2 m n k). */
  public double flops() {
    return 2.0 * m * n * k;
  }
}
