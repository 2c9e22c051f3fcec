package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The sentiment neuron paper's evaluation of a language model's features on a labeled source, on
 * data in memory (no table or file I/O): the L1 probe with C chosen on dev ({@link ProbeGrid}), the
 * sentiment unit ({@link SentimentUnitChoice}), the data-efficiency curve and, given the texts, the
 * bag-of-words and byte n-gram baselines ({@link TextBaselines}). Spark runs the MLlib fits only.
 *
 * @param grid the penalties C, ascending (ties on dev go to the smaller C)
 * @param seeds subsets drawn per data-efficiency size below all training examples
 * @param maxIter MLlib iterations per fit
 * @param parallelism fits of the grid run at once
 * @param hashFeatures hashed features of the baselines
 * @param solvers which solver fits the probe ({@link ProbeSolverChoice}; the baselines always use MLlib)
 */
public record SentimentProbe(List<Double> grid, int seeds, int maxIter, int parallelism, int hashFeatures,
    ProbeSolverChoice solvers) {
  /** Every probe fit with MLlib, as before the in-process solver. */
  public SentimentProbe(List<Double> grid, int seeds, int maxIter, int parallelism, int hashFeatures) {
    this(grid, seeds, maxIter, parallelism, hashFeatures, ProbeSolverChoice.MLLIB);
  }

  public SentimentProbe {
    java.util.Objects.requireNonNull(solvers, "solvers");
    grid = List.copyOf(grid);
    if (grid.isEmpty() || seeds < 1 || maxIter < 1 || parallelism < 1 || hashFeatures < 2) {
      throw new IllegalArgumentException("need a non-empty grid, seeds, maxIter and parallelism >= 1 and hashFeatures"
          + " >= 2, got " + grid + ", " + seeds + ", " + maxIter + ", " + parallelism + ", " + hashFeatures);
    }
  }

  /**
   * Evaluates {@code features} of {@code dataset}; the baselines only when {@code texts} are given.
   * {@code progress} gets a line after each long step (a full run takes minutes to hours).
   */
  public SentimentProbeResult apply(SparkSession spark, String dataset, BySplit<LabeledFeatures> features,
      Optional<BySplit<LabeledTexts>> texts, Consumer<String> progress) {
    ProbeGrid probes = new ProbeGrid(grid, maxIter, parallelism, solvers);
    LabeledFeatures train = features.train();

    // The probe on all training examples and the data-efficiency curve's subsets in one batch.
    long t0 = System.nanoTime();
    List<CurveSubset> subsets = curveSubsets(train);
    List<LabeledFeatures> sets = new ArrayList<>();
    sets.add(train);
    subsets.forEach(s -> sets.add(s.examples()));
    List<PenaltyChoice<LinearProbe>> fits = probes.fitEach(spark, sets, features.dev());
    PenaltyChoice<LinearProbe> all = fits.get(0);
    ProbeFit probe = new ProbeFit(all, train.size(), features.test().accuracy(all.chosenModel()));
    progress.accept(String.format(Locale.ROOT, "probe on %d examples, C = %s chosen on dev (accuracy %.4f), %d"
        + " non-zero weights; with the data-efficiency curve, %d training sets x %d C fit in %.0f s", train.size(),
        probe.c(), all.chosen().devAccuracy(), probe.probe().nonZeroWeights(), sets.size(), grid.size(),
        (System.nanoTime() - t0) / 1e9));

    SentimentUnitChoice unit = SentimentUnitChoice.find(all, features);
    if (unit.probeC() != probe.c()) {
      progress.accept("the chosen probe (C=" + probe.c() + ") has no non-zero weight; the sentiment unit comes from"
          + " the least penalized probe");
    }

    List<DataEfficiencyPoint> curve = dataEfficiency(features, subsets, fits, progress);
    List<BaselineFit> baselines = texts
        .map(t -> new TextBaselines(grid, maxIter, hashFeatures, parallelism).fit(spark, t))
        .orElse(List.of());
    return new SentimentProbeResult(dataset, probe, unit, UnitHistogram.of(features.test(), unit.unit()), curve,
        baselines);
  }

  /** A training subset of the data-efficiency curve: {@code size} examples drawn with {@code seed}. */
  private record CurveSubset(int size, int seed, LabeledFeatures examples) {}

  /**
   * Stratified subsets of 8, 16, ... training examples ({@link LabeledSubsets}), {@code seeds} each,
   * below all the examples (the probe on all of them is the curve's last point).
   */
  private List<CurveSubset> curveSubsets(LabeledFeatures train) {
    List<CurveSubset> out = new ArrayList<>();
    for (int n : LabeledSubsets.sizes(train.size())) {
      if (n < train.size()) {
        for (int seed = 0; seed < seeds; seed++) {
          out.add(new CurveSubset(n, seed, train.subset(LabeledSubsets.sample(train.labels(), n, seed))));
        }
      }
    }
    return out;
  }

  /**
   * The curve's points: C chosen on dev for each subset ({@code fits}: the probe on all examples
   * first, then one per subset in order), scored on test; all the examples once, seed 0.
   */
  private static List<DataEfficiencyPoint> dataEfficiency(BySplit<LabeledFeatures> features,
      List<CurveSubset> subsets, List<PenaltyChoice<LinearProbe>> fits, Consumer<String> progress) {
    List<DataEfficiencyPoint> out = new ArrayList<>();
    for (int k = 0; k <= subsets.size(); k++) {
      boolean all = k == subsets.size();
      PenaltyChoice<LinearProbe> c = fits.get(all ? 0 : k + 1);
      int n = all ? features.train().size() : subsets.get(k).size();
      int seed = all ? 0 : subsets.get(k).seed();
      out.add(new DataEfficiencyPoint(n, seed, c.chosen().c(), c.chosen().devAccuracy(),
          features.test().accuracy(c.chosenModel())));
    }
    for (int from = 0; from < out.size(); ) {
      int n = out.get(from).examples();
      int to = from;
      double testSum = 0;
      while (to < out.size() && out.get(to).examples() == n) {
        testSum += out.get(to++).testAccuracy();
      }
      progress.accept(String.format(Locale.ROOT, "%d labeled examples, %d seed(s): mean test accuracy %.4f", n,
          to - from, testSum / (to - from)));
      from = to;
    }
    return out;
  }
}
