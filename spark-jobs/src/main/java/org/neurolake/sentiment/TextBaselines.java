package org.neurolake.sentiment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.text.Split;

/**
 * The probe's same-run baselines on the documents themselves, each an MLlib pipeline ending in the
 * probe's L1 logistic regression over the same penalty grid, C chosen on dev: a hashed bag of words
 * ({@link SentimentModels#BOW}: lowercase letter/digit/apostrophe tokens) and hashed byte 1-3-grams
 * ({@link SentimentModels#NGRAM}, {@link ByteNgrams}). Metrics are keyed "split/metric" as the
 * probe's: dev and test {@code accuracy}, dev {@code accuracy_c=2^k}, train {@code nonzero_weights},
 * {@code c}, {@code hash_features}.
 */
public record TextBaselines(List<Double> grid, int maxIter, int hashFeatures, int parallelism) {
  private static final StructType TEXTS = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("text", DataTypes.StringType, false)
      .add("ngrams", DataTypes.createArrayType(DataTypes.StringType, false), false);

  public TextBaselines {
    grid = List.copyOf(grid);
    if (grid.isEmpty() || maxIter < 1 || hashFeatures < 2 || parallelism < 1) {
      throw new IllegalArgumentException("need a non-empty grid, maxIter >= 1, hashFeatures >= 2 and parallelism"
          + " >= 1, got " + grid + ", " + maxIter + ", " + hashFeatures + ", " + parallelism);
    }
  }

  /** Fits both baselines; {@code documents} are each split's rows of the documents table (labeled or not). */
  public Map<String, Map<String, Double>> fit(SparkSession spark, Map<Split, Dataset<Row>> documents) {
    Map<Split, Dataset<Row>> texts = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      Dataset<Row> d = documents.get(s);
      if (d == null) {
        throw new IllegalArgumentException("the baselines need the " + s.value() + " documents");
      }
      List<Row> rows = new ArrayList<>();
      for (Row r : d.where(d.col(Columns.LABEL).isNotNull()).select(Columns.LABEL, Columns.TEXT_BYTES)
          .collectAsList()) {
        byte[] b = (byte[]) r.get(1);
        rows.add(RowFactory.create((double) r.getInt(0), new String(b, StandardCharsets.UTF_8),
            ByteNgrams.tokens(b, 3).toArray(String[]::new)));
      }
      if (rows.isEmpty()) {
        throw new IllegalArgumentException("no labeled " + s.value() + " documents for the baselines");
      }
      texts.put(s, spark.createDataFrame(rows, TEXTS).cache());
    }
    try {
      RegexTokenizer words = new RegexTokenizer().setInputCol("text").setOutputCol("words")
          .setPattern("[^\\p{L}\\p{N}']+").setToLowercase(true);
      HashingTF wordCounts = new HashingTF().setInputCol("words").setOutputCol("features")
          .setNumFeatures(hashFeatures);
      HashingTF ngramCounts = new HashingTF().setInputCol("ngrams").setOutputCol("features")
          .setNumFeatures(hashFeatures);
      Map<String, Map<String, Double>> out = new LinkedHashMap<>();
      out.put(SentimentModels.BOW, baseline(new PipelineStage[] {words, wordCounts}, texts));
      out.put(SentimentModels.NGRAM, baseline(new PipelineStage[] {ngramCounts}, texts));
      return out;
    } finally {
      texts.values().forEach(Dataset::unpersist);
    }
  }

  private Map<String, Double> baseline(PipelineStage[] featurize, Map<Split, Dataset<Row>> texts) {
    Dataset<Row> train = texts.get(Split.TRAIN);
    long n = train.count();
    Map<String, Double> m = new LinkedHashMap<>();
    PipelineModel best = null;
    double bestDev = -1;
    double bestC = 0;
    List<PipelineModel> models = GridFits.map(grid, parallelism, c -> {
      PipelineStage[] stages = Arrays.copyOf(featurize, featurize.length + 1);
      stages[featurize.length] = L1Logistic.estimator(RegularizationGrid.regParam(c, n), maxIter);
      return new Pipeline().setStages(stages).fit(train);
    });
    for (int i = 0; i < grid.size(); i++) {
      double c = grid.get(i);
      PipelineModel model = models.get(i);
      double dev = accuracy(model, texts.get(Split.DEV));
      m.put("dev/accuracy_c=2^" + Math.getExponent(c), dev);
      if (dev > bestDev) {
        best = model;
        bestDev = dev;
        bestC = c;
      }
    }
    LogisticRegressionModel lr = (LogisticRegressionModel) best.stages()[best.stages().length - 1];
    m.put("dev/accuracy", bestDev);
    m.put("test/accuracy", accuracy(best, texts.get(Split.TEST)));
    m.put("train/nonzero_weights", (double) lr.coefficients().numNonzeros());
    m.put("train/c", bestC);
    m.put("train/hash_features", (double) hashFeatures);
    return m;
  }

  private static double accuracy(PipelineModel m, Dataset<Row> data) {
    return m.transform(data).selectExpr("avg(CAST(prediction = label AS DOUBLE))").first().getDouble(0);
  }
}
