package org.neurolake.melc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LinearSVCModel;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.classification.OneVsRestModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.neurolake.eval.Metric;
import org.neurolake.model.melc.Approximation;
import org.neurolake.model.melc.MelcSpec;
import org.neurolake.model.melc.OneVsRestMelc;

/**
 * The MELC evaluation of one data set: stratified k-fold cross-validation (seeded), features
 * standardized on each training fold only; on the same folds MELC exact, binned and
 * sort-and-discard (one-vs-rest for more than two classes) and MLlib's LinearSVC (one-vs-rest for
 * more than two classes) and LogisticRegression (L2; multinomial for more than two classes), their
 * regularization chosen by an inner cross-validation on the training fold (MLlib's
 * CrossValidator, accuracy). MELC's extra L-BFGS start on each fold is that fold's chosen SVM.
 * Opt-in ({@link Config#rbf}): an RBF-kernel SVM reference, LIBSVM's ({@link RbfSvc}), its C and
 * kernel width chosen by its own inner cross-validation on the same standardized training fold.
 * Returns per model the mean balanced accuracy over the folds, its spread, the mean fit time and,
 * for MELC, the mean number of thresholds of the decision.
 */
public final class MelcCrossValidation {
  /** The evaluations partitions, in the table's order. */
  public static final String MELC = "melc";
  public static final String MELC_BINNED = "melc_binned";
  public static final String MELC_DISCARD = "melc_discard";
  public static final String LINEAR_SVC = "linear_svc";
  public static final String LOGISTIC = "logistic";
  public static final String RBF_SVC = "rbf_svc";

  /**
   * @param folds outer folds
   * @param innerFolds folds of the inner cross-validation choosing the MLlib regularization
   * @param regularization the regParam grid of that choice
   * @param mllibMaxIterations MLlib's maxIter for both baselines (MLlib's default is 100)
   * @param seed of the folds (and MELC's random starts)
   * @param melc MELC's settings (its width, approximation and seed are set per set, model and fold)
   * @param rbf the RBF SVM reference's grid, or null not to run it
   */
  public record Config(int folds, int innerFolds, List<Double> regularization, int mllibMaxIterations, long seed,
      MelcSpec melc, RbfSvc.Grid rbf) {
    public Config {
      regularization = List.copyOf(regularization);
      if (folds < 2 || innerFolds < 2 || regularization.isEmpty() || mllibMaxIterations < 1 || melc == null) {
        throw new IllegalArgumentException("folds >= 2, innerFolds >= 2, a nonempty regularization grid,"
            + " mllibMaxIterations >= 1 and a MELC spec required");
      }
    }

    /** Without the RBF reference. */
    public Config(int folds, int innerFolds, List<Double> regularization, int mllibMaxIterations, long seed,
        MelcSpec melc) {
      this(folds, innerFolds, regularization, mllibMaxIterations, seed, melc, null);
    }

    /** This configuration with the RBF reference on its default grid (inner folds and seed as MLlib's). */
    public Config withRbf() {
      return new Config(folds, innerFolds, regularization, mllibMaxIterations, seed, melc,
          RbfSvc.Grid.defaults(innerFolds, seed));
    }

    public String split() {
      return "cv" + folds;
    }
  }

  /** One model's figures on one data set. */
  public record ModelScore(String model, double balancedAccuracy, double balancedAccuracyStd, double fitSeconds,
      double thresholds) {}

  private MelcCrossValidation() {}

  public static List<ModelScore> run(SparkSession spark, UciSet set, Config cfg) {
    int[] fold = StratifiedFolds.assign(set.y(), set.classes(), cfg.folds(), cfg.seed());
    Map<String, List<double[]>> perFold = new LinkedHashMap<>();
    for (String m : List.of(MELC, MELC_BINNED, MELC_DISCARD, LINEAR_SVC, LOGISTIC)) {
      perFold.put(m, new ArrayList<>());
    }
    if (cfg.rbf() != null) {
      perFold.put(RBF_SVC, new ArrayList<>());
    }
    for (int f = 0; f < cfg.folds(); f++) {
      Split s = Split.of(set, fold, f).standardized();
      double[][] trainX = s.trainX;
      double[][] testX = s.testX;
      Dataset<Row> train = frame(spark, trainX, s.trainY);
      Dataset<Row> test = frame(spark, testX, s.testY);

      long t0 = System.nanoTime();
      Model svc = linearSvc(train, set.classes(), cfg);
      double svcSeconds = (System.nanoTime() - t0) / 1e9;
      perFold.get(LINEAR_SVC).add(new double[] {accuracy(svc.model, test, s.testY, set.classes()), svcSeconds, 0});

      t0 = System.nanoTime();
      Model logistic = logistic(train, cfg);
      double lrSeconds = (System.nanoTime() - t0) / 1e9;
      perFold.get(LOGISTIC).add(new double[] {accuracy(logistic.model, test, s.testY, set.classes()), lrSeconds, 0});

      if (cfg.rbf() != null) {
        t0 = System.nanoTime();
        RbfSvc rbf = rbf(s, set.classes(), cfg.rbf());
        double rbfSeconds = (System.nanoTime() - t0) / 1e9;
        perFold.get(RBF_SVC).add(new double[] {BalancedAccuracy.of(s.testY, rbf.predictAll(testX), set.classes()),
            rbfSeconds, 0});
      }

      for (Approximation a : Approximation.values()) {
        MelcSpec spec = cfg.melc().toBuilder().dims(set.x()[0].length).approximation(a).seed(cfg.seed() + f).build();
        t0 = System.nanoTime();
        OneVsRestMelc melc = OneVsRestMelc.fit(trainX, s.trainY, set.classes(), spec, svc.starts);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] predicted = new int[testX.length];
        for (int i = 0; i < testX.length; i++) {
          predicted[i] = melc.predict(testX[i]);
        }
        perFold.get(melcModel(a)).add(new double[] {BalancedAccuracy.of(s.testY, predicted, set.classes()), seconds,
            melc.thresholds()});
      }
    }
    List<ModelScore> scores = new ArrayList<>();
    perFold.forEach((model, rows) -> {
      double mean = rows.stream().mapToDouble(r -> r[0]).average().orElseThrow();
      double var = rows.stream().mapToDouble(r -> (r[0] - mean) * (r[0] - mean)).sum() / Math.max(1, rows.size() - 1);
      scores.add(new ModelScore(model, mean, Math.sqrt(var), rows.stream().mapToDouble(r -> r[1]).average().orElseThrow(),
          rows.stream().mapToDouble(r -> r[2]).average().orElseThrow()));
    });
    return scores;
  }

  /** The evaluations rows of {@code scores} (MELC's thresholds only for MELC). */
  public static List<Metric> metrics(String dataset, String split, List<ModelScore> scores) {
    List<Metric> out = new ArrayList<>();
    for (ModelScore s : scores) {
      out.add(new Metric(s.model(), dataset, split, "balanced_accuracy", s.balancedAccuracy()));
      out.add(new Metric(s.model(), dataset, split, "balanced_accuracy_std", s.balancedAccuracyStd()));
      out.add(new Metric(s.model(), dataset, split, "fit_seconds", s.fitSeconds()));
      if (s.model().startsWith(MELC)) {
        out.add(new Metric(s.model(), dataset, split, "thresholds", s.thresholds()));
      }
    }
    return out;
  }

  /**
   * The RBF reference's hyperparameters chosen on every outer fold, exactly as {@link #run} chooses
   * them (same folds, same standardization, same call).
   */
  public static List<RbfSvc.Choice> rbfChoices(UciSet set, int folds, long seed, RbfSvc.Grid grid) {
    int[] fold = StratifiedFolds.assign(set.y(), set.classes(), folds, seed);
    List<RbfSvc.Choice> out = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      out.add(rbf(Split.of(set, fold, f).standardized(), set.classes(), grid).choice());
    }
    return out;
  }

  /** The RBF SVM of one outer fold: chosen and fitted on its training rows only. */
  private static RbfSvc rbf(Split s, int classes, RbfSvc.Grid grid) {
    return RbfSvc.fit(s.trainX, s.trainY, classes, grid);
  }

  public static String melcModel(Approximation a) {
    return switch (a) {
      case EXACT -> MELC;
      case BINNED -> MELC_BINNED;
      case DISCARD -> MELC_DISCARD;
    };
  }

  private record Split(double[][] trainX, int[] trainY, double[][] testX, int[] testY) {
    static Split of(UciSet set, int[] fold, int f) {
      List<Integer> tr = new ArrayList<>();
      List<Integer> te = new ArrayList<>();
      for (int i = 0; i < fold.length; i++) {
        (fold[i] == f ? te : tr).add(i);
      }
      return new Split(tr.stream().map(i -> set.x()[i]).toArray(double[][]::new),
          tr.stream().mapToInt(i -> set.y()[i]).toArray(), te.stream().map(i -> set.x()[i]).toArray(double[][]::new),
          te.stream().mapToInt(i -> set.y()[i]).toArray());
    }

    /** Both parts standardized with the training part's mean and deviation. */
    Split standardized() {
      Standardizer st = Standardizer.fit(trainX);
      return new Split(st.apply(trainX), trainY, st.apply(testX), testY);
    }
  }

  /** A chosen MLlib model and, for the SVM, its weights per binary problem (MELC's extra starts). */
  private record Model(Transformer model, double[][] starts) {}

  private static Model linearSvc(Dataset<Row> train, int classes, Config cfg) {
    LinearSVC svc = new LinearSVC().setMaxIter(cfg.mllibMaxIterations());
    ParamMap[] grid = new ParamGridBuilder().addGrid(svc.regParam(), toArray(cfg.regularization())).build();
    if (classes == 2) {
      LinearSVCModel m = (LinearSVCModel) innerCv(svc, grid, train, cfg).bestModel();
      return new Model(m, new double[][] {m.coefficients().toArray()});
    }
    OneVsRestModel m = (OneVsRestModel) innerCv(new OneVsRest().setClassifier(svc), grid, train, cfg).bestModel();
    double[][] starts = new double[classes][];
    for (int c = 0; c < classes; c++) {
      starts[c] = ((LinearSVCModel) m.models()[c]).coefficients().toArray();
    }
    return new Model(m, starts);
  }

  @SuppressWarnings("unchecked")
  private static Model logistic(Dataset<Row> train, Config cfg) {
    LogisticRegression lr = new LogisticRegression().setElasticNetParam(0.0).setMaxIter(cfg.mllibMaxIterations());
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), toArray(cfg.regularization())).build();
    return new Model(innerCv(lr, grid, train, cfg).bestModel(), null);
  }

  private static CrossValidatorModel innerCv(org.apache.spark.ml.Estimator<?> estimator, ParamMap[] grid,
      Dataset<Row> train, Config cfg) {
    return new CrossValidator().setEstimator(estimator).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
        .setNumFolds(cfg.innerFolds()).setSeed(cfg.seed()).fit(train);
  }

  private static double accuracy(Transformer model, Dataset<Row> test, int[] truth, int classes) {
    List<Row> predictions = model.transform(test).select("prediction").collectAsList();
    int[] predicted = predictions.stream().mapToInt(r -> (int) r.getDouble(0)).toArray();
    return BalancedAccuracy.of(truth, predicted, classes);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static final StructType FRAME = new StructType(new StructField[] {
      new StructField("features", new VectorUDT(), false, Metadata.empty()),
      new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});

  /** Rows in MLlib's shape, in the order given (the test predictions come back in it). */
  private static Dataset<Row> frame(SparkSession spark, double[][] x, int[] y) {
    List<Row> rows = new ArrayList<>(x.length);
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(x[i]), (double) y[i]));
    }
    return spark.createDataFrame(rows, FRAME).coalesce(1);
  }
}
