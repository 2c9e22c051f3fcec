package org.neurolake.pipelines.text;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.Encoders;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;

/**
 * Reads a source's {@code documents} partition and writes its {@code byte_sequences} partition.
 * Each document's chunks are emitted together and in order by the task that reads the document
 * (no shuffle), so document order within a document is kept in the files too.
 */
public final class ByteSequencing {
  private ByteSequencing() {}

  public record Result(long documents, long sequences, Path path) {}

  public static Dataset<Row> sequences(Dataset<Row> documents, ByteSequenceCutter cutter) {
    FlatMapFunction<Row, Row> cut = doc -> {
      String docId = doc.getString(0);
      String split = doc.getString(1);
      byte[] bytes = (byte[]) doc.get(2);
      List<byte[]> chunks = cutter.cut(bytes);
      List<Row> rows = new ArrayList<>(chunks.size());
      for (int i = 0; i < chunks.size(); i++) {
        rows.add(RowFactory.create(docId, split, i, chunks.get(i)));
      }
      return rows.iterator();
    };
    return documents.select(col(Columns.DOC_ID), col(Columns.SPLIT), col(Columns.TEXT_BYTES))
        .flatMap(cut, Encoders.row(LakeTables.BYTE_SEQUENCES.dataSchema()));
  }

  public static Result run(SparkSession spark, Lake lake, String source, ByteSequenceCutter cutter) {
    PartitionKey.requireSafe(source);
    Dataset<Row> docs = TableReader.read(spark, lake, LakeTables.DOCUMENTS)
        .where(col(Columns.SOURCE).equalTo(source));
    long nDocs = docs.count();
    if (nDocs == 0) {
      throw new IllegalArgumentException("documents has no rows for source '" + source + "'");
    }
    Dataset<Row> seqs = sequences(docs, cutter);
    Path p = new PartitionCommitter(spark.sparkContext().hadoopConfiguration())
        .replace(seqs, lake, LakeTables.BYTE_SEQUENCES, PartitionKey.of(LakeTables.BYTE_SEQUENCES, source));
    long nSeq = spark.read().parquet(p.toString()).count();
    return new Result(nDocs, nSeq, p);
  }
}
