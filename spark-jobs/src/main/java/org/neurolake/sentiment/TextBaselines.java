package org.neurolake.sentiment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The probe's same-run baselines on the documents themselves, each an MLlib pipeline ending in the
 * probe's L1 logistic regression over the same penalty grid, C chosen on dev: a hashed bag of words
 * ({@link SentimentModels#BOW}: lowercase letter/digit/apostrophe tokens) and hashed byte 1-3-grams
 * ({@link SentimentModels#NGRAM}, {@link ByteNgrams}). Under the cross-validated protocols the same
 * features ({@link #featurize}) are fit in-process by the probe's loop ({@link CrossValidatedProbe}).
 */
public record TextBaselines(List<Double> grid, int maxIter, int hashFeatures, int parallelism) {
  private static final StructType TEXTS = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("text", DataTypes.StringType, false)
      .add("ngrams", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("row", DataTypes.IntegerType, false);

  public TextBaselines {
    grid = List.copyOf(grid);
    if (grid.isEmpty() || maxIter < 1 || hashFeatures < 2 || parallelism < 1) {
      throw new IllegalArgumentException("need a non-empty grid, maxIter >= 1, hashFeatures >= 2 and parallelism"
          + " >= 1, got " + grid + ", " + maxIter + ", " + hashFeatures + ", " + parallelism);
    }
  }

  /** The baselines' partitions in evaluations, in the order they are fit: bag of words, then byte n-grams. */
  public static final List<String> MODELS = List.of(SentimentModels.BOW, SentimentModels.NGRAM);

  /** Fits both baselines on the labeled texts of each split: bag of words, then byte n-grams. */
  public List<BaselineFit> fit(SparkSession spark, BySplit<LabeledTexts> texts) {
    BySplit<Dataset<Row>> frames = texts.map(t -> frame(spark, t).cache());
    try {
      List<BaselineFit> out = new ArrayList<>(MODELS.size());
      for (String model : MODELS) {
        out.add(baseline(model, featurizer(model), frames, texts.train().size()));
      }
      return out;
    } finally {
      frames.train().unpersist();
      frames.dev().unpersist();
      frames.test().unpersist();
    }
  }

  /**
   * Baseline {@code model}'s featurizing stages (those {@link #fit} puts before the logistic
   * regression): lowercase letter/digit/apostrophe tokens hashed to counts ({@link SentimentModels#BOW}),
   * or byte 1-3-grams hashed to counts ({@link SentimentModels#NGRAM}), into column {@code features}.
   */
  PipelineStage[] featurizer(String model) {
    if (model.equals(SentimentModels.BOW)) {
      RegexTokenizer words = new RegexTokenizer().setInputCol("text").setOutputCol("words")
          .setPattern("[^\\p{L}\\p{N}']+").setToLowercase(true);
      HashingTF wordCounts = new HashingTF().setInputCol("words").setOutputCol("features")
          .setNumFeatures(hashFeatures);
      return new PipelineStage[] {words, wordCounts};
    }
    if (model.equals(SentimentModels.NGRAM)) {
      return new PipelineStage[] {new HashingTF().setInputCol("ngrams").setOutputCol("features")
          .setNumFeatures(hashFeatures)};
    }
    throw new IllegalArgumentException("no text baseline '" + model + "' (" + MODELS + ")");
  }

  /**
   * Baseline {@code model}'s features of {@code texts} (the hashed counts {@link #fit} regresses on),
   * in the texts' order, on the driver: for the in-process cross-validated protocols
   * ({@link CrossValidatedProbe}).
   */
  public SparseFeatures featurize(SparkSession spark, String model, LabeledTexts texts) {
    Dataset<Row> frame = frame(spark, texts);
    Dataset<Row> counts = new Pipeline().setStages(featurizer(model)).fit(frame).transform(frame)
        .select("row", "features");
    int[][] indices = new int[texts.size()][];
    double[][] values = new double[texts.size()][];
    for (Row r : counts.collectAsList()) {
      SparseVector v = ((Vector) r.get(1)).toSparse();
      indices[r.getInt(0)] = v.indices();
      values[r.getInt(0)] = v.values();
    }
    return new SparseFeatures(hashFeatures, indices, values, texts.labels());
  }

  private static Dataset<Row> frame(SparkSession spark, LabeledTexts t) {
    int[] labels = t.labels();
    List<Row> rows = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      byte[] b = t.texts().get(i);
      rows.add(RowFactory.create((double) labels[i], new String(b, StandardCharsets.UTF_8),
          ByteNgrams.tokens(b, 3).toArray(String[]::new), i));
    }
    return spark.createDataFrame(rows, TEXTS);
  }

  private BaselineFit baseline(String model, PipelineStage[] featurize, BySplit<Dataset<Row>> texts, long n) {
    List<PipelineModel> models = GridFits.map(grid, parallelism, c -> {
      PipelineStage[] stages = Arrays.copyOf(featurize, featurize.length + 1);
      stages[featurize.length] = L1Logistic.estimator(RegularizationGrid.regParam(c, n), maxIter);
      return new Pipeline().setStages(stages).fit(texts.train());
    });
    PenaltyChoice<PipelineModel> choice = PenaltyChoice.onDev(grid, models, m -> accuracy(m, texts.dev()));
    PipelineModel best = choice.chosenModel();
    LogisticRegressionModel lr = (LogisticRegressionModel) best.stages()[best.stages().length - 1];
    return new BaselineFit(model, choice.scores(), choice.chosen(), accuracy(best, texts.test()),
        lr.coefficients().numNonzeros(), hashFeatures);
  }

  private static double accuracy(PipelineModel m, Dataset<Row> data) {
    return m.transform(data).selectExpr("avg(CAST(prediction = label AS DOUBLE))").first().getDouble(0);
  }
}
