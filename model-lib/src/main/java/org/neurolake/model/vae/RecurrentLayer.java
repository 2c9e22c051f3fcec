package org.neurolake.model.vae;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.lm.Gradients;
import org.neurolake.model.lm.LstmpLayer;
import org.neurolake.model.lm.Parameters;

/**
 * The sentence VAE's recurrent layer (encoder or decoder) whichever its cell: a state of
 * {@link #stateSize()} values per sentence (the LSTM's c then h, the GRU's h), outputs h [T n, H]
 * over a window's steps, and backpropagation through them to the inputs, the parameters and the
 * initial state.
 */
interface RecurrentLayer {
  int stateSize();

  /** Runs the layer over {@code steps} steps from {@code state0} [n, stateSize]; x is [T n, I], time-major. */
  Pass forward(INDArray x, INDArray state0, int n, int steps);

  interface Pass {
    /** h of steps 0 .. T-1 [T n, H]. */
    INDArray output();

    /** The state after the last step [n, stateSize]. */
    INDArray finalState();

    /** Records the parameter gradients given the gradient on {@link #output()}; returns the gradient on x. */
    INDArray backward(INDArray dOutput, Gradients g);

    /** The gradient on the initial state [n, stateSize] of the last {@link #backward}. */
    INDArray dInitialState();
  }

  /** The layer of {@code cell} whose groups are {@code <prefix>_wx}, {@code _wr}, {@code _bias}. */
  static RecurrentLayer of(SentenceVaeSpec.Cell cell, String prefix, int hidden, Parameters p) {
    return cell == SentenceVaeSpec.Cell.GRU ? new GruLayer(prefix, hidden, p) : new Lstm(prefix, hidden, p);
  }

  /** The word LM's {@link LstmpLayer} without projection; the state is (c, h). */
  final class Lstm implements RecurrentLayer {
    private final LstmpLayer layer;
    private final int hidden;

    Lstm(String prefix, int hidden, Parameters p) {
      this.layer = new LstmpLayer(prefix, hidden, 0, p);
      this.hidden = hidden;
    }

    @Override
    public int stateSize() {
      return 2 * hidden;
    }

    @Override
    public Pass forward(INDArray x, INDArray state0, int n, int steps) {
      INDArray c0 = state0.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(0, hidden)).dup('c');
      INDArray h0 = state0.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(hidden, 2 * hidden)).dup('c');
      LstmpLayer.Pass pass = layer.forward(x, c0, h0, n, steps);
      return new Pass() {
        @Override
        public INDArray output() {
          return pass.output();
        }

        @Override
        public INDArray finalState() {
          return Nd4j.hstack(pass.finalC(), pass.finalR());
        }

        @Override
        public INDArray backward(INDArray dOutput, Gradients g) {
          return pass.backward(dOutput, g);
        }

        @Override
        public INDArray dInitialState() {
          return Nd4j.hstack(pass.dInitialC(), pass.dInitialR());
        }
      };
    }
  }
}
