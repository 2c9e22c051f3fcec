package org.neurolake.model.lm;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The character CNN of {@link CharCnn}: character embedding, one narrow convolution per width as
 * a single matrix product over the stacked shifted embeddings (tanh, then max over positions),
 * highway layers y = t relu(x Wh + bh) + (1 - t) x with t = sigmoid(x Wt + bt), and a projection
 * to the LSTM's input.
 */
final class CharCnnInput implements InputLayer {
  private final CharCnn cnn;
  private final Parameters p;
  private final int length;
  private final int charDim;

  CharCnnInput(CharCnn cnn, Parameters p) {
    this.cnn = cnn;
    this.p = p;
    this.length = cnn.maxWordLength();
    this.charDim = cnn.charEmbedding();
  }

  @Override
  public Pass forward(Window w) {
    int words = w.positions();
    INDArray chars = Nd4j.pullRows(p.get("char_embedding"), 1, w.chars()).reshape('c', words, length, charDim);
    List<Conv> convs = new ArrayList<>();
    List<INDArray> pooled = new ArrayList<>();
    for (int i = 0; i < cnn.widths().size(); i++) {
      Conv c = new Conv(i, cnn.widths().get(i), cnn.filters().get(i), chars);
      convs.add(c);
      pooled.add(c.pooled);
    }
    INDArray x = pooled.size() == 1 ? pooled.get(0) : Nd4j.hstack(pooled);
    List<Highway> highways = new ArrayList<>();
    for (int j = 0; j < cnn.highwayLayers(); j++) {
      Highway h = new Highway(j, x);
      highways.add(h);
      x = h.out;
    }
    INDArray top = x;
    INDArray out = top.mmul(p.get("input_projection")).addiRowVector(p.get("input_projection_bias"));
    return new Pass() {
      @Override
      public INDArray output() {
        return out;
      }

      @Override
      public void backward(INDArray dOut, Gradients g) {
        g.dense("input_projection", Nd4j.gemm(top, dOut, true, false));
        g.dense("input_projection_bias", dOut.sum(0).reshape(1, dOut.size(1)));
        INDArray dx = Nd4j.gemm(dOut, p.get("input_projection"), false, true);
        for (int j = highways.size() - 1; j >= 0; j--) {
          dx = highways.get(j).backward(dx, g);
        }
        INDArray dChars = Nd4j.zeros(chars.dataType(), words, length, charDim);
        int at = 0;
        for (Conv c : convs) {
          c.backward(dx.get(all(), interval(at, at + c.filters)), dChars, g);
          at += c.filters;
        }
        INDArray seg = Nd4j.createFromArray(w.chars());
        g.dense("char_embedding", Nd4j.exec(new UnsortedSegmentSum(dChars.reshape('c', (long) words * length, charDim),
            seg, CharCnn.CHAR_VOCABULARY))[0]);
      }
    };
  }

  /** One width's convolution over all words: [words x positions, width x C] x [width x C, F]. */
  private final class Conv {
    final int filters;
    final int width;
    final String kernelName;
    final String biasName;
    final int positions;
    final INDArray stacked;
    final INDArray activation;
    final INDArray pooled;

    Conv(int i, int width, int filters, INDArray chars) {
      this.width = width;
      this.filters = filters;
      kernelName = ParameterLayout.convKernel(i, width);
      biasName = ParameterLayout.convBias(i, width);
      int words = (int) chars.size(0);
      positions = length - width + 1;
      INDArray[] shifted = new INDArray[width];
      for (int k = 0; k < width; k++) {
        shifted[k] = chars.get(all(), interval(k, k + positions), all());
      }
      stacked = (width == 1 ? shifted[0].dup('c') : Nd4j.concat(2, shifted))
          .reshape('c', (long) words * positions, (long) width * charDim);
      INDArray pre = stacked.mmul(p.get(kernelName)).addiRowVector(p.get(biasName));
      activation = Transforms.tanh(pre, false).reshape('c', words, positions, filters);
      pooled = activation.max(1);
    }

    /** Adds into {@code dChars} [words, length, C] and records the kernel's and bias's gradients. */
    void backward(INDArray dPooled, INDArray dChars, Gradients g) {
      int words = (int) dPooled.size(0);
      INDArray dPooledB = dPooled.dup('c').reshape('c', words, 1, filters).broadcast(words, positions, filters);
      // The gradient goes to the first position holding the maximum, as TensorFlow's max-pool's: padded
      // words repeat equal windows, and with them equal activations.
      INDArray atMax = activation.eq(pooled.reshape('c', words, 1, filters).broadcast(words, positions, filters))
          .castTo(activation.dataType());
      // ND4J's CumSum op, not INDArray.cumsum, which loops over every (word, filter) vector in Java: on
      // PTB (20 x 20 words a step) that loop made a round of 20 steps take 90-99 s instead of 15 s.
      INDArray running = Nd4j.exec(new CumSum(atMax, false, false, 1))[0];
      atMax.muli(running.eq(1.0).castTo(activation.dataType()));
      // d tanh = 1 - a^2
      INDArray dPre = atMax.muli(dPooledB).muli(activation.mul(activation).rsubi(1.0))
          .reshape('c', (long) words * positions, filters);
      g.dense(kernelName, Nd4j.gemm(stacked, dPre, true, false));
      g.dense(biasName, dPre.sum(0).reshape(1, filters));
      INDArray dStacked = Nd4j.gemm(dPre, p.get(kernelName), false, true).reshape('c', words, positions,
          (long) width * charDim);
      for (int k = 0; k < width; k++) {
        dChars.get(all(), interval(k, k + positions), all())
            .addi(dStacked.get(all(), all(), interval(k * charDim, (k + 1) * charDim)));
      }
    }
  }

  private final class Highway {
    final String prefix;
    final INDArray in;
    final INDArray pre;
    final INDArray relu;
    final INDArray gate;
    final INDArray out;

    Highway(int j, INDArray in) {
      prefix = "highway" + j;
      this.in = in;
      pre = in.mmul(p.get(prefix + "_wh")).addiRowVector(p.get(prefix + "_bh"));
      relu = Transforms.relu(pre, true);
      gate = Transforms.sigmoid(in.mmul(p.get(prefix + "_wt")).addiRowVector(p.get(prefix + "_bt")), false);
      // out = gate * relu + (1 - gate) * in = in + gate * (relu - in)
      out = relu.sub(in).muli(gate).addi(in);
    }

    INDArray backward(INDArray dOut, Gradients g) {
      INDArray dPreH = dOut.mul(gate).muli(pre.gt(0).castTo(pre.dataType()));
      INDArray dPreT = dOut.mul(relu.sub(in)).muli(gate).muli(gate.rsub(1.0));
      g.dense(prefix + "_wh", Nd4j.gemm(in, dPreH, true, false));
      g.dense(prefix + "_bh", dPreH.sum(0).reshape(1, dPreH.size(1)));
      g.dense(prefix + "_wt", Nd4j.gemm(in, dPreT, true, false));
      g.dense(prefix + "_bt", dPreT.sum(0).reshape(1, dPreT.size(1)));
      INDArray dIn = dOut.mul(gate.rsub(1.0));
      dIn.addi(Nd4j.gemm(dPreH, p.get(prefix + "_wh"), false, true));
      dIn.addi(Nd4j.gemm(dPreT, p.get(prefix + "_wt"), false, true));
      return dIn;
    }
  }
}
