package org.neurolake.sentiment;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The probe fit in-process with LIBLINEAR's Java port, solver {@code L1R_LR} (the one scikit-learn's
 * {@code LogisticRegression(penalty='l1')} ran for the paper): minimize C·Σ loss + ‖w‖₁ directly in
 * scikit-learn's C, with a bias feature of value 1 that is <em>not</em> regularized
 * ({@code regularize_bias = false}, as MLlib's intercept), so both solvers fit the same problem.
 * The grid's fits run on a pool of {@code parallelism} threads, at most one per core (the fits are
 * CPU-bound; more threads than cores only add switching), see {@link GridFits}; each fit gets its
 * own seeded {@link Random} (LIBLINEAR's coordinate descent shuffles), so the result does not depend
 * on the parallelism, on batching ({@link #fitEach}) or on other fits running. A training set's
 * {@link Problem} is built once and shared by its grid's fits (LIBLINEAR only reads it).
 *
 * <p>No warm start along the C path: LIBLINEAR 2.44 accepts an initial solution
 * ({@code Parameter.setInitSol}) for L2R_LR, L2R_L2LOSS_SVC and L2R_L2LOSS_SVR only; {@code Linear.train}
 * refuses it for L1R_LR, whose solver ({@code solve_l1r_lr}) starts from w = 0.
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
    return fitEach(List.of(train), grid).get(0);
  }

  /**
   * Every (training set, C) fit on one pool, the largest sets and then the largest C (the slowest
   * fits: more non-zero weights) submitted first, so no core idles behind one set's slowest fit.
   */
  @Override
  public List<List<LinearProbe>> fitEach(List<? extends ProbeExamples> trains, List<Double> grid) {
    List<SharedProblem> problems = trains.stream().map(t -> new SharedProblem(t, grid.size())).toList();
    List<Fit> fits = new ArrayList<>(trains.size() * grid.size());
    for (int t = 0; t < trains.size(); t++) {
      for (int g = 0; g < grid.size(); g++) {
        fits.add(new Fit(t, g));
      }
    }
    fits.sort(Comparator.comparingLong((Fit f) -> -trains.get(f.set()).storedValues())
        .thenComparing(f -> -grid.get(f.penalty())));
    List<LinearProbe> fitted = GridFits.mapTasks(fits, threads(),
        f -> {
          SharedProblem p = problems.get(f.set());
          try {
            return fitOne(p.acquire(), trains.get(f.set()).features(), grid.get(f.penalty()));
          } finally {
            p.release(); // a failed fit still counts, or the set's Problem would be held to the end
          }
        });
    List<List<LinearProbe>> out = new ArrayList<>(trains.size());
    for (int t = 0; t < trains.size(); t++) {
      out.add(new ArrayList<>(java.util.Collections.nCopies(grid.size(), (LinearProbe) null)));
    }
    for (int k = 0; k < fits.size(); k++) {
      out.get(fits.get(k).set()).set(fits.get(k).penalty(), fitted.get(k));
    }
    return out.stream().map(List::copyOf).toList();
  }

  /** The pool size: {@code parallelism}, at most the cores available. */
  int threads() {
    return Math.max(1, Math.min(parallelism, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * A training set's {@link Problem}, built by the first of its fits to start and dropped when the
   * last one ends: a batch's fits of one set run next to each other, so only the sets being fit are
   * held (the data-efficiency curve's ~50 subsets would otherwise all be in memory at once).
   */
  private static final class SharedProblem {
    private final ProbeExamples train;
    private int fitsLeft;
    private Problem problem;

    SharedProblem(ProbeExamples train, int fits) {
      this.train = train;
      this.fitsLeft = fits;
    }

    synchronized Problem acquire() {
      if (problem == null) {
        problem = problem(train);
      }
      return problem;
    }

    synchronized void release() {
      if (--fitsLeft == 0) {
        problem = null;
      }
    }
  }

  /** One fit of a batch: training set {@code set}, penalty {@code penalty} (indices). */
  private record Fit(int set, int penalty) {}

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
