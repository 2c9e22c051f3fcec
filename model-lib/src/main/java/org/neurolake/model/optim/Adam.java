package org.neurolake.model.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Adam (Kingma and Ba) with bias correction and global-norm gradient clipping over a flat vector of
 * {@link #size()} float parameters; it owns its state. A model calls {@link #step} once per
 * optimizer step with its parameters and their gradient, and hands {@link #state()} /
 * {@link #setState} to the training engine as its optimizer state.
 *
 * <p><b>Step number.</b> {@code stepNumber} is t in the bias corrections 1 - beta^t: the 1-based
 * number of the update being made, i.e. the count of updates before it plus one. A model that
 * counts its completed steps in {@code step} passes {@code step + 1}; the first update is t = 1,
 * where the bias-corrected moments are exactly the (clipped) gradient and its square.
 *
 * <p><b>Clipping.</b> The gradient's global L2 norm (over all {@link #size()} values, before
 * clipping) is computed first. If it is not finite, the step throws {@link IllegalStateException}
 * and changes nothing. Otherwise, if {@link AdamSettings#clipNorm()} is > 0 and the norm exceeds
 * it, every gradient value is multiplied by clipNorm / norm (in float) as it is read; the gradient
 * buffer itself is never written.
 *
 * <p><b>Update.</b> See {@link EpsilonPlacement} for the two forms and {@link StepCoefficients}
 * for the exact float arithmetic: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
 * then the parameter moves against m / sqrt(v) as the placement says.
 *
 * <p><b>State layout.</b> {@link #state()} is 2 x size floats: the first moments m of parameters
 * 0 .. size-1 at [0, size), then the second moments v at [size, 2 size), each in parameter order.
 * A new optimizer's state is all zeros. The state is held in direct memory (8 bytes per parameter).
 *
 * <p><b>Kernels.</b> Two loops compute the same equations: {@link #step(float[], float[], double,
 * long)} and {@link #step(FloatBuffer, FloatBuffer, double, long)} one element at a time, and
 * {@link #stepVectorized} with the JDK's vector API over native-order byte buffers (needs {@code
 * --add-modules jdk.incubator.vector}). Each is deterministic, but they are not bit-identical to each
 * other: they round (1 - beta2) g g in a different order and add up the squared norm differently
 * (see {@link ScalarAdamKernel}, {@link VectorAdamKernel}), so results agree to a few float ulps
 * per step. A model keeps to one kernel; the state may be moved between them.
 *
 * <p>Not thread-safe.
 */
public final class Adam implements OptimizerState {
  private static final long MAX_SIZE = Integer.MAX_VALUE / Float.BYTES;

  private final AdamSettings settings;
  private final int size;
  private final ByteBuffer m;
  private final ByteBuffer v;
  private final FloatBuffer mFloats;
  private final FloatBuffer vFloats;
  private double lastGradientNorm = Double.NaN;

  public Adam(AdamSettings settings, long size) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("Adam handles 0 to " + MAX_SIZE + " parameters, got " + size);
    }
    this.size = (int) size;
    this.m = ByteBuffer.allocateDirect(Math.max(1, this.size) * Float.BYTES).order(ByteOrder.nativeOrder());
    this.v = ByteBuffer.allocateDirect(Math.max(1, this.size) * Float.BYTES).order(ByteOrder.nativeOrder());
    this.mFloats = m.asFloatBuffer();
    this.vFloats = v.asFloatBuffer();
  }

  public AdamSettings settings() {
    return settings;
  }

  /** The number of parameters. */
  public int size() {
    return size;
  }

  /**
   * One update, scalar kernel: moves {@code params} (updated in place) against {@code grads} (read
   * only), each holding at least {@link #size()} values. Returns the gradient's global L2 norm
   * before clipping.
   *
   * @param learningRate finite, >= 0
   * @param stepNumber t >= 1, the 1-based number of this update
   * @throws IllegalStateException if the gradient's norm is not finite (nothing is changed)
   */
  public double step(float[] params, float[] grads, double learningRate, long stepNumber) {
    return step(FloatBuffer.wrap(params), FloatBuffer.wrap(grads), learningRate, stepNumber);
  }

  /**
   * {@link #step(float[], float[], double, long)} over float buffers (heap or direct), addressed
   * by absolute index from 0 (their position is ignored and left as it is).
   */
  public double step(FloatBuffer params, FloatBuffer grads, double learningRate, long stepNumber) {
    checkStep(learningRate, stepNumber);
    requireFloats("parameters", params.limit());
    requireFloats("gradient", grads.limit());
    if (params.isReadOnly()) {
      throw new IllegalArgumentException("the parameter buffer is read-only");
    }
    StepCoefficients c = coefficients(ScalarAdamKernel.sumOfSquares(grads, size), learningRate, stepNumber);
    ScalarAdamKernel.update(size, params, grads, mFloats, vFloats, c);
    return lastGradientNorm;
  }

  /**
   * {@link #step(float[], float[], double, long)} with the vector-API kernel, over byte buffers in
   * native byte order holding at least {@link #size()} floats from byte 0 (position ignored).
   */
  public double stepVectorized(ByteBuffer params, ByteBuffer grads, double learningRate, long stepNumber) {
    checkStep(learningRate, stepNumber);
    requireBytes("parameters", params);
    requireBytes("gradient", grads);
    if (params.isReadOnly()) {
      throw new IllegalArgumentException("the parameter buffer is read-only");
    }
    StepCoefficients c = coefficients(VectorAdamKernel.sumOfSquares(grads, size), learningRate, stepNumber);
    VectorAdamKernel.update(size, params, grads, m, v, c);
    return lastGradientNorm;
  }

  /**
   * The global L2 norm, before clipping, of the gradient of the last step call (also when that
   * call threw because it was not finite); NaN before the first.
   */
  public double lastGradientNorm() {
    return lastGradientNorm;
  }

  @Override
  public long stateSize() {
    return 2L * size;
  }

  /** A copy of the state: m at [0, size), then v at [size, 2 size). */
  @Override
  public float[] state() {
    float[] out = new float[2 * size];
    mFloats.get(0, out, 0, size);
    vFloats.get(0, out, size, size);
    return out;
  }

  /** Replaces the state with {@code state}, laid out as {@link #state()} returns it. */
  @Override
  public void setState(float[] state) {
    if (state.length != 2L * size) {
      throw new IllegalArgumentException("expected " + 2L * size + " Adam state values (m then v), got "
          + state.length);
    }
    mFloats.put(0, state, 0, size);
    vFloats.put(0, state, size, size);
  }

  private StepCoefficients coefficients(double sumOfSquares, double learningRate, long stepNumber) {
    double norm = Math.sqrt(sumOfSquares);
    lastGradientNorm = norm;
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("the gradient is not finite (global norm " + norm + ") at Adam step "
          + stepNumber + "; the parameters and the optimizer state were left unchanged");
    }
    return StepCoefficients.of(settings, learningRate, stepNumber, settings.gradientScale(norm));
  }

  private static void checkStep(double learningRate, long stepNumber) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be finite and >= 0, got " + learningRate);
    }
    if (stepNumber < 1) {
      throw new IllegalArgumentException("Adam's step number t counts updates from 1, got " + stepNumber);
    }
  }

  private void requireFloats(String what, int available) {
    if (available < size) {
      throw new IllegalArgumentException("the " + what + " buffer holds " + available + " values, Adam updates "
          + size);
    }
  }

  private void requireBytes(String what, ByteBuffer b) {
    if (b.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("the " + what + " buffer must be in native byte order");
    }
    requireFloats(what, b.limit() / Float.BYTES);
  }
}
