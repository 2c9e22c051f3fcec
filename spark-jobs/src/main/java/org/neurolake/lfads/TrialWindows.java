package org.neurolake.lfads;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.table.Columns;

/**
 * Cuts a {@link TrialWindow} out of every trial of a {@code spike_trials} session. Trials whose
 * window falls outside the recording (or that lack the alignment event) are left out and listed
 * with their reason: never silently. The whole-trial window returns the trials untouched.
 */
public final class TrialWindows {
  private TrialWindows() {}

  /** A trial the window could not be cut from, and why. */
  public record LeftOut(int trial, String reason) implements Serializable {}

  /** The windowed trials (same columns; n_bins and counts cut) and the trials left out. */
  public record Windowed(Dataset<Row> trials, List<LeftOut> leftOut) {
    public Windowed {
      leftOut = List.copyOf(leftOut);
    }
  }

  public static Windowed apply(Dataset<Row> trials, TrialWindow window) {
    if (window.isWhole()) {
      return new Windowed(trials, List.of());
    }
    // One small row per trial: where the window falls is decided on the driver, in trial order.
    List<Row> meta = trials.select(Columns.TRIAL, Columns.N_BINS, Columns.BIN_MS, Columns.TRIAL_INFO)
        .orderBy(Columns.TRIAL).collectAsList();
    Map<Integer, Integer> firstBin = new HashMap<>();
    List<LeftOut> leftOut = new ArrayList<>();
    boolean anyHasEvent = window.align().equals(TrialWindow.START);
    java.util.Set<String> infoKeys = new java.util.TreeSet<>();
    for (Row r : meta) {
      Map<String, String> info = r.isNullAt(3) ? null : r.getJavaMap(3);
      if (info != null) {
        infoKeys.addAll(info.keySet());
        anyHasEvent |= info.containsKey(window.align());
      }
      TrialWindow.Placement p = window.place(r.getInt(1), r.getDouble(2), info);
      if (p.fits()) {
        firstBin.put(r.getInt(0), p.firstBin());
      } else {
        leftOut.add(new LeftOut(r.getInt(0), p.outside()));
      }
    }
    if (!anyHasEvent) {
      throw new IllegalArgumentException("data." + TrialWindow.ALIGN_KEY + " = " + window.align() + ": no trial has"
          + " it in trial_info (its columns: " + infoKeys + "; or 'start')");
    }
    if (firstBin.isEmpty()) {
      throw new IllegalArgumentException("data." + TrialWindow.WINDOW_KEY + " " + window.fromMs() + ":"
          + window.toMs() + " around " + window.align() + " fits no trial; e.g. trial " + leftOut.get(0).trial()
          + ": " + leftOut.get(0).reason());
    }
    StructType schema = trials.schema();
    int trialAt = trials.schema().fieldIndex(Columns.TRIAL);
    int nBinsAt = trials.schema().fieldIndex(Columns.N_BINS);
    int binMsAt = trials.schema().fieldIndex(Columns.BIN_MS);
    int neuronsAt = trials.schema().fieldIndex(Columns.N_NEURONS);
    int countsAt = trials.schema().fieldIndex(Columns.COUNTS);
    Dataset<Row> cut = trials.where(col(Columns.TRIAL).isin(firstBin.keySet().toArray()))
        .map((MapFunction<Row, Row>) r -> {
          int nBins = r.getInt(nBinsAt);
          int nNeurons = r.getInt(neuronsAt);
          int width = window.nBins(r.getDouble(binMsAt));
          int first = firstBin.get(r.getInt(trialAt));
          List<Integer> counts = r.getList(countsAt);
          Integer[] out = new Integer[nNeurons * width];
          for (int n = 0; n < nNeurons; n++) {
            for (int t = 0; t < width; t++) {
              out[n * width + t] = counts.get(n * nBins + first + t);
            }
          }
          Object[] values = new Object[r.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = i == nBinsAt ? width : i == countsAt ? out : r.get(i);
          }
          // With its schema: the split's filter finds columns by name.
          return new GenericRowWithSchema(values, schema);
        }, Encoders.row(schema));
    return new Windowed(cut, leftOut);
  }
}
