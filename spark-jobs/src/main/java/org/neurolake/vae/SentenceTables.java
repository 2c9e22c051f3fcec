package org.neurolake.vae;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/**
 * Reads the lm token tables as the sentence VAE uses them: the vocabulary (word -> id, dense ids;
 * {@code <unk>}, {@code <eos>}, {@code <s>} are ids 0, 1, 2) and a split's sentences as id arrays in
 * sent_id order, {@code <eos>} last, words outside the vocabulary as {@code <unk>}.
 */
public final class SentenceTables {
  public static final int UNK = 0;
  public static final int EOS = 1;
  public static final int START = 2;

  private SentenceTables() {}

  /** The vocabulary's words by id (index = id). */
  public static List<String> words(SparkSession spark, Lake lake, String corpus, String vocabId) {
    List<Row> rows = TableReader.read(spark, lake, LakeTables.VOCAB).where(col(Columns.CORPUS).equalTo(corpus)
        .and(col(Columns.VOCAB_ID).equalTo(vocabId))).select(Columns.ID, Columns.WORD).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("vocabulary " + corpus + "/" + vocabId + " has no words: run build-vocab first");
    }
    String[] words = new String[rows.size()];
    for (Row r : rows) {
      int id = r.getInt(0);
      if (id < 0 || id >= words.length || words[id] != null) {
        throw new IllegalArgumentException("vocabulary " + corpus + "/" + vocabId + ": ids must be dense and distinct, "
            + "got id " + id + " among " + words.length + " rows");
      }
      words[id] = r.getString(1);
    }
    if (!"<unk>".equals(words[UNK]) || !"<eos>".equals(words[EOS]) || !"<s>".equals(words[START])) {
      throw new IllegalArgumentException("vocabulary " + corpus + "/" + vocabId + " must start with <unk>, <eos>, <s>");
    }
    return List.of(words);
  }

  static Map<String, Integer> index(List<String> words) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      m.put(words.get(i), i);
    }
    return m;
  }

  private static Dataset<Row> sentences(SparkSession spark, Lake lake, String corpus, String split) {
    return TableReader.read(spark, lake, LakeTables.SENTENCES).where(col(Columns.CORPUS).equalTo(corpus)
        .and(col(Columns.SPLIT).equalTo(split))).select(Columns.SENT_ID, Columns.TOKENS);
  }

  /** A split's sentences as ids, distributed (for packing shards). */
  public static JavaRDD<int[]> ids(SparkSession spark, Lake lake, String corpus, String split, List<String> words) {
    Broadcast<Map<String, Integer>> index = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
        .broadcast(index(words));
    return sentences(spark, lake, corpus, split).toJavaRDD().map(r -> toIds(r.getList(1), index.value()));
  }

  /** A split's sentences as ids in sent_id order, on the driver. */
  public static List<int[]> collect(SparkSession spark, Lake lake, String corpus, String split, List<String> words) {
    Map<String, Integer> index = index(words);
    List<int[]> out = new ArrayList<>();
    for (Row r : sentences(spark, lake, corpus, split).orderBy(Columns.SENT_ID).collectAsList()) {
      out.add(toIds(r.getList(1), index));
    }
    return out;
  }

  /** A sentence of a split: its sent_id and its ids ({@code <eos>} last). */
  public record Sentence(long sentId, int[] ids) {}

  /** A split's sentences with their sent_ids, in sent_id order, on the driver. */
  public static List<Sentence> collectWithIds(SparkSession spark, Lake lake, String corpus, String split,
      List<String> words) {
    Map<String, Integer> index = index(words);
    List<Sentence> out = new ArrayList<>();
    for (Row r : sentences(spark, lake, corpus, split).orderBy(Columns.SENT_ID).collectAsList()) {
      out.add(new Sentence(r.getLong(0), toIds(r.getList(1), index)));
    }
    return out;
  }

  /**
   * Text already tokenized as the corpus is (words separated by white space) as ids: words outside
   * the vocabulary as {@code <unk>}, {@code <eos>} appended.
   */
  public static int[] parse(String text, List<String> words) {
    String trimmed = text.trim();
    List<String> tokens = new ArrayList<>(trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+")));
    tokens.add(words.get(EOS));
    return toIds(tokens, index(words));
  }

  static int[] toIds(List<String> tokens, Map<String, Integer> index) {
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = index.getOrDefault(tokens.get(i), UNK);
    }
    return ids;
  }

  /** Ids as words joined by spaces. */
  public static String text(int[] ids, List<String> words) {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(words.get(id));
    }
    return b.toString();
  }
}
