package org.neurolake.melc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LinearSVCModel;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.CatalogSettings;
import org.neurolake.jobs.EvaluateMelcJob;
import org.neurolake.jobs.JobRunner;
import org.neurolake.pipelines.table.Lake;
import picocli.CommandLine;

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
    UciSet train = xor(200, 0, 3);
    UciSet test = xor(200, 0, 4);
    RbfSvc rbf = RbfSvc.fit(train.x(), train.y(), 2, RbfSvc.Grid.defaults(3, 1));
    double rbfBacc = BalancedAccuracy.of(test.y(), rbf.predictAll(test.x()), 2);

    LinearSVCModel svc = new LinearSVC().setRegParam(0.01).setMaxIter(20).fit(frame(train));
    int[] linear = svc.transform(frame(test)).select("prediction").collectAsList().stream()
        .mapToInt(r -> (int) r.getDouble(0)).toArray();
    double linearBacc = BalancedAccuracy.of(test.y(), linear, 2);
    assertTrue(rbfBacc > 0.9, "rbf_svc balanced accuracy " + rbfBacc + " (" + rbf.choice() + ")");
    assertTrue(linearBacc <= 0.7, "linear_svc balanced accuracy " + linearBacc);
  }

  private static Dataset<Row> frame(UciSet set) {
    StructType schema = new StructType(new StructField[] {
        new StructField("features", new VectorUDT(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
    List<Row> rows = IntStream.range(0, set.y().length)
        .mapToObj(i -> RowFactory.create(Vectors.dense(set.x()[i]), (double) set.y()[i])).toList();
    return spark.createDataFrame(rows, schema).coalesce(1);
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

  @Test
  void theRbfOptionTurnsTheReferenceOnAndItsAbsenceOff() {
    EvaluateMelcJob off = new EvaluateMelcJob();
    new CommandLine(off).parseArgs("--lake", dir.resolve("lake").toString());
    assertNull(off.config().cv().rbf());
    EvaluateMelcJob on = new EvaluateMelcJob();
    new CommandLine(on).parseArgs("--lake", dir.resolve("lake").toString(), "--rbf", "--inner-folds", "4");
    assertEquals(RbfSvc.Grid.defaults(4, 1), on.config().cv().rbf());
  }
}
