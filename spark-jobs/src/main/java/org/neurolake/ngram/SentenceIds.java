package org.neurolake.ngram;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.lm.SpecialTokens;
import org.neurolake.pipelines.lm.VocabLookup;
import org.neurolake.pipelines.table.Columns;

/**
 * Sentences as an n-gram model reads them: {@code <s>}, then the sentence's word ids (its
 * {@code <eos>} last). Words outside the vocabulary, and a {@code <s>} inside a sentence, read as
 * {@code <unk>}.
 */
public final class SentenceIds {
  private SentenceIds() {}

  public static final StructType SCHEMA = new StructType()
      .add(Columns.SENT_ID, DataTypes.LongType, false)
      .add(Columns.IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  /**
   * The int array in column {@code i} of a row: a Scala sequence when Spark decoded it, or the
   * {@code Integer[]} an upstream typed operation built, when the optimizer elided the encoding
   * between two typed operations.
   */
  static List<Integer> ints(Row row, int i) {
    Object v = row.get(i);
    return v instanceof Integer[] a ? java.util.Arrays.asList(a) : row.getList(i);
  }

  /** (sent_id, ids) of {@code sentences} (sent_id, tokens). */
  public static Dataset<Row> of(Dataset<Row> sentences, Broadcast<VocabLookup> vocab) {
    return sentences.select(col(Columns.SENT_ID), col(Columns.TOKENS)).map((MapFunction<Row, Row>) r -> {
      List<String> tokens = r.getList(1);
      VocabLookup v = vocab.value();
      Integer[] ids = new Integer[tokens.size() + 1];
      ids[0] = SpecialTokens.BOS_ID;
      for (int i = 0; i < tokens.size(); i++) {
        int id = v.id(tokens.get(i));
        ids[i + 1] = id == SpecialTokens.BOS_ID ? SpecialTokens.UNK_ID : id;
      }
      return RowFactory.create(r.getLong(0), ids);
    }, Encoders.row(SCHEMA));
  }
}
