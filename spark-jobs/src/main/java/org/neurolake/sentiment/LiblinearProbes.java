package org.neurolake.sentiment;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The probe fit in-process with LIBLINEAR's Java port, solver {@code L1R_LR} (the one scikit-learn's
 * {@code LogisticRegression(penalty='l1')} ran for the paper): minimize C·Σ loss + ‖w‖₁ directly in
 * scikit-learn's C, with a bias feature of value 1 that is <em>not</em> regularized
 * ({@code regularize_bias = false}, as MLlib's intercept), so both solvers fit the same problem.
 * The grid's fits run {@code parallelism} at once ({@link GridFits}); each gets its own seeded
 * {@link Random} (LIBLINEAR's coordinate descent shuffles), so the result does not depend on the
 * parallelism or on other fits running.
 *
 * @param eps LIBLINEAR's stopping tolerance (scikit-learn's {@code tol}; its default 1e-4)
 * @param seed the seed of every fit's shuffling
 */
public record LiblinearProbes(int parallelism, double eps, long seed) implements ProbeSolver {
  public static final double DEFAULT_EPS = 1e-4;

  static {
    // LIBLINEAR prints its iterations to stdout by default; the probe reports its own progress.
    Linear.disableDebugOutput();
  }

  public LiblinearProbes {
    if (parallelism < 1 || !(eps > 0)) {
      throw new IllegalArgumentException("need parallelism >= 1 and eps > 0, got " + parallelism + ", " + eps);
    }
  }

  public LiblinearProbes(int parallelism) {
    this(parallelism, DEFAULT_EPS, 1);
  }

  @Override
  public String name() {
    return "liblinear";
  }

  @Override
  public List<LinearProbe> fit(ProbeExamples train, List<Double> grid) {
    Problem problem = problem(train);
    return GridFits.map(grid, parallelism, c -> fitOne(problem, train.features(), c));
  }

  /** The examples as LIBLINEAR's sparse rows (zeros left out) with the bias feature n+1 = 1 appended. */
  static Problem problem(ProbeExamples train) {
    int[] y = train.labels();
    int d = train.features();
    Problem p = new Problem();
    p.l = y.length;
    p.n = d + 1;
    p.bias = 1.0;
    p.y = new double[y.length];
    p.x = new Feature[y.length][];
    for (int i = 0; i < y.length; i++) {
      p.y[i] = y[i];
      List<Feature> row = new ArrayList<>();
      train.nonZeros(i, (j, v) -> row.add(new FeatureNode(j + 1, v)));
      row.add(new FeatureNode(d + 1, 1.0));
      p.x[i] = row.toArray(Feature[]::new);
    }
    return p;
  }

  private LinearProbe fitOne(Problem problem, int d, double c) {
    Parameter param = new Parameter(SolverType.L1R_LR, c, eps);
    param.setRegularizeBias(false);
    param.setRandom(new Random(seed));
    Model m = Linear.train(problem, param);
    double[] w = new double[d];
    double intercept;
    int[] labels = m.getLabels();
    if (labels.length == 1) {
      // One class only: LIBLINEAR returns no weights; the probe predicts that class.
      return new LinearProbe(w, labels[0] == 1 ? 1 : -1);
    }
    // LIBLINEAR's decision value is for its first label (the first seen); the probe's for label 1.
    int positive = labels[0] == 1 ? 0 : 1;
    for (int j = 0; j < d; j++) {
      w[j] = m.getDecfunCoef(j + 1, positive);
    }
    intercept = m.getDecfunBias(positive);
    return new LinearProbe(w, intercept);
  }
}
