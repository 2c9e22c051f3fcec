package org.neurolake.pipelines.lm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;

/**
 * Builds a corpus's word vocabulary from its training split's {@code sentences}: the special words
 * ({@link SpecialTokens}, ids 0-2), then at most {@code maxWords} other words, most frequent first,
 * ties broken by the word (Java string order), ids from 3. Writes {@code vocab} and
 * {@code vocab_chars} and measures every split's out-of-vocabulary rate. Counting, ranking
 * (a distributed sort numbered with {@code zipWithIndex}) and the rate's lookup (a join) run on the
 * executors: the driver holds only the three special rows and per-split totals.
 */
public final class VocabularyBuilder {
  private VocabularyBuilder() {}

  public record Config(String corpus, String vocabId, String trainSplit, long maxWords) {
    public Config {
      PartitionKey.requireSafe(corpus);
      PartitionKey.requireSafe(vocabId);
      PartitionKey.requireSafe(trainSplit);
      if (maxWords < 1) {
        throw new IllegalArgumentException("the vocabulary needs at least one word besides the special ones: "
            + maxWords);
      }
    }
  }

  /**
   * A split's tokens against the vocabulary: {@code oov} are not in it (read as {@code <unk>}),
   * {@code unk} are read as {@code <unk>} (the oov ones and the corpus's own {@code <unk>} tokens).
   */
  public record OovRate(String split, long tokens, long oov, long unk) {
    public double oovRate() {
      return tokens == 0 ? 0 : (double) oov / tokens;
    }

    public double unkRate() {
      return tokens == 0 ? 0 : (double) unk / tokens;
    }
  }

  public record Result(long words, long trainTokens, Path vocabPath, Path charsPath, List<OovRate> oov) {}

  /** The vocabulary rows (word, id, count) of a training split's sentences. */
  public static Dataset<Row> vocabulary(SparkSession spark, Dataset<Row> trainSentences, long maxWords) {
    Dataset<Row> tokens = trainSentences.select(explode(col(Columns.TOKENS)).as(Columns.WORD));
    Dataset<Row> counts = tokens.groupBy(Columns.WORD).agg(count(lit(1)).as(Columns.COUNT));
    Dataset<Row> ordinary = counts.where(col(Columns.WORD).isin(SpecialTokens.ALL.toArray()).unary_$bang());
    JavaRDD<Row> ranked = ordinary.orderBy(col(Columns.COUNT).desc(), col(Columns.WORD).asc()).javaRDD()
        .zipWithIndex()
        .filter(rowAndRank -> rowAndRank._2() < maxWords)
        .map(rowAndRank -> RowFactory.create(rowAndRank._1().getString(0),
            (int) (SpecialTokens.ALL.size() + rowAndRank._2()), rowAndRank._1().getLong(1)));
    Dataset<Row> words = spark.createDataFrame(ranked, LakeTables.VOCAB.dataSchema());

    // The special words' counts: <eos> and <s> as they occur; <unk> = every token no kept word covers.
    Row totals = counts.agg(sum(col(Columns.COUNT)),
        sum(when(col(Columns.WORD).equalTo(SpecialTokens.EOS), col(Columns.COUNT)).otherwise(0L)),
        sum(when(col(Columns.WORD).equalTo(SpecialTokens.BOS), col(Columns.COUNT)).otherwise(0L))).first();
    if (totals.isNullAt(0)) {
      throw new BadInputException("build-vocab: the training split has no tokens");
    }
    long kept = words.agg(sum(col(Columns.COUNT))).first().getLong(0);
    long eos = totals.getLong(1);
    long bos = totals.getLong(2);
    long unk = totals.getLong(0) - kept - eos - bos;
    Dataset<Row> special = spark.createDataFrame(List.of(
        RowFactory.create(SpecialTokens.UNK, SpecialTokens.UNK_ID, unk),
        RowFactory.create(SpecialTokens.EOS, SpecialTokens.EOS_ID, eos),
        RowFactory.create(SpecialTokens.BOS, SpecialTokens.BOS_ID, bos)), LakeTables.VOCAB.dataSchema());
    return special.union(words);
  }

  /** The character-CNN rows (id, chars) of vocabulary rows. */
  public static Dataset<Row> chars(SparkSession spark, Dataset<Row> vocab) {
    JavaRDD<Row> rows = vocab.select(Columns.ID, Columns.WORD).javaRDD().map(r -> {
      int[] c = WordChars.encode(r.getString(1));
      Integer[] boxed = new Integer[c.length];
      for (int i = 0; i < c.length; i++) {
        boxed[i] = c[i];
      }
      return RowFactory.create(r.getInt(0), boxed);
    });
    return spark.createDataFrame(rows, LakeTables.VOCAB_CHARS.dataSchema());
  }

  /** A split's tokens looked up in the vocabulary (a join: the vocabulary need not fit the driver). */
  public static OovRate oovRate(String split, Dataset<Row> sentences, Dataset<Row> vocab) {
    Dataset<Row> tokens = sentences.select(explode(col(Columns.TOKENS)).as(Columns.WORD));
    Dataset<Row> known = vocab.select(col(Columns.WORD), col(Columns.ID));
    Row r = tokens.join(known, tokens.col(Columns.WORD).equalTo(known.col(Columns.WORD)), "left")
        .agg(count(lit(1)),
            sum(when(known.col(Columns.ID).isNull(), 1L).otherwise(0L)),
            sum(when(known.col(Columns.ID).isNull().or(known.col(Columns.ID).equalTo(SpecialTokens.UNK_ID)), 1L)
                .otherwise(0L)))
        .first();
    return new OovRate(split, r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2));
  }

  public static Result run(SparkSession spark, Lake lake, Config cfg) {
    Dataset<Row> sentences = TableReader.read(spark, lake, LakeTables.SENTENCES)
        .where(col(Columns.CORPUS).equalTo(cfg.corpus()));
    List<String> splits = sentences.select(Columns.SPLIT).distinct().orderBy(Columns.SPLIT).as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    if (!splits.contains(cfg.trainSplit())) {
      throw new BadInputException("build-vocab: sentences of corpus '" + cfg.corpus() + "' have no split '"
          + cfg.trainSplit() + "' (splits: " + splits + "); run tokenize first");
    }
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> train = sentences.where(col(Columns.SPLIT).equalTo(cfg.trainSplit()));
    Path vocabPath = committer.replace(vocabulary(spark, train, cfg.maxWords()), lake, LakeTables.VOCAB,
        PartitionKey.of(LakeTables.VOCAB, cfg.corpus(), cfg.vocabId()));
    Dataset<Row> vocab = spark.read().schema(LakeTables.VOCAB.dataSchema()).parquet(vocabPath.toString());
    Path charsPath = committer.replace(chars(spark, vocab), lake, LakeTables.VOCAB_CHARS,
        PartitionKey.of(LakeTables.VOCAB_CHARS, cfg.corpus(), cfg.vocabId()));
    List<OovRate> rates = new ArrayList<>();
    for (String split : splits) {
      rates.add(oovRate(split, sentences.where(col(Columns.SPLIT).equalTo(split)), vocab));
    }
    long words = vocab.count();
    long trainTokens = rates.stream().filter(o -> o.split().equals(cfg.trainSplit())).findFirst().orElseThrow().tokens();
    return new Result(words, trainTokens, vocabPath, charsPath, rates);
  }
}
