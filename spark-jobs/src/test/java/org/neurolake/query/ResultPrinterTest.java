package org.neurolake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ResultPrinterTest {
  static final StructType SCHEMA = new StructType().add("run_id", DataTypes.StringType)
      .add("value", DataTypes.DoubleType).add("round", DataTypes.IntegerType)
      .add("counts", DataTypes.createArrayType(DataTypes.IntegerType));
  static final List<Row> ROWS = List.of(
      RowFactory.create("mlp-blobs", 0.9375, 30, scala.collection.JavaConverters.asScalaBuffer(Arrays.asList(1, 2)).toSeq()),
      RowFactory.create("a,\"b\"", null, 7, null));

  private static String print(ResultFormat f) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ResultPrinter(f).print(SCHEMA, ROWS, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tableAlignsColumnsAndRightAlignsNumbers() {
    assertEquals("""
        run_id    |  value | round | counts
        ----------+--------+-------+-------
        mlp-blobs | 0.9375 |    30 | [1, 2]
        a,"b"     |   NULL |     7 | NULL
        (2 rows)
        """, print(ResultFormat.TABLE));
  }

  @Test
  void csvQuotesWhatNeedsItAndLeavesNullsEmpty() {
    assertEquals(String.join("\n", "run_id,value,round,counts", "mlp-blobs,0.9375,30,\"[1, 2]\"",
        "\"a,\"\"b\"\"\",,7,", ""), print(ResultFormat.CSV));
  }
}
