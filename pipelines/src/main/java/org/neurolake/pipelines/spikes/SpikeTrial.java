package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One trial of binned spike counts: {@code counts} is n_neurons x n_bins, neuron-major
 * ({@code counts[n * nBins + t]}). {@code info} is the trial's metadata from its trial table (the
 * columns the reader did not use: event times in ms from the trial start, ids, ...), or null when
 * the recording has none.
 */
public record SpikeTrial(int trial, String condition, int nNeurons, int nBins, double binMs, int[] counts,
    Map<String, String> info) implements Serializable {
  public SpikeTrial {
    Objects.requireNonNull(counts, "counts");
    if ((long) nNeurons * nBins != counts.length) {
      throw new IllegalArgumentException("trial " + trial + ": counts has " + counts.length
          + " values, expected n_neurons x n_bins = " + nNeurons + " x " + nBins);
    }
    // A LinkedHashMap keeps the trial table's column order and, unlike Map.copyOf, null values.
    info = info == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(info));
  }

  /** A trial without metadata. */
  public SpikeTrial(int trial, String condition, int nNeurons, int nBins, double binMs, int[] counts) {
    this(trial, condition, nNeurons, nBins, binMs, counts, null);
  }

  public int count(int neuron, int bin) {
    return counts[neuron * nBins + bin];
  }

  public long total() {
    long s = 0;
    for (int c : counts) {
      s += c;
    }
    return s;
  }

  /** From a row of spike_trials (data columns first, as {@link #toRow} writes them). */
  public static SpikeTrial fromRow(Row row) {
    java.util.List<Integer> c = row.getList(5);
    int[] counts = new int[c.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = c.get(i);
    }
    Map<String, String> info = row.size() > 6 && !row.isNullAt(6) ? row.getJavaMap(6) : null;
    return new SpikeTrial(row.getInt(0), row.getString(1), row.getInt(2), row.getInt(3), row.getDouble(4), counts,
        info);
  }

  /** A row of the spike_trials data schema. */
  public Row toRow() {
    Integer[] boxed = new Integer[counts.length];
    for (int i = 0; i < counts.length; i++) {
      boxed[i] = counts[i];
    }
    // Spark's row encoder takes a Scala map for a map column.
    return RowFactory.create(trial, condition, nNeurons, nBins, binMs, boxed,
        info == null ? null : scala.collection.JavaConverters.mapAsScalaMapConverter(info).asScala());
  }
}
