package org.neurolake.model.api;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * What every model gives the training engine. The engine knows nothing else of a model: it moves
 * parameters and optimizer state as flat float vectors between the driver and its workers, asks
 * workers for local steps, and records the metrics a model reports.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #parameters()} and {@link #optimizerState()} return copies, in a fixed order that
 *       depends only on the {@link #spec()}; {@code set*} accept exactly what {@code get*} return.</li>
 *   <li>{@link #fit} is one optimizer step on one batch, at the learning rate last set; two models
 *       built from the same spec, given the same parameters, state and batches, compute the same
 *       result (up to the floating-point nondeterminism of the numeric backend).</li>
 *   <li>Instances are not thread-safe; a worker owns its instance.</li>
 * </ul>
 */
public interface TrainableModel {
  ModelSpec spec();

  long parameterCount();

  float[] parameters();

  /**
   * The parameters as a read-only buffer of {@link #parameterCount()} values, position 0, in
   * {@link #parameters()}'s order. Unlike {@code parameters()} it may be a view of the model's own
   * storage, valid only until the model next changes ({@link #fit}, {@link #setParameters}): the
   * engine encodes a task's result straight from it, which saves a copy of the whole vector per task
   * and round. By default, a view of such a copy.
   */
  default FloatBuffer parameterBuffer() {
    return FloatBuffer.wrap(parameters()).asReadOnlyBuffer();
  }

  void setParameters(float[] parameters);

  float[] optimizerState();

  void setOptimizerState(float[] state);

  void setLearningRate(double learningRate);

  /** Optimizer steps taken so far (Adam's bias correction depends on it). */
  long step();

  /** Sets the step counter: a worker starting round r of K local steps sets r * K. */
  void setStep(long step);

  /** One optimizer step on {@code batch}; returns the batch's training loss (before the step). */
  double fit(Batch batch);

  /** Named metrics on {@code batch}, e.g. {@code loss}, {@code accuracy}. Does not change the model. */
  Map<String, Double> evaluate(Batch batch);
}
