package org.neurolake.pipelines.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * Reads already tokenized text (one sentence per line, tokens separated by whitespace, as PTB and
 * the One Billion Word benchmark are distributed) into {@code sentences}: the line's tokens with
 * {@code <eos>} appended, sent_id = the line's number (0-based, in the order Spark lists the input's
 * files). Leading and repeated whitespace is ignored; an empty line is a sentence of {@code <eos>}
 * alone (as the usual PTB readers do). Lines are streamed: nothing but per-partition line counts
 * reaches the driver.
 */
public final class Tokenization {
  private Tokenization() {}

  /** One split's input: a file, directory or glob of plain or compressed text files. */
  public record SplitInput(String split, String path) {
    public SplitInput {
      PartitionKey.requireSafe(split);
      Objects.requireNonNull(path, "path");
    }
  }

  public record SplitResult(String split, long sentences, long tokens, Path path) {}

  /** The sentences of one split's lines, in line order. */
  public static Dataset<Row> sentences(SparkSession spark, String path) {
    JavaRDD<Row> rows = spark.read().textFile(path).javaRDD().zipWithIndex().map(lineAndIndex -> {
      String line = lineAndIndex._1().strip();
      String[] words = line.isEmpty() ? new String[0] : line.split("\\s+");
      String[] tokens = java.util.Arrays.copyOf(words, words.length + 1);
      tokens[words.length] = SpecialTokens.EOS;
      return RowFactory.create(lineAndIndex._2(), tokens, tokens.length);
    });
    return spark.createDataFrame(rows, LakeTables.SENTENCES.dataSchema());
  }

  /** Writes each split's partition of {@code sentences} (replacing it) and returns its sizes. */
  public static List<SplitResult> run(SparkSession spark, Lake lake, String corpus, List<SplitInput> inputs) {
    PartitionKey.requireSafe(corpus);
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    List<SplitResult> results = new ArrayList<>();
    for (SplitInput in : inputs) {
      LongAccumulator lines = spark.sparkContext().longAccumulator("lines of " + in.split());
      Dataset<Row> rows = sentences(spark, in.path()).map((MapFunction<Row, Row>) r -> {
        lines.add(1);
        return r;
      }, Encoders.row(LakeTables.SENTENCES.dataSchema()));
      PartitionCommitter.Staged staged = committer.stage(rows, lake, LakeTables.SENTENCES,
          PartitionKey.of(LakeTables.SENTENCES, corpus, in.split()));
      if (lines.value() == 0) {
        staged.abort();
        throw new BadInputException("tokenize: " + in.path() + " (split " + in.split()
            + ") has no lines; the existing partition is left as it was");
      }
      Path p = staged.commit();
      Row sizes = spark.read().parquet(p.toString()).selectExpr("count(*)", "coalesce(sum(n_tokens), 0)").first();
      results.add(new SplitResult(in.split(), sizes.getLong(0), sizes.getLong(1), p));
    }
    return results;
  }
}
