package org.neurolake.pipelines.text;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Test;
import scala.runtime.BoxedUnit;
import org.neurolake.pipelines.table.LakeTables;

/** Runs on JUnit 4 through the vintage engine, with Spark Testing Base's DataFrame comparison. */
public class ByteSequencingTest extends JavaDataFrameSuiteBase {
  @Test
  public void cutsEachDocumentIntoOrderedChunks() {
    StructType docSchema = new StructType().add("doc_id", DataTypes.StringType).add("split", DataTypes.StringType)
        .add("text_bytes", DataTypes.BinaryType);
    Dataset<Row> docs = spark().createDataFrame(List.of(
        RowFactory.create("a", "train", "abcdefg".getBytes()),
        RowFactory.create("b", "test", "xy".getBytes())), docSchema);
    Dataset<Row> expected = spark().createDataFrame(List.of(
        RowFactory.create("a", "train", 0, "abc".getBytes()),
        RowFactory.create("a", "train", 1, "def".getBytes()),
        RowFactory.create("a", "train", 2, "g".getBytes()),
        RowFactory.create("b", "test", 0, "xy".getBytes())), LakeTables.BYTE_SEQUENCES.dataSchema());
    // The third argument is Scala's default "how to show a mismatch", spelled out from Java.
    assertDataFrameEquals(expected, ByteSequencing.sequences(docs, new ByteSequenceCutter(3)), df -> {
      df.show(false);
      return BoxedUnit.UNIT;
    });
  }
}
