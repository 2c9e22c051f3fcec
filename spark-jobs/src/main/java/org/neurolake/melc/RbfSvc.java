package org.neurolake.melc;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * The RBF-kernel SVM reference of the MELC evaluation: LIBSVM's Java port ({@code
 * tw.edu.ntu.csie:libsvm}, C-SVC, kernel {@code exp(-g‖x - x'‖²)}; more than two classes one-vs-one,
 * as LIBSVM does), with C and g chosen by a stratified inner cross-validation (seeded, balanced
 * accuracy; ties to the earlier grid point) on the rows given, then refitted on all of them. The
 * caller passes only training rows, already standardized on them. LIBSVM's CPU solver, not ND4J:
 * it is a reference, not a model of this project.
 */
public final class RbfSvc {
  /** LIBSVM's solver tolerance and kernel cache (its defaults). */
  private static final double TOLERANCE = 1e-3;
  private static final double CACHE_MB = 100;

  /**
   * The grid of the inner cross-validation.
   *
   * @param c the C values
   * @param gammaFactors g = factor / d for d features
   * @param innerFolds folds of the choice
   * @param seed of the inner folds
   */
  public record Grid(List<Double> c, List<Double> gammaFactors, int innerFolds, long seed) {
    public static final List<Double> DEFAULT_C = List.of(0.1, 1.0, 10.0, 100.0);
    public static final List<Double> DEFAULT_GAMMA_FACTORS = List.of(0.1, 1.0, 10.0);

    public Grid {
      c = List.copyOf(c);
      gammaFactors = List.copyOf(gammaFactors);
      if (c.isEmpty() || gammaFactors.isEmpty() || innerFolds < 2
          || c.stream().anyMatch(v -> !(v > 0)) || gammaFactors.stream().anyMatch(v -> !(v > 0))) {
        throw new IllegalArgumentException("a nonempty positive C grid and gamma-factor grid and innerFolds >= 2"
            + " required: C=" + c + " gammaFactors=" + gammaFactors + " innerFolds=" + innerFolds);
      }
    }

    public static Grid defaults(int innerFolds, long seed) {
      return new Grid(DEFAULT_C, DEFAULT_GAMMA_FACTORS, innerFolds, seed);
    }
  }

  /** The chosen hyperparameters and their inner-CV balanced accuracy. */
  public record Choice(double c, double gamma, double innerBalancedAccuracy) {}

  private final svm_model model;
  private final Choice choice;

  private RbfSvc(svm_model model, Choice choice) {
    this.model = model;
    this.choice = choice;
  }

  /** Chooses C and g on {@code (x, y)} by inner CV and fits on all of it. */
  public static RbfSvc fit(double[][] x, int[] y, int classes, Grid grid) {
    Choice choice = choose(x, y, classes, grid);
    return new RbfSvc(train(x, y, choice), choice);
  }

  /** The inner cross-validation's choice on {@code (x, y)}. */
  public static Choice choose(double[][] x, int[] y, int classes, Grid grid) {
    int[] fold = StratifiedFolds.assign(y, classes, grid.innerFolds(), grid.seed());
    int d = x[0].length;
    Choice best = null;
    for (double c : grid.c()) {
      for (double factor : grid.gammaFactors()) {
        Choice candidate = new Choice(c, factor / d, 0);
        double sum = 0;
        for (int f = 0; f < grid.innerFolds(); f++) {
          int ff = f;
          double[][] trX = rows(x, fold, i -> i != ff);
          int[] trY = labels(y, fold, i -> i != ff);
          double[][] teX = rows(x, fold, i -> i == ff);
          int[] teY = labels(y, fold, i -> i == ff);
          RbfSvc m = new RbfSvc(train(trX, trY, candidate), candidate);
          sum += BalancedAccuracy.of(teY, m.predictAll(teX), classes);
        }
        double score = sum / grid.innerFolds();
        if (best == null || score > best.innerBalancedAccuracy()) {
          best = new Choice(c, factor / d, score);
        }
      }
    }
    return best;
  }

  public Choice choice() {
    return choice;
  }

  public int predict(double[] x) {
    return (int) Math.round(svm.svm_predict(model, nodes(x)));
  }

  public int[] predictAll(double[][] x) {
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = predict(x[i]);
    }
    return out;
  }

  private static svm_model train(double[][] x, int[] y, Choice choice) {
    // LIBSVM prints its solver's progress to stdout through a static hook; the evaluation prints its own table.
    svm.svm_set_print_string_function(s -> { });
    svm_problem problem = new svm_problem();
    problem.l = x.length;
    problem.x = new svm_node[x.length][];
    problem.y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      problem.x[i] = nodes(x[i]);
      problem.y[i] = y[i];
    }
    svm_parameter p = new svm_parameter();
    p.svm_type = svm_parameter.C_SVC;
    p.kernel_type = svm_parameter.RBF;
    p.gamma = choice.gamma();
    p.C = choice.c();
    p.eps = TOLERANCE;
    p.cache_size = CACHE_MB;
    p.shrinking = 1;
    p.probability = 0;
    p.nr_weight = 0;
    p.weight_label = new int[0];
    p.weight = new double[0];
    String error = svm.svm_check_parameter(problem, p);
    if (error != null) {
      throw new IllegalArgumentException("LIBSVM refuses the RBF SVM's parameters: " + error);
    }
    return svm.svm_train(problem, p);
  }

  private static svm_node[] nodes(double[] x) {
    svm_node[] out = new svm_node[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = new svm_node();
      out[j].index = j + 1;
      out[j].value = x[j];
    }
    return out;
  }

  private static double[][] rows(double[][] x, int[] fold, IntPredicate keep) {
    return IntStream.range(0, x.length).filter(i -> keep.test(fold[i])).mapToObj(i -> x[i])
        .toArray(double[][]::new);
  }

  private static int[] labels(int[] y, int[] fold, IntPredicate keep) {
    return IntStream.range(0, y.length).filter(i -> keep.test(fold[i])).map(i -> y[i]).toArray();
  }
}
