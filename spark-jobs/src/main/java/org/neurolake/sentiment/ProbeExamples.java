package org.neurolake.sentiment;

/**
 * Labeled examples (binary labels, 0 = negative, 1 = positive) a {@link LinearProbe} is fit on and
 * scored on, in a fixed order: the mLSTM's dense features ({@link LabeledFeatures}) or a text
 * baseline's hashed counts ({@link SparseFeatures}). The solvers ({@link ProbeSolver}), the penalty
 * selection ({@link PenaltySelector}) and the cross-validated protocols ({@link CrossValidatedProbe})
 * take either, so every feature set is scored by one loop.
 */
public interface ProbeExamples {
  int size();

  /** The feature dimension (the probe's weight count). */
  int features();

  /** The labels, in example order (a copy). */
  int[] labels();

  /** The examples at {@code indices}, in that order (rows shared, not copied). */
  ProbeExamples subset(int[] indices);

  /** Feature values held (examples × features when dense, the non-zeros when sparse): the solver's size measure. */
  long storedValues();

  double accuracy(LinearProbe probe);

  /** Example {@code i}'s non-zero features in ascending feature order (0-based). */
  void nonZeros(int i, NonZero to);

  /** Receives one non-zero feature of an example. */
  @FunctionalInterface
  interface NonZero {
    void accept(int feature, double value);
  }
}
