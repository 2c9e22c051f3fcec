package org.neurolake.model.mlstm;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * c = op(a) op(b) + beta c through ND4J's Mmul op, which (unlike {@code Nd4j.gemm}) writes into
 * row-block views of larger c-order arrays, so every time step's product lands in place.
 */
final class Gemm {
  private Gemm() {}

  static void mmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, double beta) {
    Nd4j.exec(new Mmul(a, b, c, 1.0, beta, new MMulTranspose(transposeA, transposeB, false)));
  }

  /** Multiply-add floating-point operations of such a product (2 m n k). */
  static double flops(long m, long n, long k) {
    return 2.0 * m * n * k;
  }
}
