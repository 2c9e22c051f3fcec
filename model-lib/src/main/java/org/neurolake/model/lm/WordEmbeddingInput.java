package org.neurolake.model.lm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rows of the word embedding [V, E]; its gradient touches only the rows of the window's words. */
final class WordEmbeddingInput implements InputLayer {
  static final String EMBEDDING = "embedding";

  private final INDArray embedding;

  WordEmbeddingInput(Parameters p) {
    embedding = p.get(EMBEDDING);
  }

  @Override
  public Pass forward(Window w) {
    INDArray x = Nd4j.pullRows(embedding, 1, w.ids());
    return new Pass() {
      @Override
      public INDArray output() {
        return x;
      }

      @Override
      public void backward(INDArray dOutput, Gradients g) {
        RowIndex index = RowIndex.of(w.ids());
        g.rows(EMBEDDING, index.distinct(), index.sum(dOutput));
      }
    };
  }
}
