package org.neurolake.lm;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/** The token tables of one corpus and vocabulary, as the LSTM-LM family and its jobs read them. */
public final class LmTables {
  private LmTables() {}

  /** The vocabulary's rows (word, id, count, ...). */
  public static Dataset<Row> vocab(SparkSession spark, Lake lake, String corpus, String vocabId) {
    return TableReader.read(spark, lake, LakeTables.VOCAB).where(col(Columns.CORPUS).equalTo(corpus)
        .and(col(Columns.VOCAB_ID).equalTo(vocabId)));
  }

  /** The vocabulary's words by id (ids must be dense: 0 .. size-1, as build-vocab writes them). */
  public static String[] words(SparkSession spark, Lake lake, String corpus, String vocabId) {
    List<Row> rows = vocab(spark, lake, corpus, vocabId).select(Columns.ID, Columns.WORD).collectAsList();
    if (rows.isEmpty()) {
      throw new BadInputException("vocab has no rows for corpus '" + corpus + "', vocab_id '" + vocabId
          + "': run build-vocab first");
    }
    String[] words = new String[rows.size()];
    for (Row r : rows) {
      int id = r.getInt(0);
      if (id < 0 || id >= words.length || words[id] != null) {
        throw new BadInputException("vocab " + corpus + "/" + vocabId + " has id " + id + " out of 0.."
            + (words.length - 1) + " or twice: ids must be dense and distinct (rerun build-vocab)");
      }
      words[id] = r.getString(1);
    }
    return words;
  }

  /** One split's token_streams rows. */
  public static Dataset<Row> streams(SparkSession spark, Lake lake, String corpus, String vocabId, String split) {
    return TableReader.read(spark, lake, LakeTables.TOKEN_STREAMS).where(col(Columns.CORPUS).equalTo(corpus)
        .and(col(Columns.VOCAB_ID).equalTo(vocabId)).and(col(Columns.SPLIT).equalTo(split)));
  }

  /** The character table of the vocabulary for the character-CNN input; null for the word input. */
  public static CharTable charTable(SparkSession spark, Lake lake, String corpus, String vocabId, LstmLmSpec spec) {
    if (spec.input() != LstmLmSpec.InputKind.CHAR_CNN) {
      return null;
    }
    CharTable.Builder b = CharTable.builder(spec.vocabSize(), spec.charCnn().maxWordLength());
    Dataset<Row> rows = TableReader.read(spark, lake, LakeTables.VOCAB_CHARS)
        .where(col(Columns.CORPUS).equalTo(corpus).and(col(Columns.VOCAB_ID).equalTo(vocabId)))
        .select(Columns.ID, Columns.CHARS);
    for (Row r : rows.collectAsList()) {
      List<Integer> chars = r.getList(1);
      b.put(r.getInt(0), chars.stream().mapToInt(Integer::intValue).toArray());
    }
    return b.build();
  }
}
