package org.neurolake.model.mlstm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The mLSTM's parameters and its forward and backward pass over one chunk, as ND4J operations
 * only: the same function as {@link MlstmNetwork} (same {@link ParameterLayout}, same
 * initialization, same masking and truncation), with every value in INDArrays that live where
 * ND4J's backend keeps them, so that under the CUDA backend a whole step runs on the GPU. No
 * element is touched from Java inside a step: the embedding lookup and its gradient are products
 * with one-hot matrices, the gates are {@link Transforms} sigmoid/tanh on column views, padding is
 * a select by 0/1 mask columns, the softmax is ND4J's log-softmax. Products go through
 * {@link Gemm} (ND4J's Mmul op), which writes each step's result into its row block in place.
 * Host memory is read only to hand the loss sum back (one scalar per chunk) and for the explicit
 * copies of {@link #parameters()} and {@link #gradient(float[])}.
 */
final class Nd4jMlstmPass {
  private static final int V = MlstmSpec.VOCABULARY;
  /** The smallest column norm weight normalization divides by (as {@link WeightNorm}: sqrt of the smallest normal float). */
  private static final float MIN_NORM = (float) Math.sqrt(Float.MIN_NORMAL);

  final ParameterLayout layout;
  final int hidden;
  final int embedding;
  private final Gemm gemm;
  private final INDArray params;
  private final INDArray grads;
  private final INDArray table;
  private final INDArray bias;
  private final INDArray wout;
  private final INDArray bout;
  private final INDArray dTable;
  private final INDArray dBias;
  private final INDArray dWout;
  private final INDArray dBout;
  private final WeightNormed wx;
  private final WeightNormed wh;
  private final WeightNormed wmx;
  private final WeightNormed wmh;
  private boolean effectiveCurrent;

  /** A weight-normalized matrix W = V diag(g / ||V||): its views into the parameters and gradient, W, ||V||. */
  private final class WeightNormed {
    final INDArray v;
    final INDArray g;
    final INDArray dv;
    final INDArray dg;
    final INDArray w;
    final INDArray dw;
    final INDArray norms;
    final INDArray scale;

    WeightNormed(int rows, int cols, int vAt, int gAt) {
      v = matrixView(params, vAt, rows, cols);
      g = matrixView(params, gAt, 1, cols);
      dv = matrixView(grads, vAt, rows, cols);
      dg = matrixView(grads, gAt, 1, cols);
      w = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
      dw = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
      norms = Nd4j.create(DataType.FLOAT, new long[] {1, cols}, 'c');
      scale = Nd4j.create(DataType.FLOAT, new long[] {1, cols}, 'c');
    }

    /** W = V * (g / max(||V||, MIN_NORM)) per column. */
    void forward() {
      norms.assign(v.norm2(0).reshape(1, v.columns()));
      Transforms.max(norms, MIN_NORM, false);
      scale.assign(g).divi(norms);
      w.assign(v).muliRowVector(scale);
    }

    /** dg = (dW . V) / ||V||, dV = (g / ||V||) (dW - ((dW . V) / ||V||^2) V), per column. */
    void backward() {
      INDArray dot = dw.mul(v).sum(0).reshape(1, v.columns());
      dg.assign(dot.div(norms));
      INDArray coef = dot.divi(norms).divi(norms);
      dv.assign(v.mulRowVector(coef).rsubi(dw).muliRowVector(scale));
    }
  }

  Nd4jMlstmPass(MlstmSpec spec, Gemm gemm) {
    this.gemm = gemm;
    layout = ParameterLayout.of(spec);
    hidden = spec.hiddenSize();
    embedding = spec.embeddingSize();
    params = Nd4j.createFromArray(MlstmNetwork.initialParameters(spec, layout));
    grads = Nd4j.create(DataType.FLOAT, layout.size());
    table = matrixView(params, layout.embeddingOffset(), V, embedding);
    bias = matrixView(params, layout.biasOffset(), 1, 4 * hidden);
    wout = matrixView(params, layout.woutOffset(), hidden, V);
    bout = matrixView(params, layout.boutOffset(), 1, V);
    dTable = matrixView(grads, layout.embeddingOffset(), V, embedding);
    dBias = matrixView(grads, layout.biasOffset(), 1, 4 * hidden);
    dWout = matrixView(grads, layout.woutOffset(), hidden, V);
    dBout = matrixView(grads, layout.boutOffset(), 1, V);
    wx = new WeightNormed(embedding, 4 * hidden, layout.wxOffset(), layout.gxOffset());
    wh = new WeightNormed(hidden, 4 * hidden, layout.whOffset(), layout.ghOffset());
    wmx = new WeightNormed(embedding, hidden, layout.wmxOffset(), layout.gmxOffset());
    wmh = new WeightNormed(hidden, hidden, layout.wmhOffset(), layout.gmhOffset());
  }

  private static INDArray matrixView(INDArray flat, int offset, int rows, int cols) {
    return flat.get(NDArrayIndex.interval(offset, offset + (long) rows * cols)).reshape('c', rows, cols);
  }

  /** The flat parameter vector, on the device (updated in place by the optimizer; call {@link #parametersChanged}). */
  INDArray parameterArray() {
    return params;
  }

  /** The flat gradient of the last {@link #backward}, on the device. */
  INDArray gradientArray() {
    return grads;
  }

  float[] parameters() {
    return params.toFloatVector();
  }

  void setParameters(float[] values) {
    if (values.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " mLSTM parameters, got " + values.length);
    }
    params.assign(Nd4j.createFromArray(values));
    parametersChanged();
  }

  void parametersChanged() {
    effectiveCurrent = false;
  }

  void gradient(float[] out) {
    System.arraycopy(grads.toFloatVector(), 0, out, 0, layout.size());
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

  /**
   * Runs the recurrence from the state in block 0 of {@code w.c}, {@code w.h} over all steps;
   * with {@code withLoss} also the output layer, returning the summed cross-entropy over unmasked
   * positions (and, with {@code writeGradient}, leaving dlogits scaled by {@code gradScale} in
   * {@code w.logits}).
   */
  double forward(Nd4jSequenceBuffers w, boolean withLoss, boolean writeGradient, float gradScale) {
    return forward(w, withLoss, writeGradient, gradScale, -1, 0f);
  }

  /**
   * {@link #forward(Nd4jSequenceBuffers, boolean, boolean, float)}; a {@code clampUnit} >= 0
   * overwrites that unit of c with {@code clampValue} (and tanh c, h with what follows) after every
   * step, in the rows that hold data (as {@link MlstmNetwork#forward} does).
   */
  double forward(Nd4jSequenceBuffers w, boolean withLoss, boolean writeGradient, float gradScale, int clampUnit,
      float clampValue) {
    ensureEffectiveWeights();
    gemm.mmul(w.inputs, false, table, false, w.x, 0);
    gemm.mmul(w.x, false, wx.w, false, w.xw, 0);
    w.xw.addiRowVector(bias);
    gemm.mmul(w.x, false, wmx.w, false, w.xm, 0);
    for (int t = 0; t < w.steps; t++) {
      gemm.mmul(w.hBlock[t], false, wmh.w, false, w.mhBlock[t], 0);
      w.mBlock[t].assign(w.xmBlock[t]).muli(w.mhBlock[t]);
      gemm.mmul(w.mBlock[t], false, wh.w, false, w.gatesBlock[t], 0);
      w.gatesBlock[t].addi(w.xwBlock[t]);
      Transforms.sigmoid(w.ifoGates[t], false);
      Transforms.tanh(w.uGate[t], false);
      INDArray cPrev = w.cBlock[t];
      INDArray cNext = w.cBlock[t + 1];
      INDArray hNext = w.hBlock[t + 1];
      cNext.assign(w.fGate[t]).muli(cPrev).addi(w.scratch.assign(w.iGate[t]).muli(w.uGate[t]));
      Transforms.tanh(w.tanhCBlock[t].assign(cNext), false);
      hNext.assign(w.oGate[t]).muli(w.tanhCBlock[t]);
      if (w.stepHasPadding[t]) { // padded rows carry their state through: next = next * mask + prev * (1 - mask)
        cNext.muliColumnVector(w.maskBlock[t]).addi(w.scratch.assign(cPrev).muliColumnVector(w.unmaskBlock[t]));
        hNext.muliColumnVector(w.maskBlock[t])
            .addi(w.scratch.assign(w.hBlock[t]).muliColumnVector(w.unmaskBlock[t]));
      }
      if (clampUnit >= 0) {
        clamp(w, t, clampUnit, clampValue);
      }
    }
    if (!withLoss) {
      return 0;
    }
    gemm.mmul(w.hOutAll, false, wout, false, w.logits, 0);
    w.logits.addiRowVector(bout);
    Nd4j.exec(new LogSoftMax(w.logits, w.logits));
    double loss = -w.logits.mul(w.targets).sumNumber().doubleValue();
    if (writeGradient) { // dlogits = (softmax * mask - onehot(target)) * gradScale
      Transforms.exp(w.logits, false).muliColumnVector(w.mask).subi(w.targets).muli(gradScale);
    }
    return loss;
  }

  /** Sets unit {@code unit} of c after step t to {@code value} in the rows with data: c = value, tanh c, h = o tanh c. */
  private static void clamp(Nd4jSequenceBuffers w, int t, int unit, float value) {
    org.nd4j.linalg.indexing.INDArrayIndex col = NDArrayIndex.interval(unit, unit + 1);
    org.nd4j.linalg.indexing.INDArrayIndex rows = NDArrayIndex.all();
    INDArray mk = w.maskBlock[t];
    INDArray um = w.unmaskBlock[t];
    float tanhValue = (float) Math.tanh(value);
    w.cBlock[t + 1].get(rows, col).muli(um).addi(mk.mul(value));
    w.tanhCBlock[t].get(rows, col).muli(um).addi(mk.mul(tanhValue));
    w.hBlock[t + 1].get(rows, col).muli(um).addi(w.oGate[t].get(rows, col).mul(tanhValue).muli(mk));
  }

  /** The next-byte log-probabilities' logits (output bias included) after the last step of row 0, copied to the host. */
  void lastLogits(Nd4jSequenceBuffers w, double[] out) {
    ensureEffectiveWeights();
    INDArray logits = w.hBlock[w.steps].get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).mmul(wout).addi(bout);
    double[] host = logits.toDoubleVector();
    System.arraycopy(host, 0, out, 0, V);
  }

  /** Backpropagation through the chunk after a {@code forward(w, true, true, ...)}; fills the gradient. */
  void backward(Nd4jSequenceBuffers w) {
    Nd4jSequenceBuffers.Backward bw = w.backward();
    INDArray dlogits = w.logits;
    gemm.mmul(w.hOutAll, true, dlogits, false, dWout, 0);
    dBout.assign(dlogits.sum(0).reshape(1, V));
    gemm.mmul(dlogits, false, wout, true, bw.dhOut, 0);
    bw.dhCarry.assign(0);
    bw.dcCarry.assign(0);
    for (int t = w.steps - 1; t >= 0; t--) {
      INDArray i = w.iGate[t];
      INDArray f = w.fGate[t];
      INDArray o = w.oGate[t];
      INDArray u = w.uGate[t];
      INDArray tc = w.tanhCBlock[t];
      INDArray dh = bw.dh.assign(bw.dhOutBlock[t]).addi(bw.dhCarry);
      // dc = dcCarry + dh o (1 - tanh(c)^2)
      INDArray dc = bw.dc.assign(tc).muli(tc).rsubi(1f).muli(o).muli(dh).addi(bw.dcCarry);
      bw.dzi[t].assign(i).rsubi(1f).muli(i).muli(u).muli(dc);
      bw.dzf[t].assign(f).rsubi(1f).muli(f).muli(w.cBlock[t]).muli(dc);
      bw.dzo[t].assign(o).rsubi(1f).muli(o).muli(tc).muli(dh);
      bw.dzu[t].assign(u).muli(u).rsubi(1f).muli(i).muli(dc);
      if (w.stepHasPadding[t]) { // padded rows: no gate gradient; dc and dh pass to the previous step unchanged
        bw.dzBlock[t].muliColumnVector(w.maskBlock[t]);
        bw.dcCarry.muliColumnVector(w.unmaskBlock[t]).addi(dc.muli(f).muliColumnVector(w.maskBlock[t]));
        bw.dhCarry.assign(dh).muliColumnVector(w.unmaskBlock[t]);
      } else {
        bw.dcCarry.assign(dc).muli(f);
        bw.dhCarry.assign(0);
      }
      gemm.mmul(bw.dzBlock[t], false, wh.w, true, bw.dxmBlock[t], 0);
      bw.dmhBlock[t].assign(bw.dxmBlock[t]).muli(w.xmBlock[t]);
      bw.dxmBlock[t].muli(w.mhBlock[t]);
      if (t > 0) { // the gradient on the chunk's initial state is not used (truncated BPTT)
        gemm.mmul(bw.dmhBlock[t], false, wmh.w, true, bw.dhCarry, 1.0);
      }
    }
    dBias.assign(bw.dz.sum(0).reshape(1, 4L * hidden));
    gemm.mmul(w.m, true, bw.dz, false, wh.dw, 0);
    gemm.mmul(w.hPrevAll, true, bw.dmh, false, wmh.dw, 0);
    gemm.mmul(w.x, true, bw.dz, false, wx.dw, 0);
    gemm.mmul(w.x, true, bw.dxm, false, wmx.dw, 0);
    gemm.mmul(bw.dz, false, wx.w, true, bw.dx, 0);
    gemm.mmul(bw.dxm, false, wmx.w, true, bw.dx, 1.0);
    gemm.mmul(w.inputs, true, bw.dx, false, dTable, 0);
    wx.backward();
    wh.backward();
    wmx.backward();
    wmh.backward();
  }
}
