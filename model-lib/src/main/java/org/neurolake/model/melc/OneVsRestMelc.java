package org.neurolake.model.melc;

import java.util.ArrayList;
import java.util.List;

/**
 * MELC for more than two classes, one-vs-rest: one binary MELC per class (that class as label 1,
 * all others 0); a row goes to the class whose classifier scores it highest. With two classes it
 * is the single binary classifier.
 */
public final class OneVsRestMelc {
  private final List<MelcClassifier> perClass;

  private OneVsRestMelc(List<MelcClassifier> perClass) {
    this.perClass = List.copyOf(perClass);
  }

  /**
   * Trains on rows {@code x} with labels {@code 0..classes-1}; {@code extraStarts}, when not null,
   * holds one extra L-BFGS start per binary problem (for two classes, one).
   */
  public static OneVsRestMelc fit(double[][] x, int[] labels, int classes, MelcSpec spec, double[][] extraStarts) {
    if (classes < 2) {
      throw new IllegalArgumentException("at least two classes required, got " + classes);
    }
    List<MelcClassifier> models = new ArrayList<>();
    int problems = classes == 2 ? 1 : classes;
    for (int c = 0; c < problems; c++) {
      int positive = classes == 2 ? 1 : c;
      LabeledPoints binary = new LabeledPoints(x, LabeledPoints.oneVsRest(labels, positive));
      models.add(MelcTrainer.fit(binary, spec, extraStarts == null ? null : extraStarts[c]));
    }
    return new OneVsRestMelc(models);
  }

  /** From binary classifiers already trained: one (two classes) or one per class, class c's at index c. */
  public static OneVsRestMelc of(List<MelcClassifier> perClass) {
    if (perClass.isEmpty() || perClass.size() == 2) {
      throw new IllegalArgumentException("one binary classifier, or one per class of at least three, required; got "
          + perClass.size());
    }
    return new OneVsRestMelc(perClass);
  }

  public int predict(double[] x) {
    if (perClass.size() == 1) {
      return perClass.get(0).predict(x);
    }
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < perClass.size(); c++) {
      double s = perClass.get(c).score(x);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    return best;
  }

  /** The binary classifiers (one for two classes). */
  public List<MelcClassifier> classifiers() {
    return perClass;
  }

  /** The thresholds of each binary classifier's decision, summed (one-vs-rest: over its classes). */
  public int thresholds() {
    return perClass.stream().mapToInt(MelcClassifier::thresholds).sum();
  }
}
