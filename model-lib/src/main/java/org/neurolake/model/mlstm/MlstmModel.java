package org.neurolake.model.mlstm;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/**
 * The byte-level mLSTM of {@link MlstmSpec}, with a hand-written forward and backward pass: the
 * input projections of all time steps, the output layer and all weight gradients are one matrix
 * product each over the whole [T n, .] chunk; per time step there are two products forward
 * (h Wmh, m Wh) and two backward (dz Wh^T, dmh Wmh^T), and the element-wise work of a step is one
 * fused SIMD pass ({@link GateKernels}). Weight-normalized weights are computed once per optimizer
 * step. Needs {@code --add-modules jdk.incubator.vector}.
 *
 * <p><b>Batches.</b> {@code features} [n, T]: input byte values 0..255 as floats; {@code labels}
 * [n, T]: the next byte at each position; {@code labelsMask} [n, T] (optional; else
 * {@code featuresMask}, else all ones): 0 marks padding, which adds no loss and does not advance
 * that row's state, so a row's state after its last real byte is exact. The loss is the mean
 * cross-entropy (nats) over the unpadded positions.
 *
 * <p><b>State carry (truncated BPTT).</b> After each {@link #fit} the model keeps every row's final
 * (h, c). In the next batch, row i with {@code continues[i]} starts from row i's carried state;
 * other rows start from zeros, and so does every row when nothing is carried: after construction,
 * {@link #setParameters} (the engine calls it at the start of every round, so a pooled instance's
 * history never leaks into a result) and {@link #resetState}. Gradients do not flow across
 * batches. {@link #evaluate} reads the carried state the same way but does not change it.
 */
public final class MlstmModel implements TrainableModel {
  /** Rows of a document-streaming chunk are capped so its largest buffer stays near this many floats. */
  private static final long STREAM_BUFFER_FLOATS = 1L << 25;
  private static final int STREAM_MAX_ROWS = 128;
  private static final int V = MlstmSpec.VOCABULARY;

  private final MlstmSpec spec;
  private final ParameterLayout layout;
  private final int hid;
  private final int emb;
  private final INDArray params;
  private final INDArray grads;
  private final INDArray adam;
  private final ByteBuffer paramsB;
  private final ByteBuffer gradsB;
  private final ByteBuffer adamB;
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
  private double learningRate;
  private long step;
  private double lastGradientNorm = Double.NaN;
  private SequenceBuffers trainBuffers;
  private float[] carryC;
  private float[] carryH;
  private int carryRows;

  /** A weight-normalized matrix: where V and g sit, the effective W, its gradient, and ||V|| per column. */
  private final class WeightNormed {
    final int rows;
    final int cols;
    final int vAt;
    final int gAt;
    final INDArray w;
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
      dw = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
      wB = Lanes.bytes(w);
      dwB = Lanes.bytes(dw);
      norms = new float[cols];
    }

    void forward() {
      WeightNorm.forward(rows, cols, paramsB, vAt, gAt, wB, norms);
    }

    void backward() {
      WeightNorm.backward(rows, cols, dwB, paramsB, vAt, gAt, norms, gradsB);
    }
  }

  public MlstmModel(MlstmSpec spec) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      throw new IllegalStateException("MlstmModel needs the JDK's vector API: start the JVM with "
          + "--add-modules jdk.incubator.vector");
    }
    String backend = Nd4j.getBackend().getClass().getSimpleName();
    if (!backend.equals("CpuBackend")) {
      throw new IllegalStateException("MlstmModel's kernels work on host memory and need ND4J's CPU backend, not "
          + backend);
    }
    this.spec = spec;
    this.layout = ParameterLayout.of(spec);
    this.hid = spec.hiddenSize();
    this.emb = spec.embeddingSize();
    int p = layout.size();
    params = Nd4j.createFromArray(initialParameters(spec, layout));
    grads = Nd4j.create(DataType.FLOAT, p);
    adam = Nd4j.create(DataType.FLOAT, 2L * p);
    paramsB = Lanes.bytes(params);
    gradsB = Lanes.bytes(grads);
    adamB = Lanes.bytes(adam);
    wx = new WeightNormed(emb, 4 * hid, layout.wxOffset(), layout.gxOffset());
    wh = new WeightNormed(hid, 4 * hid, layout.whOffset(), layout.ghOffset());
    wmx = new WeightNormed(emb, hid, layout.wmxOffset(), layout.gmxOffset());
    wmh = new WeightNormed(hid, hid, layout.wmhOffset(), layout.gmhOffset());
    wout = matrixView(params, layout.woutOffset(), hid, V);
    dWout = matrixView(grads, layout.woutOffset(), hid, V);
    dBias = new float[4 * hid];
    dEmbedding = new float[V * emb];
    learningRate = spec.learningRate();
  }

  /**
   * Embedding N(0, 0.3^2); weight-norm directions V N(0, 1/rows) with gains 1 (each effective
   * column has norm 1); gate biases 0; output weights N(0, 1/H), output bias 0.
   */
  private static float[] initialParameters(MlstmSpec spec, ParameterLayout l) {
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

  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public long numParameters() {
    return layout.size();
  }

  @Override
  public float[] parameters() {
    return params.toFloatVector();
  }

  /** Sets the parameters and forgets any carried recurrent state (it belonged to the old ones). */
  @Override
  public void setParameters(float[] parameters) {
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " mLSTM parameters, got " + parameters.length);
    }
    paramsB.asFloatBuffer().put(parameters);
    effectiveCurrent = false;
    resetState();
  }

  /** Adam's first moments, then its second moments, each in parameter order. */
  @Override
  public float[] optimizerState() {
    return adam.toFloatVector();
  }

  @Override
  public void setOptimizerState(float[] state) {
    if (state.length != 2L * layout.size()) {
      throw new IllegalArgumentException("expected " + 2L * layout.size() + " Adam state values (m then v), got "
          + state.length);
    }
    adamB.asFloatBuffer().put(state);
  }

  @Override
  public void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public void setStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    this.step = step;
  }

  /** Forgets the carried (h, c): every row of the next batch starts from zeros. */
  public void resetState() {
    carryC = null;
    carryH = null;
    carryRows = 0;
  }

  /** The carried c of every row (row-major [rows, H]), or null when nothing is carried. For tests. */
  float[] carriedCellState() {
    return carryC == null ? null : carryC.clone();
  }

  /** The global L2 norm of the last {@link #fit}'s gradient, before clipping (NaN before the first). */
  public double lastGradientNorm() {
    return lastGradientNorm;
  }

  @Override
  public double fit(Batch batch) {
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    float gradScale = count == 0 ? 0f : 1f / count;
    double lossSum = forward(w, true, true, gradScale, -1, 0f);
    backward(w);
    keepFinalState(w);
    int p = layout.size();
    double norm = Math.sqrt(AdamUpdate.sumOfSquares(gradsB, p));
    lastGradientNorm = norm;
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("the gradient is not finite (global norm " + norm + ") at step " + step
          + "; the parameters were left unchanged");
    }
    double clip = spec.clipNorm() > 0 && norm > spec.clipNorm() ? spec.clipNorm() / norm : 1.0;
    step++;
    AdamUpdate.apply(p, paramsB, gradsB, adamB,
        AdamUpdate.Settings.of(learningRate, spec.beta1(), spec.beta2(), spec.epsilon(), step, clip));
    effectiveCurrent = false;
    return count == 0 ? 0 : lossSum / count;
  }

  /**
   * {@code loss} (mean nats per predicted byte), {@code bits_per_byte} and {@code positions}
   * (unpadded positions scored). Reads, but does not change, the carried state.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    double lossSum = forward(w, true, false, 0f, -1, 0f);
    return metrics(lossSum, count);
  }

  /**
   * The loss and its gradient on {@code batch} without an optimizer step: fills
   * {@code gradientOut} (parameter order) and returns the mean loss. Updates the carried state
   * like {@link #fit}. For tests and diagnostics.
   */
  public double lossAndGradient(Batch batch, float[] gradientOut) {
    if (gradientOut.length != layout.size()) {
      throw new IllegalArgumentException("gradient buffer holds " + gradientOut.length + " values, the model has "
          + layout.size() + " parameters");
    }
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    double lossSum = forward(w, true, true, count == 0 ? 0f : 1f / count, -1, 0f);
    backward(w);
    keepFinalState(w);
    gradsB.asFloatBuffer().get(gradientOut);
    return count == 0 ? 0 : lossSum / count;
  }

  private static Map<String, Double> metrics(double lossSum, long count) {
    double loss = count == 0 ? 0 : lossSum / count;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("bits_per_byte", loss / Math.log(2));
    m.put("positions", (double) count);
    return m;
  }

  // ---- batches in, state carried out ----

  private SequenceBuffers load(Batch batch) {
    INDArray f = batch.features();
    if (f.rank() != 2) {
      throw new IllegalArgumentException("mLSTM features must be [n, T] byte values, got shape "
          + Arrays.toString(f.shape()));
    }
    int n = (int) f.size(0);
    int steps = (int) f.size(1);
    requireShape("labels", batch.labels(), n, steps);
    INDArray maskArray = batch.labelsMask() != null ? batch.labelsMask() : batch.featuresMask();
    if (maskArray != null) {
      requireShape(batch.labelsMask() != null ? "labelsMask" : "featuresMask", maskArray, n, steps);
    }
    if (trainBuffers == null || !trainBuffers.fits(n, steps)) {
      trainBuffers = null; // let the old buffers go before the new ones are allocated
      trainBuffers = new SequenceBuffers(n, steps, hid, emb);
    }
    SequenceBuffers w = trainBuffers;
    float[] x = rowMajor(f);
    float[] y = rowMajor(batch.labels());
    float[] mk = maskArray == null ? null : rowMajor(maskArray);
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        int src = b * steps + t;
        int dst = t * n + b;
        w.bytes[dst] = byteValue("features", x[src], b, t);
        w.targets[dst] = byteValue("labels", y[src], b, t);
        w.mask[dst] = mk == null || mk[src] != 0f;
      }
    }
    boolean[] continues = batch.continues();
    FloatBuffer c0 = w.cB.asFloatBuffer();
    FloatBuffer h0 = w.hB.asFloatBuffer();
    float[] zeros = new float[hid];
    for (int b = 0; b < n; b++) {
      boolean carry = continues != null && continues[b] && carryC != null;
      if (carry && carryRows != n) {
        throw new IllegalArgumentException("row " + b + " continues its stream, but the carried state is of a batch of "
            + carryRows + " rows, not " + n + "; a continuing batch must keep the batch size");
      }
      c0.put(b * hid, carry ? carryC : zeros, carry ? b * hid : 0, hid);
      h0.put(b * hid, carry ? carryH : zeros, carry ? b * hid : 0, hid);
    }
    return w;
  }

  private static void requireShape(String what, INDArray a, int n, int steps) {
    if (a.rank() != 2 || a.size(0) != n || a.size(1) != steps) {
      throw new IllegalArgumentException(what + " must be [" + n + ", " + steps + "] like the features, got "
          + Arrays.toString(a.shape()));
    }
  }

  private static float[] rowMajor(INDArray a) {
    INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() ? a : a.castTo(DataType.FLOAT).dup('c');
    return c.data().asFloat();
  }

  private static int byteValue(String what, float v, int row, int t) {
    int b = (int) v;
    if (b != v || b < 0 || b > 255) {
      throw new IllegalArgumentException(what + "[" + row + ", " + t + "] = " + v + " is not a byte value 0..255");
    }
    return b;
  }

  private void keepFinalState(SequenceBuffers w) {
    int n = w.rows;
    if (carryC == null || carryRows != n) {
      carryC = new float[n * hid];
      carryH = new float[n * hid];
      carryRows = n;
    }
    int at = w.steps * n * hid;
    w.cB.asFloatBuffer().get(at, carryC);
    w.hB.asFloatBuffer().get(at, carryH);
  }

  // ---- the passes ----

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
    return new GateKernels.Step(n, hid, w.blockAt(t, 4 * hid), w.blockAt(t, 4 * hid), layout.biasOffset(),
        w.blockAt(t, hid), w.blockAt(t + 1, hid), w.blockAt(t, hid), t * n);
  }

  /**
   * Runs the recurrence from the state in block 0 over all steps; with {@code withLoss} also the
   * output layer, returning the summed cross-entropy (and leaving dlogits, scaled by
   * {@code gradScale}, in the logits buffer if {@code writeGradient}). A {@code clampUnit} >= 0
   * overwrites that unit of c with {@code clampValue} after every step.
   */
  private double forward(SequenceBuffers w, boolean withLoss, boolean writeGradient, float gradScale, int clampUnit,
      float clampValue) {
    ensureEffectiveWeights();
    int n = w.rows;
    int tn = n * w.steps;
    Embedding.gather(tn, emb, paramsB, layout.embeddingOffset(), w.bytes, w.xB);
    Gemm.mmul(w.x, false, wx.w, false, w.xw, 0);
    Gemm.mmul(w.x, false, wmx.w, false, w.xm, 0);
    for (int t = 0; t < w.steps; t++) {
      Gemm.mmul(w.hBlock[t], false, wmh.w, false, w.mhBlock[t], 0);
      int at = w.blockAt(t, hid);
      GateKernels.multiply(n * hid, w.xmB, at, w.mhB, at, w.mB, at);
      Gemm.mmul(w.mBlock[t], false, wh.w, false, w.gatesBlock[t], 0);
      GateKernels.forward(step(w, t), w.xwB, w.gatesB, paramsB, w.cB, w.tanhCB, w.hB, w.mask);
      if (clampUnit >= 0) {
        clamp(w, t, clampUnit, clampValue);
      }
    }
    if (!withLoss) {
      return 0;
    }
    Gemm.mmul(w.hOutAll, false, wout, false, w.logits, 0);
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
      int at = w.blockAt(t + 1, hid) + r * hid + unit;
      float o = w.gatesB.getFloat((w.blockAt(t, 4 * hid) + r * 4 * hid + 2 * hid + unit) * 4);
      w.cB.putFloat(at * 4, value);
      w.tanhCB.putFloat((w.blockAt(t, hid) + r * hid + unit) * 4, tanhValue);
      w.hB.putFloat(at * 4, o * tanhValue);
    }
  }

  /** Backpropagation through the chunk after a {@code forward(w, true, true, ...)}; fills the gradient buffer. */
  private void backward(SequenceBuffers w) {
    SequenceBuffers.Backward bw = w.backward();
    int n = w.rows;
    int tn = n * w.steps;
    // Output layer: dlogits is in w.logits.
    Gemm.mmul(w.hOutAll, true, w.logits, false, dWout, 0);
    gradsB.asFloatBuffer().put(layout.boutOffset(), dBout);
    Gemm.mmul(w.logits, false, wout, true, bw.dhOut, 0);
    // Through time; dz lands in the x Wx buffer, which the backward pass no longer needs.
    GateKernels.zero(n * hid, bw.dhCarryB, 0);
    GateKernels.zero(n * hid, bw.dcCarryB, 0);
    Arrays.fill(dBias, 0f);
    for (int t = w.steps - 1; t >= 0; t--) {
      int at = w.blockAt(t, hid);
      GateKernels.backward(step(w, t), at, w.gatesB, w.tanhCB, w.cB, bw.dhOutB, bw.dhCarryB, bw.dcCarryB, w.xwB,
          dBias, w.mask);
      Gemm.mmul(bw.dzBlock[t], false, wh.w, true, bw.dxmBlock[t], 0);
      GateKernels.splitMultiplyGradient(n * hid, bw.dxmB, bw.dmhB, w.xmB, w.mhB, at);
      if (t > 0) { // the gradient on the chunk's initial state is not used (truncated BPTT)
        Gemm.mmul(bw.dmhBlock[t], false, wmh.w, true, bw.dhCarry, 1.0);
      }
    }
    gradsB.asFloatBuffer().put(layout.biasOffset(), dBias);
    // Weight gradients of all steps at once.
    Gemm.mmul(w.m, true, w.xw, false, wh.dw, 0);
    Gemm.mmul(w.hPrevAll, true, bw.dmh, false, wmh.dw, 0);
    Gemm.mmul(w.x, true, w.xw, false, wx.dw, 0);
    Gemm.mmul(w.x, true, bw.dxm, false, wmx.dw, 0);
    Gemm.mmul(w.xw, false, wx.w, true, bw.dx, 0);
    Gemm.mmul(bw.dxm, false, wmx.w, true, bw.dx, 1.0);
    Arrays.fill(dEmbedding, 0f);
    Embedding.scatterAdd(tn, emb, bw.dxB, w.bytes, w.mask, dEmbedding);
    gradsB.asFloatBuffer().put(layout.embeddingOffset(), dEmbedding);
    wx.backward();
    wh.backward();
    wmx.backward();
    wmh.backward();
  }

  /**
   * Matrix-multiply floating-point operations of one {@link #fit} on n rows of T steps (forward and
   * backward, as executed), for throughput figures.
   */
  public static double trainingFlops(MlstmSpec spec, int n, int steps) {
    long h = spec.hiddenSize();
    long e = spec.embeddingSize();
    long tn = (long) n * steps;
    double inputs = Gemm.flops(tn, 4 * h, e) + Gemm.flops(tn, h, e);
    double recurrent = steps * (Gemm.flops(n, h, h) + Gemm.flops(n, 4 * h, h));
    double output = Gemm.flops(tn, V, h);
    double forward = inputs + recurrent + output;
    // Backward: every forward product has a data-gradient and a weight-gradient product of its
    // size (the input projections' data gradient is the embedding's), except the first step's
    // dh product, which truncated BPTT skips.
    return 3 * forward - Gemm.flops(n, h, h);
  }

  // ---- documents: features, evaluation, generation ----

  /**
   * The cell state c after each whole document (the paper's features), from a zero state, reading
   * the documents in {@code spec.tbpttLength()}-byte chunks with the state carried between chunks
   * and each row's state held after its last byte. An empty document gives zeros.
   */
  public float[][] finalCellStates(List<byte[]> documents) {
    return streamDocuments(documents, false).cells;
  }

  /**
   * {@code loss}, {@code bits_per_byte} and {@code positions} of next-byte prediction over whole
   * documents (each from a zero state, state carried across chunks). Does not change the model.
   */
  public Map<String, Double> evaluateDocuments(List<byte[]> documents) {
    DocumentPass p = streamDocuments(documents, true);
    return metrics(p.lossSum, p.positions);
  }

  private record DocumentPass(float[][] cells, double lossSum, long positions) {}

  private DocumentPass streamDocuments(List<byte[]> documents, boolean withLoss) {
    int steps = spec.tbpttLength();
    int cap = (int) Math.max(1, Math.min(STREAM_MAX_ROWS, STREAM_BUFFER_FLOATS / ((long) steps * 4 * hid)));
    Integer[] order = new Integer[documents.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Longest first: the rows of a group then need about the same number of chunks.
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> documents.get(i).length).reversed());
    float[][] cells = new float[documents.size()][];
    double lossSum = 0;
    long positions = 0;
    SequenceBuffers w = null;
    for (int from = 0; from < order.length; from += cap) {
      int n = Math.min(cap, order.length - from);
      if (w == null || !w.fits(n, steps)) {
        w = new SequenceBuffers(n, steps, hid, emb);
      }
      List<byte[]> group = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        group.add(documents.get(order[from + r]));
      }
      int inputs = inputLength(group.get(0), withLoss);
      int chunks = Math.max(1, (inputs + steps - 1) / steps);
      GateKernels.zero(n * hid, w.cB, 0);
      GateKernels.zero(n * hid, w.hB, 0);
      for (int k = 0; k < chunks; k++) {
        if (k > 0) {
          GateKernels.copy(n * hid, w.cB, w.blockAt(steps, hid), w.cB, 0);
          GateKernels.copy(n * hid, w.hB, w.blockAt(steps, hid), w.hB, 0);
        }
        for (int r = 0; r < n; r++) {
          byte[] doc = group.get(r);
          int len = inputLength(doc, withLoss);
          for (int t = 0; t < steps; t++) {
            int p = k * steps + t;
            int at = t * n + r;
            boolean valid = p < len;
            w.mask[at] = valid;
            w.bytes[at] = valid ? doc[p] & 0xFF : 0;
            w.targets[at] = valid && withLoss ? doc[p + 1] & 0xFF : 0;
          }
        }
        positions += withLoss ? w.validPositions() : 0;
        lossSum += forward(w, withLoss, false, 0f, -1, 0f);
      }
      FloatBuffer c = w.cB.asFloatBuffer();
      for (int r = 0; r < n; r++) {
        float[] cell = new float[hid];
        c.get(w.blockAt(steps, hid) + r * hid, cell);
        cells[order[from + r]] = cell;
      }
    }
    return new DocumentPass(cells, lossSum, positions);
  }

  private static int inputLength(byte[] doc, boolean withLoss) {
    return withLoss ? Math.max(0, doc.length - 1) : doc.length;
  }

  /**
   * Generates {@code length} bytes after {@code primer} (at least one byte, read from a zero
   * state). Each byte is drawn from softmax(logits / temperature) with a generator seeded by
   * {@code seed}; temperature 0 takes the most likely byte. With {@code clampUnit} in [0, H), that
   * unit of the cell state is overwritten with {@code clampValue} after every step, primer
   * included (the paper's sentiment-unit intervention); a negative {@code clampUnit} clamps nothing.
   * Does not change the model.
   */
  public byte[] sample(byte[] primer, int length, double temperature, long seed, int clampUnit, float clampValue) {
    if (primer.length == 0) {
      throw new IllegalArgumentException("sampling needs a primer of at least one byte");
    }
    if (length < 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("need length >= 0 and a finite temperature >= 0, got length " + length
          + ", temperature " + temperature);
    }
    if (clampUnit >= hid) {
      throw new IllegalArgumentException("clamp unit " + clampUnit + " is not one of the " + hid + " hidden units");
    }
    SequenceBuffers one = new SequenceBuffers(1, 1, hid, emb);
    one.mask[0] = true;
    if (primer.length > 1) {
      SequenceBuffers p = new SequenceBuffers(1, primer.length - 1, hid, emb);
      for (int t = 0; t < primer.length - 1; t++) {
        p.bytes[t] = primer[t] & 0xFF;
        p.mask[t] = true;
      }
      forward(p, false, false, 0f, clampUnit, clampValue);
      GateKernels.copy(hid, p.cB, p.blockAt(p.steps, hid), one.cB, 0);
      GateKernels.copy(hid, p.hB, p.blockAt(p.steps, hid), one.hB, 0);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[length];
    int input = primer[primer.length - 1] & 0xFF;
    double[] logits = new double[V];
    for (int k = 0; k < length; k++) {
      one.bytes[0] = input;
      forward(one, false, false, 0f, clampUnit, clampValue);
      Gemm.mmul(one.hOutAll, false, wout, false, one.logits, 0);
      for (int j = 0; j < V; j++) {
        logits[j] = one.logitsB.getFloat(j * 4) + paramsB.getFloat((layout.boutOffset() + j) * 4);
      }
      input = draw(logits, temperature, random);
      out[k] = (byte) input;
      GateKernels.copy(hid, one.cB, hid, one.cB, 0);
      GateKernels.copy(hid, one.hB, hid, one.hB, 0);
    }
    return out;
  }

  private static int draw(double[] logits, double temperature, SplittableRandom random) {
    int best = 0;
    for (int j = 1; j < logits.length; j++) {
      if (logits[j] > logits[best]) {
        best = j;
      }
    }
    if (temperature == 0) {
      return best;
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int j = 0; j < logits.length; j++) {
      p[j] = StrictMath.exp((logits[j] - logits[best]) / temperature);
      sum += p[j];
    }
    double u = random.nextDouble() * sum;
    for (int j = 0; j < p.length; j++) {
      u -= p[j];
      if (u < 0) {
        return j;
      }
    }
    return best;
  }
}
