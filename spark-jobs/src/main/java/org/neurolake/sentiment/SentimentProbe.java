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

    PenaltyChoice<LinearProbe> all = probes.fit(spark, train, features.dev());
    ProbeFit probe = new ProbeFit(all, train.size(), features.test().accuracy(all.chosenModel()));
    progress.accept(String.format(Locale.ROOT, "probe on %d examples, C = %s chosen on dev (accuracy %.4f), %d"
        + " non-zero weights", train.size(), probe.c(), all.chosen().devAccuracy(), probe.probe().nonZeroWeights()));

    SentimentUnitChoice unit = SentimentUnitChoice.find(all, features);
    if (unit.probeC() != probe.c()) {
      progress.accept("the chosen probe (C=" + probe.c() + ") has no non-zero weight; the sentiment unit comes from"
          + " the least penalized probe");
    }

    List<DataEfficiencyPoint> curve = dataEfficiency(spark, probes, features, all, progress);
    List<BaselineFit> baselines = texts
        .map(t -> new TextBaselines(grid, maxIter, hashFeatures, parallelism).fit(spark, t))
        .orElse(List.of());
    return new SentimentProbeResult(dataset, probe, unit, UnitHistogram.of(features.test(), unit.unit()), curve,
        baselines);
  }

  /**
   * Stratified subsets of 8, 16, ... training examples ({@link LabeledSubsets}), {@code seeds} each,
   * C chosen on dev for each; all the examples once (the probe already fit on them).
   */
  private List<DataEfficiencyPoint> dataEfficiency(SparkSession spark, ProbeGrid probes,
      BySplit<LabeledFeatures> features, PenaltyChoice<LinearProbe> all, Consumer<String> progress) {
    LabeledFeatures train = features.train();
    List<DataEfficiencyPoint> out = new ArrayList<>();
    for (int n : LabeledSubsets.sizes(train.size())) {
      long t0 = System.nanoTime();
      int seedsHere = n == train.size() ? 1 : seeds;
      double testSum = 0;
      for (int seed = 0; seed < seedsHere; seed++) {
        PenaltyChoice<LinearProbe> c = n == train.size() ? all
            : probes.fit(spark, train.subset(LabeledSubsets.sample(train.labels(), n, seed)), features.dev());
        double test = features.test().accuracy(c.chosenModel());
        testSum += test;
        out.add(new DataEfficiencyPoint(n, seed, c.chosen().c(), c.chosen().devAccuracy(), test));
      }
      progress.accept(String.format(Locale.ROOT, "%d labeled examples, %d seed(s): mean test accuracy %.4f (%.0f s)",
          n, seedsHere, testSum / seedsHere, (System.nanoTime() - t0) / 1e9));
    }
    return out;
  }
}
