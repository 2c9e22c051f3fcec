package org.neurolake.melc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.CatalogSettings;
import org.neurolake.jobs.JobRunner;
import org.neurolake.model.melc.MelcSpec;
import org.neurolake.pipelines.table.Lake;

/**
 * The RBF reference of the MELC evaluation: on an XOR set it separates what LinearSVC cannot, and
 * its C and kernel width are chosen on the training folds only.
 */
class RbfSvcTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    spark = JobRunner.session("rbf-svc-test", CatalogSettings.resolve(lake, null, null, false, "neurolake",
        Duration.ZERO));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Two features uniform on [-1, 1], label 1 where they have the same sign; {@code noise} labels flipped at random. */
  static UciSet xor(int n, double noise, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = 2 * r.nextDouble() - 1;
      x[i][1] = 2 * r.nextDouble() - 1;
      y[i] = x[i][0] * x[i][1] > 0 ? 1 : 0;
      if (r.nextDouble() < noise) {
        y[i] = 1 - y[i];
      }
    }
    return new UciSet("xor", x, y, 2);
  }

  @Test
  void rbfSvcLearnsXorWhereTheLinearSvmCannot() {
    MelcCrossValidation.Config cfg = new MelcCrossValidation.Config(3, 3, List.of(0.01, 1.0), 20, 1,
        MelcSpec.builder(2).randomStarts(1).maxIterations(5).build()).withRbf();
    Map<String, MelcCrossValidation.ModelScore> scores = MelcCrossValidation.run(spark, xor(240, 0, 3), cfg).stream()
        .collect(Collectors.toMap(MelcCrossValidation.ModelScore::model, Function.identity()));
    double rbf = scores.get(MelcCrossValidation.RBF_SVC).balancedAccuracy();
    double linear = scores.get(MelcCrossValidation.LINEAR_SVC).balancedAccuracy();
    assertTrue(rbf > 0.9, "rbf_svc balanced accuracy " + rbf);
    assertTrue(linear <= 0.7, "linear_svc balanced accuracy " + linear);
    assertTrue(MelcCrossValidation.metrics("xor", cfg.split(), List.copyOf(scores.values())).stream()
        .anyMatch(m -> m.model().equals("rbf_svc") && m.metric().equals("balanced_accuracy")));
  }

  @Test
  void hyperparametersAreChosenWithoutTheTestFold() {
    UciSet set = xor(150, 0.25, 11);
    int folds = 5;
    long seed = 4;
    RbfSvc.Grid grid = RbfSvc.Grid.defaults(3, seed);
    int[] fold = StratifiedFolds.assign(set.y(), set.classes(), folds, seed);
    List<RbfSvc.Choice> trainOnly = new ArrayList<>();
    List<RbfSvc.Choice> leaked = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      int ff = f;
      int[] train = IntStream.range(0, fold.length).filter(i -> fold[i] != ff).toArray();
      double[][] trainX = IntStream.of(train).mapToObj(i -> set.x()[i]).toArray(double[][]::new);
      int[] trainY = IntStream.of(train).map(i -> set.y()[i]).toArray();
      trainOnly.add(RbfSvc.choose(Standardizer.fit(trainX).apply(trainX), trainY, 2, grid));
      leaked.add(RbfSvc.choose(Standardizer.fit(set.x()).apply(set.x()), set.y(), 2, grid));
    }
    // The fixture can tell: with the test fold in, some fold's choice would differ.
    assertNotEquals(trainOnly, leaked);
    assertEquals(trainOnly, MelcCrossValidation.rbfChoices(set, folds, seed, grid));
  }
}
