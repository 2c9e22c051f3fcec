package org.neurolake.model.lm;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Turns a window's input words into the first LSTM's inputs, [positions, embeddingSize]. */
interface InputLayer {
  Pass forward(Window w);

  /** One forward pass, holding what its backward pass needs. */
  interface Pass {
    INDArray output();

    /** Adds this layer's parameter gradients to {@code g}, given the gradient on {@link #output()}. */
    void backward(INDArray dOutput, Gradients g);
  }
}
