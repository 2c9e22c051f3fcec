package org.neurolake.sentiment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.text.Split;

/**
 * The language model's held-out sample: up to {@link MlstmData#heldOutDocuments()} whole documents
 * of the sources' dev and test splits, the ones with the smallest seeded hash of their doc id (a
 * fixed sample, whatever the row order), reassembled from their {@code byte_sequences} chunks and
 * returned in doc-id order.
 */
public final class HeldOutDocuments {
  private HeldOutDocuments() {}

  public static List<byte[]> collect(Dataset<Row> sequences, MlstmData data) {
    Dataset<Row> heldOut = sequences.where(col(Columns.SPLIT).isin(Split.DEV.value(), Split.TEST.value()));
    Dataset<Row> ids = heldOut.select(Columns.DOC_ID).distinct()
        .orderBy(xxhash64(col(Columns.DOC_ID), lit(data.heldOutSeed())), col(Columns.DOC_ID))
        .limit(data.heldOutDocuments());
    List<Row> rows = heldOut.join(ids, Columns.DOC_ID).select(Columns.DOC_ID, Columns.SEQ_INDEX, Columns.BYTES)
        .collectAsList();
    Map<String, TreeMap<Integer, byte[]>> byDoc = new TreeMap<>();
    for (Row r : rows) {
      byte[] previous = byDoc.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), (byte[]) r.get(2));
      if (previous != null) {
        throw new IllegalArgumentException("document " + r.getString(0) + " has two chunks with seq_index " + r.getInt(1));
      }
    }
    List<byte[]> out = new ArrayList<>(byDoc.size());
    byDoc.forEach((doc, chunks) -> {
      if (chunks.lastKey() != chunks.size() - 1) {
        throw new IllegalArgumentException("document " + doc + " has chunks " + chunks.keySet() + "; expected 0.."
            + (chunks.size() - 1));
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      chunks.values().forEach(b::writeBytes);
      out.add(b.toByteArray());
    });
    return out;
  }
}
