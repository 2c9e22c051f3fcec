package org.neurolake.model.lfads;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Gru}'s cell and its backpropagation through time as ND4J operations (matrix products,
 * broadcasts and element-wise transforms on whole [B, H] blocks; no per-element Java loops), so that
 * it runs on whatever device ND4J's backend uses. Same equations, layouts and parameter blocks as
 * {@link Gru}: r = sigmoid(x Wxr + h Whr + br), u = sigmoid(x Wxu + h Whu + bu + 1), c = tanh(x Wxc +
 * (r * h) Whc + bc), h' = clip(u h + (1 - u) c). Rows are time-major (step k's B rows from
 * {@code k * B}); {@code states} holds the initial state then the state after every step. The
 * parameter and gradient views are fixed at construction (views of the model's flat arrays).
 * Not thread-safe.
 */
final class Nd4jGru {
  private static final float FORGET_BIAS = 1f;

  final int in;
  final int h;
  private final float clip;
  private final INDArray wx;
  private final INDArray whRu;
  private final INDArray bRu;
  private final INDArray whC;
  private final INDArray bC;
  private final INDArray h0;
  private final INDArray gWx;
  private final INDArray gWhRu;
  private final INDArray gBRu;
  private final INDArray gWhC;
  private final INDArray gBC;
  private final INDArray gH0;
  /** [1, 3H]: zeros, then the forget bias on the u columns, then zeros. */
  private final INDArray forgetBias;

  private int batch;
  private int steps;
  private INDArray xProj;
  private INDArray states;
  private INDArray r;
  private INDArray u;
  private INDArray c;
  private INDArray rh;
  /** 1 where the state was inside the clip range (its gradient passes), else 0. */
  private INDArray live;
  private INDArray dA;
  private INDArray carry;

  Nd4jGru(ParameterLayout layout, String prefix, int in, int h, double clip, Nd4jBlocks theta, Nd4jBlocks grad) {
    this.in = in;
    this.h = h;
    this.clip = (float) clip;
    this.wx = in > 0 ? theta.view(prefix + "/wx") : null;
    this.gWx = in > 0 ? grad.view(prefix + "/wx") : null;
    this.whRu = theta.view(prefix + "/wh_ru");
    this.bRu = theta.view(prefix + "/b_ru");
    this.whC = theta.view(prefix + "/wh_c");
    this.bC = theta.view(prefix + "/b_c");
    this.gWhRu = grad.view(prefix + "/wh_ru");
    this.gBRu = grad.view(prefix + "/b_ru");
    this.gWhC = grad.view(prefix + "/wh_c");
    this.gBC = grad.view(prefix + "/b_c");
    boolean learnableStart = layout.has(prefix + "/h0");
    this.h0 = learnableStart ? theta.view(prefix + "/h0") : null;
    this.gH0 = learnableStart ? grad.view(prefix + "/h0") : null;
    this.forgetBias = Nd4j.zeros(DataType.FLOAT, 1, 3L * h);
    forgetBias.get(all(), interval(h, 2 * h)).assign(FORGET_BIAS);
  }

  /** Starts a pass of {@code batch} sequences of {@code steps} steps from the learnable initial state. */
  void start(int batch, int steps) {
    if (h0 == null) {
      throw new IllegalStateException("this GRU has no learnable initial state");
    }
    start(batch, steps, Nd4j.zeros(DataType.FLOAT, batch, h).addiRowVector(h0));
  }

  /** Starts a pass from {@code initial} [B, H]. */
  void start(int batch, int steps, INDArray initial) {
    this.batch = batch;
    this.steps = steps;
    int rows = batch * steps;
    xProj = Nd4j.zeros(DataType.FLOAT, rows, 3L * h);
    states = Nd4j.zeros(DataType.FLOAT, (long) rows + batch, h);
    r = Nd4j.zeros(DataType.FLOAT, rows, h);
    u = Nd4j.zeros(DataType.FLOAT, rows, h);
    c = Nd4j.zeros(DataType.FLOAT, rows, h);
    rh = Nd4j.zeros(DataType.FLOAT, rows, h);
    live = Nd4j.zeros(DataType.FLOAT, rows, h);
    dA = null;
    carry = null;
    state(0).assign(initial);
  }

  /** The biases of the three pre-activations with the forget bias: [1, 3H]. */
  private INDArray bias() {
    return Nd4j.hstack(bRu, bC).addi(forgetBias);
  }

  /** State block k [B, H] (0: initial; k + 1: after step k), a view. */
  INDArray state(int k) {
    return rows(states, k * batch, batch);
  }

  /** States before every step, [T*B, H] (a view). */
  private INDArray inputStates() {
    return rows(states, 0, batch * steps);
  }

  /** States after every step, [T*B, H] (a view). */
  INDArray outputStates() {
    return rows(states, batch, batch * steps);
  }

  /** xProj (all T*B rows) = x [T*B, cols] Wx[rowStart, rowStart + cols) + biases. */
  void projectAll(INDArray x, int wxRowStart) {
    xProj.assign(x.mmul(wxRows(wx, wxRowStart, x.columns()))).addiRowVector(bias());
  }

  /** Step k's B rows of xProj += x [B, cols] Wx[rowStart, rowStart + cols), plus the biases unless accumulating. */
  void projectStep(int k, INDArray x, int wxRowStart, boolean accumulate) {
    INDArray block = rows(xProj, k * batch, batch);
    INDArray p = x.mmul(wxRows(wx, wxRowStart, x.columns()));
    if (accumulate) {
      block.addi(p);
    } else {
      block.assign(p.addiRowVector(bias()));
    }
  }

  void forwardStep(int k) {
    INDArray hp = state(k);
    INDArray xp = rows(xProj, k * batch, batch);
    if (in == 0) {
      xp.assign(0).addiRowVector(bias());
    }
    INDArray ru = xp.get(all(), interval(0, 2 * h)).add(hp.mmul(whRu));
    INDArray rv = Transforms.sigmoid(ru.get(all(), interval(0, h)), true);
    INDArray uv = Transforms.sigmoid(ru.get(all(), interval(h, 2 * h)), true);
    INDArray rhv = rv.mul(hp);
    INDArray cv = Transforms.tanh(xp.get(all(), interval(2 * h, 3 * h)).add(rhv.mmul(whC)), false);
    INDArray raw = uv.mul(hp).addi(uv.rsub(1f).muli(cv));
    rows(r, k * batch, batch).assign(rv);
    rows(u, k * batch, batch).assign(uv);
    rows(c, k * batch, batch).assign(cv);
    rows(rh, k * batch, batch).assign(rhv);
    rows(live, k * batch, batch).assign(Transforms.abs(raw, true).lte(clip).castTo(DataType.FLOAT));
    state(k + 1).assign(Transforms.min(Transforms.max(raw, -clip, false), clip, false));
  }

  /** Zeroes the gradient carry and the pre-activation gradients before backpropagating a sequence. */
  void startBackward() {
    dA = Nd4j.zeros(DataType.FLOAT, (long) batch * steps, 3L * h);
    carry = Nd4j.zeros(DataType.FLOAT, batch, h);
  }

  /** dL/d(state being processed), [B, H]; backward steps read and replace it. */
  INDArray carry() {
    return carry;
  }

  /**
   * Backpropagates step k: on entry {@link #carry()} holds dL/d(state after step k), on exit
   * dL/d(state before step k); fills dA block k.
   */
  void backwardStep(int k) {
    int from = k * batch;
    INDArray hp = state(k);
    INDArray rv = rows(r, from, batch);
    INDArray uv = rows(u, from, batch);
    INDArray cv = rows(c, from, batch);
    INDArray block = rows(dA, from, batch);
    INDArray dh = carry.mul(rows(live, from, batch));
    INDArray dAc = dh.mul(uv.rsub(1f)).muli(cv.mul(cv).rsubi(1f));
    INDArray dAu = dh.mul(hp.sub(cv)).muli(uv).muli(uv.rsub(1f));
    INDArray next = dh.mul(uv);
    INDArray drh = dAc.mmul(whC.transpose());
    next.addi(drh.mul(rv));
    INDArray dAr = drh.mul(hp).muli(rv).muli(rv.rsub(1f));
    block.get(all(), interval(0, h)).assign(dAr);
    block.get(all(), interval(h, 2 * h)).assign(dAu);
    block.get(all(), interval(2 * h, 3 * h)).assign(dAc);
    next.addi(block.get(all(), interval(0, 2 * h)).mmul(whRu.transpose()));
    carry = next;
  }

  /**
   * After all backward steps: adds the recurrent weights', biases' and (if learnable) initial
   * state's gradients; {@link #carry()} then holds dL/d(initial state).
   */
  void recurrentGradients() {
    INDArray dRu = dA.get(all(), interval(0, 2 * h));
    INDArray dC = dA.get(all(), interval(2 * h, 3 * h));
    gWhRu.addi(inputStates().transpose().mmul(dRu));
    gWhC.addi(rh.transpose().mmul(dC));
    gBRu.addi(dRu.sum(true, 0));
    gBC.addi(dC.sum(true, 0));
    if (gH0 != null) {
      gH0.addi(carry.sum(true, 0));
    }
  }

  /** Adds dL/dWx[rowStart, rowStart + cols) = x^T dA for inputs x [T*B, cols]. */
  void inputWeightGradient(INDArray x, int wxRowStart) {
    wxRows(gWx, wxRowStart, x.columns()).addi(x.transpose().mmul(dA));
  }

  /** The gradient of step k's inputs Wx[rowStart, rowStart + cols): dA block k Wx[...]^T, [B, cols]. */
  INDArray inputGradientStep(int k, int wxRowStart, int cols) {
    return rows(dA, k * batch, batch).mmul(wxRows(wx, wxRowStart, cols).transpose());
  }

  /** Like {@link #inputGradientStep} for all T*B rows. */
  INDArray inputGradientAll(int wxRowStart, int cols) {
    return dA.mmul(wxRows(wx, wxRowStart, cols).transpose());
  }

  /** The squared Frobenius norm of the recurrent weight matrices (a scalar array). */
  INDArray recurrentSquaredNorm() {
    return whRu.mul(whRu).sum().addi(whC.mul(whC).sum());
  }

  int recurrentWeightCount() {
    return 3 * h * h;
  }

  /** Adds {@code scale * W} to the recurrent weights' gradients (the derivative of scale/2 ||W||^2). */
  void addRecurrentL2Gradient(float scale) {
    gWhRu.addi(whRu.mul(scale));
    gWhC.addi(whC.mul(scale));
  }

  private static INDArray wxRows(INDArray w, int from, int n) {
    return w.get(interval(from, from + n), all());
  }

  /** Rows [from, from + n) of a matrix, a view. */
  static INDArray rows(INDArray m, long from, long n) {
    return m.get(interval(from, from + n), all());
  }
}
