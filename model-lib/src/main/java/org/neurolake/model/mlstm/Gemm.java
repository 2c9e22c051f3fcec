package org.neurolake.model.mlstm;

import java.util.function.Consumer;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * c = op(a) op(b) + beta c through ND4J's Mmul op, which (unlike {@code Nd4j.gemm}) writes into
 * row-block views of larger c-order arrays, so every time step's product lands in place. Every
 * product's shape is shown to an observer first: that is how a test counts the products a training
 * step really executes, against {@link MlstmNetwork#trainingProducts}.
 */
final class Gemm {
  /** Products with no observer: what a model computes with. */
  static final Gemm ND4J = new Gemm(p -> { });

  private final Consumer<MatrixProduct> observer;

  Gemm(Consumer<MatrixProduct> observer) {
    this.observer = observer;
  }

  void mmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, double beta) {
    observer.accept(new MatrixProduct(transposeA ? a.columns() : a.rows(), transposeB ? b.rows() : b.columns(),
        transposeA ? a.rows() : a.columns(), transposeA, transposeB));
    Nd4j.exec(new Mmul(a, b, c, 1.0, beta, new MMulTranspose(transposeA, transposeB, false)));
  }
}
