package org.neurolake.model.api;

import org.neurolake.model.optim.OptimizerState;

/**
 * The state plumbing every model family shares: the learning rate and the step counter with their
 * validation, and the optimizer state moved through the family's optimizer. A family supplies its
 * optimizer ({@link #optimizer()}) and computes with {@link #learningRate()} and {@link #step()},
 * counting each completed optimizer step with {@link #advanceStep()}.
 *
 * <p>A base class rather than a shared component: what repeats is the {@link TrainableModel}
 * methods themselves, which a component would still need forwarded in every family; the families
 * have no other superclass.
 */
public abstract class AbstractTrainableModel implements TrainableModel {
  /** Which learning rates {@link #setLearningRate} accepts (besides being finite). */
  protected enum RateBound {
    /** 0 and above: a rate of 0 freezes the parameters. */
    NON_NEGATIVE,
    /** Above 0 only. */
    POSITIVE
  }

  private final RateBound rateBound;
  private double learningRate;
  private long step;

  /** Starts at step 0 with {@code initialLearningRate} (the spec's, validated there). */
  protected AbstractTrainableModel(double initialLearningRate, RateBound rateBound) {
    this.learningRate = initialLearningRate;
    this.rateBound = rateBound;
  }

  /** The optimizer whose state {@link #optimizerState()} returns (the one on this model's compute path). */
  protected abstract OptimizerState optimizer();

  @Override
  public final float[] optimizerState() {
    return optimizer().state();
  }

  @Override
  public final void setOptimizerState(float[] state) {
    optimizer().setState(state);
  }

  /** The learning rate of the next step. */
  protected final double learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(double learningRate) {
    boolean inBound = rateBound == RateBound.POSITIVE ? learningRate > 0 : learningRate >= 0;
    if (!inBound || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and "
          + (rateBound == RateBound.POSITIVE ? "> 0" : ">= 0") + ", got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public final long step() {
    return step;
  }

  @Override
  public final void setStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    this.step = step;
  }

  /** Counts one completed optimizer step. */
  protected final void advanceStep() {
    step++;
  }
}
