package org.neurolake.model.melc;

/** Which evaluation of the objective MELC trains with. */
public enum Approximation {
  /** Every pair: {@link ExactCsDivergence}. */
  EXACT,
  /** Sort-and-discard within ε: {@link DiscardCsDivergence}. */
  DISCARD,
  /** Binning within ε: {@link BinnedCsDivergence}. */
  BINNED;

  /** The objective over local rows. */
  public CsDivergence over(LabeledPoints data, double gamma, double epsilon) {
    return switch (this) {
      case EXACT -> new ExactCsDivergence(data, gamma);
      case DISCARD -> new DiscardCsDivergence(data, gamma, epsilon);
      case BINNED -> BinnedCsDivergence.local(data, gamma, epsilon);
    };
  }
}
