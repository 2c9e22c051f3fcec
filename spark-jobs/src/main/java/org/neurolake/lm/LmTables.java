package org.neurolake.lm;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.table.TableDef;

/**
 * The word-level language-model tables the LSTM-LM family reads, as the token-table jobs
 * (tokenize, build-vocab, token-streams; issue 15 section 1) write them. Declared here only until
 * those jobs' {@code LakeTables.VOCAB}, {@code VOCAB_CHARS}, {@code TOKEN_STREAMS} and their
 * {@code Columns} are on this branch; then these become references to them.
 */
public final class LmTables {
  public static final String CORPUS = "corpus";
  public static final String VOCAB_ID = "vocab_id";
  public static final String SPLIT = "split";
  public static final String WORD = "word";
  public static final String ID = "id";
  public static final String COUNT = "count";
  public static final String CHARS = "chars";
  public static final String STREAM_ID = "stream_id";
  public static final String CHUNK = "chunk";
  public static final String IDS = "ids";

  private LmTables() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, false);
  }

  private static StructField partition(String name) {
    return field(name, DataTypes.StringType);
  }

  public static final TableDef VOCAB = new TableDef("vocab",
      new StructType(new StructField[] {
          field(WORD, DataTypes.StringType),
          field(ID, DataTypes.IntegerType),
          field(COUNT, DataTypes.LongType)}),
      List.of(partition(CORPUS), partition(VOCAB_ID)));

  public static final TableDef VOCAB_CHARS = new TableDef("vocab_chars",
      new StructType(new StructField[] {
          field(ID, DataTypes.IntegerType),
          field(CHARS, DataTypes.createArrayType(DataTypes.IntegerType, false))}),
      List.of(partition(CORPUS), partition(VOCAB_ID)));

  public static final TableDef TOKEN_STREAMS = new TableDef("token_streams",
      new StructType(new StructField[] {
          field(STREAM_ID, DataTypes.IntegerType),
          field(CHUNK, DataTypes.IntegerType),
          field(IDS, DataTypes.createArrayType(DataTypes.IntegerType, false))}),
      List.of(partition(CORPUS), partition(VOCAB_ID), partition(SPLIT)));
}
