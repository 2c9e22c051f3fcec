package org.neurolake.odm;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.pipelines.odm.OdmTask;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;

/**
 * An {@code odm_sequences} task as the ODM family trains on it, with its labelled examples: none,
 * {@code k} positions of the input sequence drawn with the seed (their images and true classes), or
 * all of them (the fully supervised baseline).
 */
public record OdmData(String task, OdmTask sequences, float[] labelledFeatures, int[] labelledClasses,
    int labelledPerBatch) {

  /** What the run record keeps. */
  public record Description(String task, @JsonProperty("n_in") int nIn, @JsonProperty("n_classes") int nClasses,
      int positions, @JsonProperty("label_positions") int labelPositions, int labelled,
      @JsonProperty("labelled_classes") List<Integer> labelledClasses) {}

  /** {@code data.labels}: how many labelled examples; "all" labels every input position. */
  public static final String ALL = "all";

  public static List<DataRead> reads(Lake lake, String task) {
    return List.of(new DataRead("odm_sequences", lake.partitionPath(LakeTables.ODM_SEQUENCES,
        PartitionKey.of(LakeTables.ODM_SEQUENCES, task))));
  }

  public static OdmData load(SparkSession spark, Lake lake, String task, String labels, int labelledPerBatch,
      long seed) {
    PartitionKey.requireSafe(task);
    Dataset<Row> all = TableReader.read(spark, lake, LakeTables.ODM_SEQUENCES).where(col(Columns.TASK).equalTo(task));
    Split inputs = split(all, OdmTask.INPUTS);
    if (inputs.classes().length == 0) {
      throw new IllegalArgumentException("odm_sequences/task=" + task + " has no input sequence; run make-odm-task");
    }
    Split labelSeq = split(all, OdmTask.LABELS);
    Split test = split(all, OdmTask.TEST);
    Split alphabet = split(all, OdmTask.ALPHABET);
    int nIn = inputs.features().length / inputs.classes().length;
    int nClasses = 1 + java.util.stream.IntStream.concat(java.util.Arrays.stream(inputs.classes()),
        java.util.Arrays.stream(labelSeq.classes())).max().orElse(1);
    OdmTask seq = new OdmTask(nIn, nClasses, inputs.features(), inputs.classes(), labelSeq.classes(), test.features(),
        test.classes(), alphabet.features(), alphabet.classes());
    int[] positions = labelledPositions(labels, inputs.classes().length, seed);
    float[] lf = new float[positions.length * nIn];
    int[] lc = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      System.arraycopy(inputs.features(), positions[i] * nIn, lf, i * nIn, nIn);
      lc[i] = inputs.classes()[positions[i]];
    }
    return new OdmData(task, seq, lf, lc, labelledPerBatch);
  }

  /** The labelled positions: the first k of a seeded shuffle of the input positions, or all in order. */
  static int[] labelledPositions(String labels, int positions, long seed) {
    if (labels.equals(ALL)) {
      return java.util.stream.IntStream.range(0, positions).toArray();
    }
    int k;
    try {
      k = Integer.parseInt(labels);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data.labels must be a count or '" + ALL + "', got '" + labels + "'", e);
    }
    if (k < 0 || k > positions) {
      throw new IllegalArgumentException("data.labels=" + k + " is outside [0, " + positions + " input positions]");
    }
    int[] order = java.util.stream.IntStream.range(0, positions).toArray();
    SplittableRandom r = new SplittableRandom(seed ^ 0x0DD0DD0DL);
    for (int i = 0; i < k; i++) {
      int j = i + r.nextInt(positions - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return java.util.Arrays.copyOf(order, k);
  }

  private record Split(float[] features, int[] classes) {}

  private static Split split(Dataset<Row> all, String name) {
    List<Row> rows = all.where(col(Columns.SPLIT).equalTo(name)).orderBy(col(Columns.POSITION))
        .select(col(Columns.FEATURES), col(Columns.LABEL)).collectAsList();
    int width = rows.isEmpty() ? 0 : rows.get(0).getList(0).size();
    float[] f = new float[rows.size() * width];
    int[] c = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      List<Float> v = rows.get(i).getList(0);
      if (v.size() != width) {
        throw new IllegalArgumentException("odm_sequences split " + name + " row " + i + " has " + v.size()
            + " features, the first " + width);
      }
      for (int d = 0; d < width; d++) {
        f[i * width + d] = v.get(d);
      }
      c[i] = rows.get(i).getInt(1);
    }
    return new Split(f, c);
  }

  public Description describe() {
    return new Description(task, sequences.nIn(), sequences.nClasses(), sequences.inputClasses().length,
        sequences.labels().length, labelledClasses.length,
        java.util.Arrays.stream(labelledClasses).limit(16).boxed().toList());
  }
}
