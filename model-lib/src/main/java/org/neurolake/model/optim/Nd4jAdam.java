package org.neurolake.model.optim;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Adam}'s update as ND4J operations on flat float INDArrays, so that parameters, gradient and
 * moments stay on the backend's device (a GPU's memory under CUDA): same settings, step number,
 * clipping rule, {@link StepCoefficients} and state layout (m then v) as {@link Adam}, so a state
 * moves between the two. Only the gradient's global norm comes back to the host (to decide the
 * clipping and reject a non-finite gradient before anything changes). The arithmetic is the same
 * equations in float; ND4J sums the squared norm in its own order, so results agree with {@link
 * Adam}'s kernels to a few float ulps per step, not bit for bit. Not thread-safe.
 */
public final class Nd4jAdam {
  private final AdamSettings settings;
  private final long size;
  private final INDArray m;
  private final INDArray v;
  private double lastGradientNorm = Double.NaN;

  public Nd4jAdam(AdamSettings settings, long size) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (size < 1 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Nd4jAdam handles 1 to " + Integer.MAX_VALUE + " parameters, got " + size);
    }
    this.size = size;
    this.m = Nd4j.zeros(DataType.FLOAT, size);
    this.v = Nd4j.zeros(DataType.FLOAT, size);
  }

  public AdamSettings settings() {
    return settings;
  }

  /**
   * One update: moves {@code params} (a float vector of {@code size} values, updated in place)
   * against {@code grads} (read only). Returns the gradient's global L2 norm before clipping.
   *
   * @param learningRate finite, >= 0
   * @param stepNumber t >= 1, the 1-based number of this update
   * @throws IllegalStateException if the gradient's norm is not finite (nothing is changed)
   */
  public double step(INDArray params, INDArray grads, double learningRate, long stepNumber) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be finite and >= 0, got " + learningRate);
    }
    if (stepNumber < 1) {
      throw new IllegalArgumentException("Adam's step number t counts updates from 1, got " + stepNumber);
    }
    requireVector("parameters", params);
    requireVector("gradient", grads);
    double norm = Math.sqrt(sumOfSquares(grads));
    lastGradientNorm = norm;
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("the gradient is not finite (global norm " + norm + ") at Adam step "
          + stepNumber + "; the parameters and the optimizer state were left unchanged");
    }
    StepCoefficients c = StepCoefficients.of(settings, learningRate, stepNumber, settings.gradientScale(norm));
    INDArray g = grads.mul(c.gradScale());
    m.muli(c.beta1()).addi(g.mul(1 - c.beta1()));
    v.muli(c.beta2()).addi(g.mul(1 - c.beta2()).muli(g));
    INDArray denominator = Transforms.sqrt(v, true).muli(c.denominatorScale()).addi(c.epsilon());
    params.subi(m.mul(c.stepSize()).divi(denominator));
    return norm;
  }

  /** Sum of squares in double precision (each square exact), as {@link Adam}'s scalar kernel takes it. */
  private static double sumOfSquares(INDArray grads) {
    INDArray d = grads.castTo(DataType.DOUBLE);
    return d.mul(d).sumNumber().doubleValue();
  }

  public double lastGradientNorm() {
    return lastGradientNorm;
  }

  /** A copy of the state on the host: m at [0, size), then v at [size, 2 size). */
  public float[] state() {
    float[] out = new float[(int) (2 * size)];
    System.arraycopy(m.toFloatVector(), 0, out, 0, (int) size);
    System.arraycopy(v.toFloatVector(), 0, out, (int) size, (int) size);
    return out;
  }

  /** Replaces the state with {@code state}, laid out as {@link #state()} returns it. */
  public void setState(float[] state) {
    if (state.length != 2L * size) {
      throw new IllegalArgumentException("expected " + 2L * size + " Adam state values (m then v), got "
          + state.length);
    }
    float[] mv = new float[(int) size];
    System.arraycopy(state, 0, mv, 0, (int) size);
    m.assign(Nd4j.createFromArray(mv));
    System.arraycopy(state, (int) size, mv, 0, (int) size);
    v.assign(Nd4j.createFromArray(mv));
  }

  private void requireVector(String what, INDArray a) {
    if (a.length() != size || a.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("the " + what + " must be " + size + " floats, got " + a.length() + " "
          + a.dataType());
    }
  }
}
