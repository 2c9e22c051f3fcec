package org.neurolake.model.optim;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Adagrad (Duchi, Hazan, Singer 2011) as TensorFlow's {@code AdagradOptimizer}, the optimizer of
 * "Exploring the Limits of Language Modeling": per parameter, a += g^2, then p -= lr g / sqrt(a),
 * the accumulators starting at {@code initialAccumulator} > 0 (which keeps the first step finite).
 * It owns its state, the {@link #size()} accumulators in parameter order.
 *
 * <p>A parameter whose gradient is 0 does not move and its accumulator does not change, so a
 * row-sparse gradient (the embedding or softmax rows a batch touches) is applied exactly by
 * {@link #update} on the touched ranges only. Global-norm clipping is the caller's: it passes the
 * factor every gradient value is multiplied by ({@link #clipScale}).
 *
 * <p>Not thread-safe.
 */
public final class Adagrad implements OptimizerState {
  /** TensorFlow's default. */
  public static final double DEFAULT_INITIAL_ACCUMULATOR = 0.1;

  private final double initialAccumulator;
  private final float[] accumulator;

  public Adagrad(double initialAccumulator, long size) {
    if (!(initialAccumulator > 0) || Double.isInfinite(initialAccumulator)) {
      throw new IllegalArgumentException("Adagrad's initial accumulator must be finite and > 0, got "
          + initialAccumulator);
    }
    if (size < 0 || size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("Adagrad handles 0 to 2^31 parameters, got " + size);
    }
    this.initialAccumulator = initialAccumulator;
    this.accumulator = new float[(int) size];
    Arrays.fill(accumulator, (float) initialAccumulator);
  }

  public int size() {
    return accumulator.length;
  }

  /** clipNorm / norm when the gradient's global L2 norm exceeds clipNorm > 0, else 1. */
  public static double clipScale(double norm, double clipNorm) {
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("the gradient is not finite (global norm " + norm + ")");
    }
    return clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1.0;
  }

  /**
   * A dense step over all parameters with global-norm clipping at {@code clipNorm} (0 = none);
   * returns the gradient's norm before clipping.
   */
  public double step(float[] params, float[] grads, double learningRate, double clipNorm) {
    if (params.length < size() || grads.length < size()) {
      throw new IllegalArgumentException("need " + size() + " parameters and gradients, got " + params.length + " and "
          + grads.length);
    }
    double ss = 0;
    for (int i = 0; i < size(); i++) {
      ss += (double) grads[i] * grads[i];
    }
    double norm = Math.sqrt(ss);
    update(FloatBuffer.wrap(params), 0, FloatBuffer.wrap(grads), 0, size(), learningRate, clipScale(norm, clipNorm));
    return norm;
  }

  /**
   * Updates parameters {@code at .. at+length-1} (absolute indices into {@code params} and into the
   * state) with gradient values {@code grads[from ..]} times {@code gradScale}.
   */
  public void update(FloatBuffer params, int at, FloatBuffer grads, int from, int length, double learningRate,
      double gradScale) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be finite and >= 0, got " + learningRate);
    }
    if (at < 0 || length < 0 || at + length > size() || from < 0 || from + length > grads.limit()) {
      throw new IllegalArgumentException("range " + at + "+" + length + " (gradient from " + from + ") outside "
          + size() + " parameters / " + grads.limit() + " gradient values");
    }
    float lr = (float) learningRate;
    float scale = (float) gradScale;
    for (int i = 0; i < length; i++) {
      float g = grads.get(from + i) * scale;
      float a = accumulator[at + i] + g * g;
      accumulator[at + i] = a;
      params.put(at + i, params.get(at + i) - lr * g / (float) Math.sqrt(a));
    }
  }

  @Override
  public long stateSize() {
    return accumulator.length;
  }

  /** A copy of the accumulators, in parameter order. */
  @Override
  public float[] state() {
    return accumulator.clone();
  }

  @Override
  public void setState(float[] state) {
    if (state.length != accumulator.length) {
      throw new IllegalArgumentException("expected " + accumulator.length + " Adagrad accumulators, got "
          + state.length);
    }
    for (float a : state) {
      if (!(a > 0) || Float.isInfinite(a)) {
        throw new IllegalArgumentException("Adagrad accumulators are finite and > 0, got " + a);
      }
    }
    System.arraycopy(state, 0, accumulator, 0, state.length);
  }

  public double initialAccumulator() {
    return initialAccumulator;
  }
}
