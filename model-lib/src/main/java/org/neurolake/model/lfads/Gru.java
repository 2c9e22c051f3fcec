package org.neurolake.model.lfads;

/**
 * One GRU cell run over a batch of sequences, as the reference's GenGRU: r = sigmoid(x Wxr + h Whr +
 * br), u = sigmoid(x Wxu + h Whu + bu + 1), c = tanh(x Wxc + (r * h) Whc + bc), h' = clip(u * h +
 * (1 - u) * c, -clip, clip). Time steps are in processing order k = 0..T-1 (a backward encoder
 * is fed reversed inputs). It keeps every step's activations for backpropagation through time.
 *
 * <p>Layouts (rows = batch rows of step k at {@code k * B}): {@code xProj} [T*B, 3H] the r, u, c
 * pre-activations (inputs and biases, filled by {@link #projectAll} or {@link #projectStep}; the
 * step adds the recurrent terms); {@code states}
 * [(T+1)*B, H], block 0 the initial state, block k+1 the state after step k; {@code dA} [T*B, 3H]
 * gradients of the pre-activations; {@code carry} [B, H] the gradient flowing into the state being
 * processed.
 */
final class Gru {
  private static final float FORGET_BIAS = 1f;

  final int in;
  final int h;
  private final float clip;
  private final Buf theta;
  private final Buf grad;
  private final int wx;
  private final int whRu;
  private final int bRu;
  private final int whC;
  private final int bC;
  private final int h0;

  private int batch;
  private int steps;
  Buf xProj;
  Buf states;
  private Buf r;
  private Buf u;
  private Buf c;
  private Buf rh;
  Buf dA;
  Buf carry;
  private Buf drh;
  /** Wh_ru^T [2H, H] and Wh_c^T [H, H]: OpenBLAS is about twice as fast on them untransposed. */
  private final Buf whRuT;
  private final Buf whCT;

  Gru(ParameterLayout layout, String prefix, int in, int h, double clip, Buf theta, Buf grad) {
    this.in = in;
    this.h = h;
    this.clip = (float) clip;
    this.theta = theta;
    this.grad = grad;
    this.wx = in > 0 ? layout.block(prefix + "/wx").offset() : -1;
    this.whRu = layout.block(prefix + "/wh_ru").offset();
    this.bRu = layout.block(prefix + "/b_ru").offset();
    this.whC = layout.block(prefix + "/wh_c").offset();
    this.bC = layout.block(prefix + "/b_c").offset();
    this.h0 = layout.has(prefix + "/h0") ? layout.block(prefix + "/h0").offset() : -1;
    this.whRuT = new Buf(2 * h * h);
    this.whCT = new Buf(h * h);
  }

  /** Copies the transposed recurrent weights for the backward steps (the parameters must not change after). */
  void prepareBackward() {
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < 2 * h; j++) {
        whRuT.set(j * h + i, theta.get(whRu + i * 2 * h + j));
      }
      for (int j = 0; j < h; j++) {
        whCT.set(j * h + i, theta.get(whC + i * h + j));
      }
    }
  }

  /**
   * Sizes the work buffers for {@code batch} sequences of {@code steps} steps. Buffers only grow,
   * so alternating between training and evaluation shapes does not reallocate.
   */
  void allocate(int batch, int steps) {
    this.batch = batch;
    this.steps = steps;
    int rows = batch * steps;
    xProj = Buf.atLeast(xProj, rows * 3 * h);
    states = Buf.atLeast(states, (rows + batch) * h);
    r = Buf.atLeast(r, rows * h);
    u = Buf.atLeast(u, rows * h);
    c = Buf.atLeast(c, rows * h);
    rh = Buf.atLeast(rh, rows * h);
    dA = Buf.atLeast(dA, rows * 3 * h);
    carry = Buf.atLeast(carry, batch * h);
    drh = Buf.atLeast(drh, batch * h);
  }

  /** Offset in {@link #states} of state block k (0: initial state; k + 1: after step k). */
  int stateOffset(int k) {
    return k * batch * h;
  }

  /** Sets the initial state of every row to the learnable h0. */
  void initialStateFromParameter() {
    if (h0 < 0) {
      throw new IllegalStateException("this GRU has no learnable initial state");
    }
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < h; j++) {
        states.set(b * h + j, theta.get(h0 + j));
      }
    }
  }

  /**
   * xProj (all T*B rows) = x Wx[rowStart .. rowStart+cols) + biases, or += x Wx[...] when
   * accumulating a second input block; x has T*B rows of {@code cols} values at stride {@code ld}
   * from {@code xOff}.
   */
  void projectAll(Buf x, int xOff, int ld, int wxRowStart, int cols, boolean accumulate) {
    Blas.mul(batch * steps, 3 * h, cols, x, xOff, ld, theta, wx + (long) wxRowStart * 3 * h, 3 * h, xProj, 0, 3 * h,
        accumulate);
    if (!accumulate) {
      addBiases(0, batch * steps);
    }
  }

  /** Like {@link #projectAll} for step k's B rows only. */
  void projectStep(int k, Buf x, int xOff, int ld, int wxRowStart, int cols, boolean accumulate) {
    Blas.mul(batch, 3 * h, cols, x, xOff, ld, theta, wx + (long) wxRowStart * 3 * h, 3 * h, xProj,
        (long) k * batch * 3 * h, 3 * h, accumulate);
    if (!accumulate) {
      addBiases(k * batch, batch);
    }
  }

  /** Adds b_ru (with the forget bias on u) and b_c to {@code n} rows of xProj from row {@code from}. */
  private void addBiases(int from, int n) {
    float[] bias = new float[3 * h];
    for (int j = 0; j < 2 * h; j++) {
      bias[j] = theta.get(bRu + j) + (j >= h ? FORGET_BIAS : 0f);
    }
    for (int j = 0; j < h; j++) {
      bias[2 * h + j] = theta.get(bC + j);
    }
    for (int row = from; row < from + n; row++) {
      int o = row * 3 * h;
      for (int j = 0; j < 3 * h; j++) {
        xProj.add(o + j, bias[j]);
      }
    }
  }

  /**
   * Step k. xProj block k must hold the input pre-activations with biases ({@link #projectAll} or
   * {@link #projectStep}); without inputs the biases are filled in here. The recurrent products are
   * accumulated into that block, which is consumed.
   */
  void forwardStep(int k) {
    int hp = stateOffset(k);
    int hn = stateOffset(k + 1);
    int g = k * batch * h;
    int xp = k * batch * 3 * h;
    if (in == 0) {
      xProj.fill(xp, batch * 3 * h, 0f);
      addBiases(k * batch, batch);
    }
    Blas.mul(batch, 2 * h, h, states, hp, h, theta, whRu, 2 * h, xProj, xp, 3 * h, true);
    for (int b = 0; b < batch; b++) {
      int row = xp + b * 3 * h;
      for (int j = 0; j < h; j++) {
        float rv = FastMath.sigmoid(xProj.get(row + j));
        int i = g + b * h + j;
        r.set(i, rv);
        u.set(i, FastMath.sigmoid(xProj.get(row + h + j)));
        rh.set(i, rv * states.get(hp + b * h + j));
      }
    }
    Blas.mul(batch, h, h, rh, g, h, theta, whC, h, xProj, xp + 2L * h, 3 * h, true);
    for (int b = 0; b < batch; b++) {
      int row = xp + b * 3 * h + 2 * h;
      for (int j = 0; j < h; j++) {
        float cv = FastMath.tanh(xProj.get(row + j));
        int i = g + b * h + j;
        c.set(i, cv);
        float uv = u.get(i);
        float next = uv * states.get(hp + b * h + j) + (1 - uv) * cv;
        states.set(hn + b * h + j, Math.max(-clip, Math.min(clip, next)));
      }
    }
  }

  /**
   * Backpropagates step k (after {@link #prepareBackward}): on entry {@link #carry} holds dL/d(state after step k), on exit
   * dL/d(state before step k); fills dA block k.
   */
  void backwardStep(int k) {
    int hp = stateOffset(k);
    int g = k * batch * h;
    int da = k * batch * 3 * h;
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < h; j++) {
        int i = g + b * h + j;
        float hpv = states.get(hp + b * h + j);
        float uv = u.get(i);
        float cv = c.get(i);
        float raw = uv * hpv + (1 - uv) * cv;
        float dh = Math.abs(raw) <= clip ? carry.get(b * h + j) : 0f;
        float du = dh * (hpv - cv);
        float dc = dh * (1 - uv);
        dA.set(da + b * 3 * h + 2 * h + j, dc * (1 - cv * cv));
        dA.set(da + b * 3 * h + h + j, du * uv * (1 - uv));
        carry.set(b * h + j, dh * uv);
      }
    }
    Blas.mul(batch, h, h, dA, da + 2L * h, 3 * h, whCT, 0, h, drh, 0, h, false);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < h; j++) {
        int i = g + b * h + j;
        float rv = r.get(i);
        float d = drh.get(b * h + j);
        carry.add(b * h + j, d * rv);
        float dr = d * states.get(hp + b * h + j);
        dA.set(da + b * 3 * h + j, dr * rv * (1 - rv));
      }
    }
    Blas.mul(batch, h, 2 * h, dA, da, 3 * h, whRuT, 0, h, carry, 0, h, true);
  }

  /**
   * After all backward steps: adds the recurrent weights', biases' and (if learnable) initial
   * state's gradients; {@link #carry} then holds dL/d(initial state).
   */
  void recurrentGradients() {
    int rows = batch * steps;
    Blas.mulTransA(h, 2 * h, rows, states, 0, h, dA, 0, 3 * h, grad, whRu, 2 * h, true);
    Blas.mulTransA(h, h, rows, rh, 0, h, dA, 2L * h, 3 * h, grad, whC, h, true);
    float[] sums = new float[3 * h];
    for (int row = 0; row < rows; row++) {
      int o = row * 3 * h;
      for (int j = 0; j < 3 * h; j++) {
        sums[j] += dA.get(o + j);
      }
    }
    for (int j = 0; j < 2 * h; j++) {
      grad.add(bRu + j, sums[j]);
    }
    for (int j = 0; j < h; j++) {
      grad.add(bC + j, sums[2 * h + j]);
    }
    if (h0 >= 0) {
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < h; j++) {
          grad.add(h0 + j, carry.get(b * h + j));
        }
      }
    }
  }

  /** Adds dL/dWx[rowStart .. rowStart+cols) = x^T dA for inputs x (T*B rows, stride ld, from xOff). */
  void inputWeightGradient(Buf x, int xOff, int ld, int wxRowStart, int cols) {
    Blas.mulTransA(cols, 3 * h, batch * steps, x, xOff, ld, dA, 0, 3 * h, grad, wx + (long) wxRowStart * 3 * h,
        3 * h, true);
  }

  /** dx (B x cols, stride ldx) (+)= dA block k Wx[rowStart .. rowStart+cols)^T: the gradient of step k's inputs. */
  void inputGradientStep(int k, int wxRowStart, int cols, Buf dx, int dxOff, int ldx, boolean accumulate) {
    Blas.mulTransB(batch, cols, 3 * h, dA, (long) k * batch * 3 * h, 3 * h, theta, wx + (long) wxRowStart * 3 * h,
        3 * h, dx, dxOff, ldx, accumulate);
  }

  /** Like {@link #inputGradientStep} for all T*B rows. */
  void inputGradientAll(int wxRowStart, int cols, Buf dx, int dxOff, int ldx) {
    Blas.mulTransB(batch * steps, cols, 3 * h, dA, 0, 3 * h, theta, wx + (long) wxRowStart * 3 * h, 3 * h, dx, dxOff,
        ldx, false);
  }

  /** The squared Frobenius norm of the recurrent weight matrices, and their element count. */
  double recurrentSquaredNorm() {
    double s = 0;
    for (int i = 0; i < 2 * h * h; i++) {
      double w = theta.get(whRu + i);
      s += w * w;
    }
    for (int i = 0; i < h * h; i++) {
      double w = theta.get(whC + i);
      s += w * w;
    }
    return s;
  }

  int recurrentWeightCount() {
    return 3 * h * h;
  }

  /** Adds {@code scale * W} to the recurrent weights' gradients (the derivative of scale/2 ||W||^2). */
  void addRecurrentL2Gradient(float scale) {
    for (int i = 0; i < 2 * h * h; i++) {
      grad.add(whRu + i, scale * theta.get(whRu + i));
    }
    for (int i = 0; i < h * h; i++) {
      grad.add(whC + i, scale * theta.get(whC + i));
    }
  }

  /** Zeroes the gradient carry (before backpropagating a sequence). */
  void clearCarry() {
    carry.zero();
  }
}
