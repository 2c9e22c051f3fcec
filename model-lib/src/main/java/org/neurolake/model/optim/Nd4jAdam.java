package org.neurolake.model.optim;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Adam}'s update as ND4J operations on arrays that live where ND4J's backend keeps them (the
 * GPU under the CUDA backend), for a model whose parameters and gradient are INDArrays on the
 * device: the same {@link AdamSettings}, the same {@link StepCoefficients} (so the same float
 * constants), the same clipping and state contract as {@link Adam}:
 * <ul>
 *   <li>the gradient's global L2 norm (before clipping) is computed first (one scalar read back);
 *       if it is not finite the step throws {@link IllegalStateException} and changes nothing;
 *   <li>when clipping applies, the gradient is multiplied by clipNorm / norm as it is read; the
 *       gradient array is never written;
 *   <li>{@link #state()} is m for every parameter, then v, each in parameter order.
 * </ul>
 * The element-wise arithmetic is {@link VectorAdamKernel}'s (g g rounded before (1 - beta2)), each
 * operation rounded to float; ND4J computes the norm in its own reduction order, so results agree
 * with the host kernels to a few float ulps per step, not bit for bit. Not thread-safe.
 */
public final class Nd4jAdam implements OptimizerState {
  private final AdamSettings settings;
  private final long size;
  private final INDArray m;
  private final INDArray v;
  private final INDArray g;
  private final INDArray work;
  private double lastGradientNorm = Double.NaN;

  public Nd4jAdam(AdamSettings settings, long size) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (size < 1 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Nd4jAdam handles 1 to " + Integer.MAX_VALUE + " parameters, got " + size);
    }
    this.size = size;
    m = Nd4j.zeros(DataType.FLOAT, size);
    v = Nd4j.zeros(DataType.FLOAT, size);
    g = Nd4j.create(DataType.FLOAT, size);
    work = Nd4j.create(DataType.FLOAT, size);
  }

  public AdamSettings settings() {
    return settings;
  }

  /**
   * One update of {@code params} (a float vector of {@code size} values, changed in place) against
   * {@code grads} (read only). Returns the gradient's global L2 norm before clipping.
   *
   * @param learningRate finite, >= 0
   * @param stepNumber t >= 1, the 1-based number of this update (see {@link Adam})
   * @throws IllegalStateException if the gradient's norm is not finite (nothing is changed)
   */
  public double step(INDArray params, INDArray grads, double learningRate, long stepNumber) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be finite and >= 0, got " + learningRate);
    }
    if (stepNumber < 1) {
      throw new IllegalArgumentException("Adam's step number t counts updates from 1, got " + stepNumber);
    }
    if (params.length() != size || grads.length() != size || params.dataType() != DataType.FLOAT
        || grads.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("Nd4jAdam updates " + size + " float parameters, got parameters "
          + params.dataType() + " x " + params.length() + " and gradient " + grads.dataType() + " x " + grads.length());
    }
    double norm = grads.norm2Number().doubleValue();
    lastGradientNorm = norm;
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("the gradient is not finite (global norm " + norm + ") at Adam step "
          + stepNumber + "; the parameters and the optimizer state were left unchanged");
    }
    StepCoefficients c = StepCoefficients.of(settings, learningRate, stepNumber, settings.gradientScale(norm));
    float c1 = 1f - c.beta1();
    float c2 = 1f - c.beta2();
    g.assign(grads.reshape(size)).muli(c.gradScale());
    // m = m beta1 + g (1 - beta1)
    m.muli(c.beta1()).addi(work.assign(g).muli(c1));
    // v = v beta2 + (g g) (1 - beta2)
    v.muli(c.beta2()).addi(work.assign(g).muli(g).muli(c2));
    // p = p - (m stepSize) / (sqrt(v) denominatorScale + epsilon)
    Transforms.sqrt(work.assign(v), false);
    work.muli(c.denominatorScale()).addi(c.epsilon());
    g.assign(m).muli(c.stepSize()).divi(work);
    params.reshape(size).subi(g);
    return norm;
  }

  /** The global L2 norm, before clipping, of the gradient of the last step (NaN before the first). */
  public double lastGradientNorm() {
    return lastGradientNorm;
  }

  @Override
  public long stateSize() {
    return 2 * size;
  }

  /** A host copy of the state: m at [0, size), then v at [size, 2 size). */
  @Override
  public float[] state() {
    float[] out = new float[(int) (2 * size)];
    System.arraycopy(m.toFloatVector(), 0, out, 0, (int) size);
    System.arraycopy(v.toFloatVector(), 0, out, (int) size, (int) size);
    return out;
  }

  /** Replaces the state with {@code state}, laid out as {@link #state()} returns it. */
  @Override
  public void setState(float[] state) {
    if (state.length != 2L * size) {
      throw new IllegalArgumentException("expected " + 2L * size + " Adam state values (m then v), got "
          + state.length);
    }
    int n = (int) size;
    m.assign(Nd4j.createFromArray(java.util.Arrays.copyOfRange(state, 0, n)));
    v.assign(Nd4j.createFromArray(java.util.Arrays.copyOfRange(state, n, 2 * n)));
  }
}
