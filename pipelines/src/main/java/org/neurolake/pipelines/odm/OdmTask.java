package org.neurolake.pipelines.odm;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.LakeTables;

/**
 * An Output Distribution Matching task as {@code make-odm-task} writes it to {@code odm_sequences}:
 * the unlabelled input sequence (with its true classes, kept for evaluation and the supervised
 * baselines), a real label sequence drawn independently of it, held-out test examples and, for a
 * cipher, one example per input symbol. Features are row-major, {@code nIn} per example.
 */
public record OdmTask(int nIn, int nClasses, float[] inputs, int[] inputClasses, int[] labels, float[] testFeatures,
    int[] testClasses, float[] alphabetFeatures, int[] alphabetClasses) {

  public static final String INPUTS = "inputs";
  public static final String LABELS = "labels";
  public static final String TEST = "test";
  public static final String ALPHABET = "alphabet";

  public OdmTask {
    check(INPUTS, inputs, inputClasses, nIn);
    check(TEST, testFeatures, testClasses, nIn);
    check(ALPHABET, alphabetFeatures, alphabetClasses, nIn);
  }

  private static void check(String split, float[] features, int[] classes, int nIn) {
    if (features.length != (long) classes.length * nIn) {
      throw new IllegalArgumentException(split + ": " + features.length + " feature values for " + classes.length
          + " examples of " + nIn);
    }
  }

  /** The task's rows in {@code odm_sequences}' data schema (position: the index within the split). */
  public Dataset<Row> rows(SparkSession spark) {
    List<Row> rows = new ArrayList<>(inputClasses.length + labels.length + testClasses.length);
    add(rows, INPUTS, inputs, inputClasses);
    add(rows, LABELS, new float[0], labels);
    add(rows, TEST, testFeatures, testClasses);
    add(rows, ALPHABET, alphabetFeatures, alphabetClasses);
    return spark.createDataFrame(rows, LakeTables.ODM_SEQUENCES.dataSchema());
  }

  private void add(List<Row> rows, String split, float[] features, int[] classes) {
    int width = features.length == 0 ? 0 : nIn;
    for (int i = 0; i < classes.length; i++) {
      Float[] f = new Float[width];
      for (int d = 0; d < width; d++) {
        f[d] = features[i * width + d];
      }
      rows.add(RowFactory.create(split, (long) i, f, classes[i]));
    }
  }
}
