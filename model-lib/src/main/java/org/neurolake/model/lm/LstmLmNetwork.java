package org.neurolake.model.lm;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LSTM language model's forward and backward pass over one {@link Window}, in ND4J arrays of
 * the parameters' data type: input layer, input dropout, LSTMP layers with dropout between them,
 * output dropout, softmax.
 */
final class LstmLmNetwork {
  /** Uniform initialization range of the embedding, LSTM and softmax weights (Zaremba et al.'s small model). */
  static final double INIT_SCALE = 0.1;
  /** Highway transform gates start mostly closed (Srivastava et al.). */
  static final double HIGHWAY_GATE_BIAS = -2.0;

  final LstmLmSpec spec;
  final Parameters params;
  private final InputLayer input;
  private final LstmpLayer[] layers;
  private final SoftmaxOutput softmax;

  LstmLmNetwork(LstmLmSpec spec, DataType dataType) {
    this.spec = spec;
    this.params = new Parameters(spec.layout(), dataType);
    params.set(initialParameters(spec));
    input = spec.input() == LstmLmSpec.InputKind.WORD ? new WordEmbeddingInput(params)
        : new CharCnnInput(spec.charCnn(), params);
    layers = new LstmpLayer[spec.layers()];
    for (int l = 0; l < layers.length; l++) {
      layers[l] = new LstmpLayer(l, spec.hiddenSize(), spec.projectionSize(), params);
    }
    softmax = new SoftmaxOutput(params, spec.vocabSize());
  }

  DataType dataType() {
    return params.dataType();
  }

  /**
   * Uniform(-0.1, 0.1) for the embedding, LSTM and softmax weights; the character CNN's kernels,
   * highway and input projection uniform(-1/sqrt(fan-in), +); biases 0 except the highway
   * transform gates' (-2).
   */
  static float[] initialParameters(LstmLmSpec spec) {
    ParameterLayout layout = spec.layout();
    SplittableRandom r = new SplittableRandom(spec.seed());
    float[] p = new float[(int) layout.size()];
    for (ParameterLayout.Group g : layout.groups()) {
      String n = g.name();
      boolean bias = n.endsWith("_bias") || n.endsWith("_bh") || n.endsWith("_bt");
      if (n.endsWith("_bt")) {
        java.util.Arrays.fill(p, g.offset(), g.end(), (float) HIGHWAY_GATE_BIAS);
      } else if (!bias) {
        boolean cnn = n.startsWith("conv") || n.startsWith("highway") || n.equals("input_projection");
        double scale = cnn ? 1 / Math.sqrt(g.rows()) : INIT_SCALE;
        for (int i = g.offset(); i < g.end(); i++) {
          p[i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
      }
    }
    return p;
  }

  /** Zeros for every layer, {@code rows} rows. */
  RecurrentState zeroState(int rows) {
    INDArray[] c = new INDArray[layers.length];
    INDArray[] rr = new INDArray[layers.length];
    for (int l = 0; l < layers.length; l++) {
      c[l] = Nd4j.zeros(dataType(), rows, spec.hiddenSize());
      rr[l] = Nd4j.zeros(dataType(), rows, spec.outputSize());
    }
    return new RecurrentState(c, rr);
  }

  /** How a pass treats its softmax and dropout. */
  record Mode(boolean dropout, long dropoutSeed, NegativeSampler.Draw negatives, boolean gradient) {
    static Mode evaluation() {
      return new Mode(false, 0, null, false);
    }
  }

  /** A pass's summed loss over the counted positions, final state, and gradient (null without). */
  record Result(double lossSum, RecurrentState finalState, Gradients gradients) {}

  Result run(Window w, RecurrentState initial, Mode mode) {
    int n = w.rows();
    int steps = w.steps();
    SplittableRandom dropRandom = new SplittableRandom(mode.dropoutSeed());
    InputLayer.Pass in = input.forward(w);
    INDArray inMask = mode.dropout() ? dropoutMask(w.positions(), spec.embeddingSize(), spec.inputDropout(), dropRandom)
        : null;
    INDArray x = inMask == null ? in.output() : in.output().mul(inMask);
    LstmpLayer.Pass[] passes = new LstmpLayer.Pass[layers.length];
    INDArray[] betweenMasks = new INDArray[layers.length];
    INDArray[] finalC = new INDArray[layers.length];
    INDArray[] finalR = new INDArray[layers.length];
    for (int l = 0; l < layers.length; l++) {
      if (l > 0) {
        betweenMasks[l] = mode.dropout() ? dropoutMask(w.positions(), spec.outputSize(), spec.layerDropout(),
            dropRandom) : null;
        x = betweenMasks[l] == null ? passes[l - 1].output() : passes[l - 1].output().mul(betweenMasks[l]);
      }
      passes[l] = layers[l].forward(x, initial.c()[l], initial.r()[l], n, steps);
      finalC[l] = passes[l].finalC();
      finalR[l] = passes[l].finalR();
    }
    INDArray outMask = mode.dropout() ? dropoutMask(w.positions(), spec.outputSize(), spec.outputDropout(), dropRandom)
        : null;
    INDArray top = passes[layers.length - 1].output();
    INDArray y = outMask == null ? top.dup('c') : top.mul(outMask);
    Gradients g = mode.gradient() ? new Gradients() : null;
    SoftmaxOutput.Result out = mode.negatives() == null ? softmax.full(y, w, g)
        : softmax.sampled(y, w, mode.negatives().ids(), mode.negatives().logExpectedCount(), g);
    RecurrentState last = new RecurrentState(finalC, finalR);
    if (g == null) {
      return new Result(out.lossSum(), last, null);
    }
    INDArray dx = outMask == null ? out.dY() : out.dY().muli(outMask);
    for (int l = layers.length - 1; l >= 0; l--) {
      dx = passes[l].backward(dx, g);
      if (l > 0 && betweenMasks[l] != null) {
        dx.muli(betweenMasks[l]);
      }
    }
    if (inMask != null) {
      dx.muli(inMask);
    }
    in.backward(dx, g);
    return new Result(out.lossSum(), last, g);
  }

  /** A pass's full-softmax logits [positions, vocabulary] (no dropout) and its final state. */
  record Forward(INDArray logits, RecurrentState finalState) {}

  /** The forward pass of {@link #run} in evaluation mode, returning the logits instead of the loss. */
  Forward logits(Window w, RecurrentState initial) {
    INDArray x = input.forward(w).output();
    INDArray[] finalC = new INDArray[layers.length];
    INDArray[] finalR = new INDArray[layers.length];
    for (int l = 0; l < layers.length; l++) {
      LstmpLayer.Pass pass = layers[l].forward(x, initial.c()[l], initial.r()[l], w.rows(), w.steps());
      finalC[l] = pass.finalC();
      finalR[l] = pass.finalR();
      x = pass.output();
    }
    return new Forward(softmax.logits(x.dup('c')), new RecurrentState(finalC, finalR));
  }

  /** Inverted dropout: 0 with probability {@code drop}, else 1 / (1 - drop); null when nothing is dropped. */
  private INDArray dropoutMask(int rows, int cols, double drop, SplittableRandom random) {
    if (drop == 0) {
      return null;
    }
    float keep = (float) (1 / (1 - drop));
    float[] m = new float[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = random.nextDouble() < drop ? 0f : keep;
    }
    return Nd4j.create(m, new long[] {rows, cols}, 'c').castTo(dataType());
  }
}
