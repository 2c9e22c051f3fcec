package org.neurolake.lfads;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;

/**
 * One session of {@code spike_trials} as an LFADS run sees it: its shape (the same for every
 * trial, checked), its trials with their split, cut to the run's window ({@link TrialWindow};
 * the trials it does not fit are in {@code leftOut}), and the held-in / held-out neurons.
 */
public record LfadsSession(String session, SpikeShards.Shape shape, LfadsData data, int[] heldIn, int[] heldOut,
    Dataset<Row> trials, TrialWindow window, List<TrialWindows.LeftOut> leftOut) {

  public LfadsSession {
    leftOut = List.copyOf(leftOut);
  }

  /** The whole trials. */
  public static LfadsSession load(SparkSession spark, Lake lake, String session, LfadsData data) {
    return load(spark, lake, session, data, TrialWindow.WHOLE);
  }

  public static LfadsSession load(SparkSession spark, Lake lake, String session, LfadsData data,
      TrialWindow window) {
    Dataset<Row> all = TableReader.read(spark, lake, LakeTables.SPIKE_TRIALS)
        .where(col(Columns.SESSION).equalTo(session));
    TrialWindows.Windowed windowed = TrialWindows.apply(all, window);
    Dataset<Row> trials = windowed.trials();
    List<Row> shapes = trials.select(Columns.N_NEURONS, Columns.N_BINS, Columns.BIN_MS).distinct().limit(3)
        .collectAsList();
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("spike_trials has no session '" + session + "' in " + lake.root());
    }
    if (shapes.size() > 1) {
      throw new IllegalArgumentException("session " + session + " mixes trial shapes " + shapes
          + " (n_neurons, n_bins, bin_ms): LFADS needs one shape; "
          + (window.isWhole() ? "cut one window from every trial with data." + TrialWindow.WINDOW_KEY
              + " (e.g. -250:450) and data." + TrialWindow.ALIGN_KEY + " (start or a trial_info event column)"
              : "the window does not make them one: rebin the recording to one bin width and neuron count"));
    }
    Row s = shapes.get(0);
    SpikeShards.Shape shape = new SpikeShards.Shape(s.getInt(0), s.getInt(1), s.getDouble(2));
    data.observedBins(shape.nBins());
    return new LfadsSession(session, shape, data, data.heldInNeurons(shape.nNeurons()),
        data.heldOutNeurons(shape.nNeurons()), trials, window, windowed.leftOut());
  }

  /** The bins of each trial the models see: all but the {@link LfadsData#forwardBins} at the end. */
  public int observedBins() {
    return data.observedBins(shape.nBins());
  }

  /** The trials of one split (a lazy Dataset). */
  public Dataset<Row> split(Split split) {
    LfadsData d = data;
    return trials.filter((FilterFunction<Row>) r -> d.split(r.getInt(r.fieldIndex(Columns.TRIAL)),
        r.getString(r.fieldIndex(Columns.CONDITION))) == split);
  }

  /** A split's trials on the driver, in trial order: trial numbers and neuron-major counts. */
  public Collected collect(Split split) {
    List<Row> rows = split(split).select(Columns.TRIAL, Columns.COUNTS).orderBy(Columns.TRIAL).collectAsList();
    int[] numbers = new int[rows.size()];
    List<int[]> counts = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      numbers[i] = rows.get(i).getInt(0);
      counts.add(SpikeShards.counts(numbers[i], rows.get(i).getList(1), shape));
    }
    return new Collected(numbers, counts);
  }

  /** Trials of a split on the driver. */
  public record Collected(int[] trials, List<int[]> counts) {
    public int size() {
      return trials.length;
    }
  }

  /** Facts of the session for a run's run.json. */
  public Map<String, Object> describe() {
    return Map.of("session", session, "n_neurons", shape.nNeurons(), "n_bins", shape.nBins(), "bin_ms", shape.binMs(),
        "data", data.describe(), "held_out_neurons", heldOut, "window", window.describe(), "trials_left_out",
        leftOut.size());
  }
}
