package org.neurolake.model.mlstm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The mLSTM's parameters and its forward and backward pass over one chunk of
 * {@link SequenceBuffers}: the input projections of all time steps, the output layer and all
 * weight gradients are one matrix product each over the whole [T n, .] chunk; per time step there
 * are two products forward (h Wmh, m Wh) and two backward (dz Wh^T, dmh Wmh^T), and the
 * element-wise work of a step is one fused SIMD pass ({@link GateKernels}). The weight-normalized
 * matrices are computed once per parameter change ({@link #parametersChanged}).
 */
final class MlstmNetwork {
  private static final int V = MlstmSpec.VOCABULARY;

  final ParameterLayout layout;
  final int hidden;
  final int embedding;
  private final Gemm gemm;
  private final INDArray params;
  private final INDArray grads;
  final ByteBuffer paramsB;
  final ByteBuffer gradsB;
  private final WeightNormed wx;
  private final WeightNormed wh;
  private final WeightNormed wmx;
  private final WeightNormed wmh;
  private final INDArray wout;
  private final INDArray dWout;
  private final float[] dBias;
  private final float[] dBout = new float[V];
  private final float[] dEmbedding;
  private boolean effectiveCurrent;

  /**
   * A weight-normalized matrix: where V and g sit, the effective W (and its transpose: the
   * per-step products h W run faster as h (W^T)^T with OpenBLAS, as the backward ones do), its
   * gradient, and ||V|| per column.
   */
  private final class WeightNormed {
    final int rows;
    final int cols;
    final int vAt;
    final int gAt;
    final INDArray w;
    final INDArray wT;
    final INDArray dw;
    final ByteBuffer wB;
    final ByteBuffer dwB;
    final float[] norms;

    WeightNormed(int rows, int cols, int vAt, int gAt) {
      this.rows = rows;
      this.cols = cols;
      this.vAt = vAt;
      this.gAt = gAt;
      w = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
      wT = Nd4j.create(DataType.FLOAT, new long[] {cols, rows}, 'c');
      dw = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
      wB = Lanes.bytes(w);
      dwB = Lanes.bytes(dw);
      norms = new float[cols];
    }

    void forward() {
      WeightNorm.forward(rows, cols, paramsB, vAt, gAt, wB, norms);
      wT.assign(w.transpose());
    }

    void backward() {
      WeightNorm.backward(rows, cols, dwB, paramsB, vAt, gAt, norms, gradsB);
    }
  }

  MlstmNetwork(MlstmSpec spec, Gemm gemm) {
    this.gemm = gemm;
    layout = ParameterLayout.of(spec);
    hidden = spec.hiddenSize();
    embedding = spec.embeddingSize();
    params = Nd4j.createFromArray(initialParameters(spec, layout));
    grads = Nd4j.create(DataType.FLOAT, layout.size());
    paramsB = Lanes.bytes(params);
    gradsB = Lanes.bytes(grads);
    wx = new WeightNormed(embedding, 4 * hidden, layout.wxOffset(), layout.gxOffset());
    wh = new WeightNormed(hidden, 4 * hidden, layout.whOffset(), layout.ghOffset());
    wmx = new WeightNormed(embedding, hidden, layout.wmxOffset(), layout.gmxOffset());
    wmh = new WeightNormed(hidden, hidden, layout.wmhOffset(), layout.gmhOffset());
    wout = matrixView(params, layout.woutOffset(), hidden, V);
    dWout = matrixView(grads, layout.woutOffset(), hidden, V);
    dBias = new float[4 * hidden];
    dEmbedding = new float[V * embedding];
  }

  /**
   * Embedding N(0, 0.3^2); weight-norm directions V N(0, 1/rows) with gains 1 (each effective
   * column has norm 1); gate biases 0; output weights N(0, 1/H), output bias 0.
   */
  static float[] initialParameters(MlstmSpec spec, ParameterLayout l) {
    SplittableRandom r = new SplittableRandom(spec.seed());
    int h = spec.hiddenSize();
    int e = spec.embeddingSize();
    float[] p = new float[l.size()];
    gaussian(p, l.embeddingOffset(), V * e, 0.3, r);
    gaussian(p, l.wxOffset(), e * 4 * h, 1 / Math.sqrt(e), r);
    Arrays.fill(p, l.gxOffset(), l.gxOffset() + 4 * h, 1f);
    gaussian(p, l.whOffset(), h * 4 * h, 1 / Math.sqrt(h), r);
    Arrays.fill(p, l.ghOffset(), l.ghOffset() + 4 * h, 1f);
    gaussian(p, l.wmxOffset(), e * h, 1 / Math.sqrt(e), r);
    Arrays.fill(p, l.gmxOffset(), l.gmxOffset() + h, 1f);
    gaussian(p, l.wmhOffset(), h * h, 1 / Math.sqrt(h), r);
    Arrays.fill(p, l.gmhOffset(), l.gmhOffset() + h, 1f);
    gaussian(p, l.woutOffset(), h * V, 1 / Math.sqrt(h), r);
    return p;
  }

  private static void gaussian(float[] p, int from, int n, double std, SplittableRandom r) {
    for (int i = from; i < from + n; i++) {
      p[i] = (float) (r.nextGaussian() * std);
    }
  }

  private static INDArray matrixView(INDArray flat, int offset, int rows, int cols) {
    return flat.get(NDArrayIndex.interval(offset, offset + (long) rows * cols)).reshape('c', rows, cols);
  }

  float[] parameters() {
    return params.toFloatVector();
  }

  void setParameters(float[] values) {
    if (values.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " mLSTM parameters, got " + values.length);
    }
    paramsB.asFloatBuffer().put(values);
    parametersChanged();
  }

  /** To be called after the parameters were changed in place: the effective weights are recomputed before use. */
  void parametersChanged() {
    effectiveCurrent = false;
  }

  void gradient(float[] out) {
    gradsB.asFloatBuffer().get(out);
  }

  private void ensureEffectiveWeights() {
    if (!effectiveCurrent) {
      wx.forward();
      wh.forward();
      wmx.forward();
      wmh.forward();
      effectiveCurrent = true;
    }
  }

  private GateKernels.Step step(SequenceBuffers w, int t) {
    int n = w.rows;
    return new GateKernels.Step(n, hidden, w.blockAt(t, 4 * hidden), w.blockAt(t, 4 * hidden), layout.biasOffset(),
        w.blockAt(t, hidden), w.blockAt(t + 1, hidden), w.blockAt(t, hidden), t * n);
  }

  /**
   * Runs the recurrence from the state in block 0 over all steps; with {@code withLoss} also the
   * output layer, returning the summed cross-entropy (and leaving dlogits, scaled by
   * {@code gradScale}, in the logits buffer if {@code writeGradient}). A {@code clampUnit} >= 0
   * overwrites that unit of c with {@code clampValue} after every step.
   */
  double forward(SequenceBuffers w, boolean withLoss, boolean writeGradient, float gradScale, int clampUnit,
      float clampValue) {
    ensureEffectiveWeights();
    int n = w.rows;
    int tn = n * w.steps;
    Embedding.gather(tn, embedding, paramsB, layout.embeddingOffset(), w.bytes, w.xB);
    gemm.mmul(w.x, false, wx.w, false, w.xw, 0);
    gemm.mmul(w.x, false, wmx.w, false, w.xm, 0);
    for (int t = 0; t < w.steps; t++) {
      gemm.mmul(w.hBlock[t], false, wmh.wT, true, w.mhBlock[t], 0);
      int at = w.blockAt(t, hidden);
      GateKernels.multiply(n * hidden, w.xmB, at, w.mhB, at, w.mB, at);
      gemm.mmul(w.mBlock[t], false, wh.wT, true, w.gatesBlock[t], 0);
      GateKernels.forward(step(w, t), w.xwB, w.gatesB, paramsB, w.cB, w.tanhCB, w.hB, w.mask);
      if (clampUnit >= 0) {
        clamp(w, t, clampUnit, clampValue);
      }
    }
    if (!withLoss) {
      return 0;
    }
    gemm.mmul(w.hOutAll, false, wout, false, w.logits, 0);
    Arrays.fill(dBout, 0f);
    return ByteSoftmax.crossEntropy(tn, w.logitsB, paramsB, layout.boutOffset(), w.targets, w.mask, writeGradient,
        gradScale, dBout);
  }

  private void clamp(SequenceBuffers w, int t, int unit, float value) {
    int n = w.rows;
    float tanhValue = Lanes.tanh(value);
    for (int r = 0; r < n; r++) {
      if (!w.mask[t * n + r]) {
        continue;
      }
      int at = w.blockAt(t + 1, hidden) + r * hidden + unit;
      float o = Lanes.get(w.gatesB, w.blockAt(t, 4 * hidden) + r * 4 * hidden + 2 * hidden + unit);
      Lanes.put(w.cB, at, value);
      Lanes.put(w.tanhCB, w.blockAt(t, hidden) + r * hidden + unit, tanhValue);
      Lanes.put(w.hB, at, o * tanhValue);
    }
  }

  /** The next-byte logits (output bias included) after the last step of row 0. */
  void lastLogits(SequenceBuffers w, double[] out) {
    gemm.mmul(w.hBlock[w.steps], false, wout, false, w.logits.get(NDArrayIndex.interval(0, w.rows), NDArrayIndex.all()),
        0);
    for (int j = 0; j < V; j++) {
      out[j] = Lanes.get(w.logitsB, j) + Lanes.get(paramsB, layout.boutOffset() + j);
    }
  }

  /** Backpropagation through the chunk after a {@code forward(w, true, true, ...)}; fills the gradient buffer. */
  void backward(SequenceBuffers w) {
    SequenceBuffers.Backward bw = w.backward();
    int n = w.rows;
    int tn = n * w.steps;
    // Output layer: dlogits is in w.logits.
    gemm.mmul(w.hOutAll, true, w.logits, false, dWout, 0);
    gradsB.asFloatBuffer().put(layout.boutOffset(), dBout);
    gemm.mmul(w.logits, false, wout, true, bw.dhOut, 0);
    // Through time; dz lands in the x Wx buffer, which the backward pass no longer needs.
    GateKernels.zero(n * hidden, bw.dhCarryB, 0);
    GateKernels.zero(n * hidden, bw.dcCarryB, 0);
    Arrays.fill(dBias, 0f);
    for (int t = w.steps - 1; t >= 0; t--) {
      int at = w.blockAt(t, hidden);
      GateKernels.backward(step(w, t), at, w.gatesB, w.tanhCB, w.cB, bw.dhOutB, bw.dhCarryB, bw.dcCarryB, w.xwB,
          dBias, w.mask);
      gemm.mmul(bw.dzBlock[t], false, wh.w, true, bw.dxmBlock[t], 0);
      GateKernels.splitMultiplyGradient(n * hidden, bw.dxmB, bw.dmhB, w.xmB, w.mhB, at);
      if (t > 0) { // the gradient on the chunk's initial state is not used (truncated BPTT)
        gemm.mmul(bw.dmhBlock[t], false, wmh.w, true, bw.dhCarry, 1.0);
      }
    }
    gradsB.asFloatBuffer().put(layout.biasOffset(), dBias);
    // Weight gradients of all steps at once.
    gemm.mmul(w.m, true, w.xw, false, wh.dw, 0);
    gemm.mmul(w.hPrevAll, true, bw.dmh, false, wmh.dw, 0);
    gemm.mmul(w.x, true, w.xw, false, wx.dw, 0);
    gemm.mmul(w.x, true, bw.dxm, false, wmx.dw, 0);
    gemm.mmul(w.xw, false, wx.w, true, bw.dx, 0);
    gemm.mmul(bw.dxm, false, wmx.w, true, bw.dx, 1.0);
    Arrays.fill(dEmbedding, 0f);
    Embedding.scatterAdd(tn, embedding, bw.dxB, w.bytes, w.mask, dEmbedding);
    gradsB.asFloatBuffer().put(layout.embeddingOffset(), dEmbedding);
    wx.backward();
    wh.backward();
    wmx.backward();
    wmh.backward();
  }

  /**
   * Matrix-multiply floating-point operations of one training step on n rows of T steps (forward
   * and backward, as executed).
   */
  static double trainingFlops(MlstmSpec spec, int n, int steps) {
    return trainingProducts(spec, n, steps).entrySet().stream()
        .mapToDouble(e -> e.getKey().flops() * e.getValue()).sum();
  }

  /**
   * The matrix products of one training step on n rows of T steps, as {@link #forward} and
   * {@link #backward} execute them, with how many times each runs.
   */
  static Map<MatrixProduct, Integer> trainingProducts(MlstmSpec spec, int n, int steps) {
    long h = spec.hiddenSize();
    long e = spec.embeddingSize();
    long tn = (long) n * steps;
    Map<MatrixProduct, Integer> p = new LinkedHashMap<>();
    // Forward: the input projections of all steps at once, two recurrent products per step, the output layer.
    p.merge(new MatrixProduct(tn, 4 * h, e, false, false), 1, Integer::sum);
    p.merge(new MatrixProduct(tn, h, e, false, false), 1, Integer::sum);
    p.merge(new MatrixProduct(n, h, h, false, true), steps, Integer::sum);
    p.merge(new MatrixProduct(n, 4 * h, h, false, true), steps, Integer::sum);
    p.merge(new MatrixProduct(tn, V, h, false, false), 1, Integer::sum);
    // Backward: the output layer's weight and data gradients; through time, the gate gradient's and
    // (after the first step, which truncated BPTT skips) the carried state's data gradients; then
    // the weight gradients of all steps at once and the input's data gradient.
    p.merge(new MatrixProduct(h, V, tn, true, false), 1, Integer::sum);
    p.merge(new MatrixProduct(tn, h, V, false, true), 1, Integer::sum);
    p.merge(new MatrixProduct(n, h, 4 * h, false, true), steps, Integer::sum);
    if (steps > 1) {
      p.merge(new MatrixProduct(n, h, h, false, true), steps - 1, Integer::sum);
    }
    p.merge(new MatrixProduct(h, 4 * h, tn, true, false), 1, Integer::sum);
    p.merge(new MatrixProduct(h, h, tn, true, false), 1, Integer::sum);
    p.merge(new MatrixProduct(e, 4 * h, tn, true, false), 1, Integer::sum);
    p.merge(new MatrixProduct(e, h, tn, true, false), 1, Integer::sum);
    p.merge(new MatrixProduct(tn, e, 4 * h, false, true), 1, Integer::sum);
    p.merge(new MatrixProduct(tn, e, h, false, true), 1, Integer::sum);
    return p;
  }

}
