package org.neurolake.pipelines.lm;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/**
 * A vocabulary as a word → id map, for broadcasting to the tasks that turn sentences into ids. It
 * is as large as the vocabulary (bounded by {@code build-vocab --max-words}), never the corpus.
 */
public final class VocabLookup implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Integer> ids;

  public VocabLookup(Map<String, Integer> ids) {
    this.ids = new HashMap<>(ids);
    for (int i = 0; i < SpecialTokens.ALL.size(); i++) {
      Integer id = this.ids.get(SpecialTokens.ALL.get(i));
      if (id == null || id != i) {
        throw new IllegalArgumentException("vocabulary must map " + SpecialTokens.ALL.get(i) + " to " + i + ", not " + id);
      }
    }
  }

  public static VocabLookup read(SparkSession spark, Lake lake, String corpus, String vocabId) {
    List<Row> rows = TableReader.read(spark, lake, LakeTables.VOCAB)
        .where(col(Columns.CORPUS).equalTo(corpus).and(col(Columns.VOCAB_ID).equalTo(vocabId)))
        .select(Columns.WORD, Columns.ID).collectAsList();
    if (rows.isEmpty()) {
      throw new BadInputException("vocab has no rows for corpus '" + corpus + "', vocab_id '" + vocabId
          + "': run build-vocab first");
    }
    Map<String, Integer> m = new HashMap<>(rows.size() * 2);
    for (Row r : rows) {
      m.put(r.getString(0), r.getInt(1));
    }
    return new VocabLookup(m);
  }

  /** The word's id; {@code <unk>}'s for a word outside the vocabulary. */
  public int id(String word) {
    Integer id = ids.get(word);
    return id == null ? SpecialTokens.UNK_ID : id;
  }

  /** Number of words, the special ones included. */
  public int size() {
    return ids.size();
  }
}
