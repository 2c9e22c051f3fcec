package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One trial of binned spike counts: {@code counts} is n_neurons x n_bins, neuron-major
 * ({@code counts[n * nBins + t]}).
 */
public record SpikeTrial(int trial, String condition, int nNeurons, int nBins, double binMs, int[] counts)
    implements Serializable {
  public SpikeTrial {
    Objects.requireNonNull(counts, "counts");
    if ((long) nNeurons * nBins != counts.length) {
      throw new IllegalArgumentException("trial " + trial + ": counts has " + counts.length
          + " values, expected n_neurons x n_bins = " + nNeurons + " x " + nBins);
    }
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
    return new SpikeTrial(row.getInt(0), row.getString(1), row.getInt(2), row.getInt(3), row.getDouble(4), counts);
  }

  /** A row of the spike_trials data schema. */
  public Row toRow() {
    Integer[] boxed = new Integer[counts.length];
    for (int i = 0; i < counts.length; i++) {
      boxed[i] = counts[i];
    }
    return RowFactory.create(trial, condition, nNeurons, nBins, binMs, boxed);
  }
}
