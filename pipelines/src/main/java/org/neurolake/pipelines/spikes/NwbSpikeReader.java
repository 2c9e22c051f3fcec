package org.neurolake.pipelines.spikes;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.QuarantineRecord;

/**
 * Reads spikes from an NWB (HDF5) file: the units table's ragged {@code spike_times} (seconds)
 * with {@code spike_times_index} (the end offset of each unit's spikes), and the trials table's
 * {@code start_time}/{@code stop_time} (seconds) with an optional condition column.
 *
 * <p>A spike at time t belongs to a trial when start <= t < stop and falls in bin
 * floor((t - start) / bin). Dimensions are checked before any array is read.
 */
public final class NwbSpikeReader {
  public static final String SPIKE_TIMES = "/units/spike_times";
  public static final String SPIKE_TIMES_INDEX = "/units/spike_times_index";
  public static final String TRIALS = "/intervals/trials";

  /** The NWB trials table's own row ids, the trial numbers unless another id column is named. */
  public static final String ID = "id";

  private final double binMs;
  private final String conditionColumn;
  private final String trialColumn;
  private final RecordingLimits limits;
  private final long maxSpikes;

  public NwbSpikeReader(double binMs, String conditionColumn, RecordingLimits limits, long maxSpikes) {
    this(binMs, ID, conditionColumn, limits, maxSpikes);
  }

  /**
   * @param trialColumn the trials column of the trial ids (when the table has no such column, a
   *     trial's number is its row)
   */
  public NwbSpikeReader(double binMs, String trialColumn, String conditionColumn, RecordingLimits limits,
      long maxSpikes) {
    this.trialColumn = java.util.Objects.requireNonNull(trialColumn, "trialColumn");
    if (!(binMs > 0)) {
      throw new IllegalArgumentException("bin width must be positive: " + binMs);
    }
    this.binMs = binMs;
    this.conditionColumn = conditionColumn;
    this.limits = limits;
    this.maxSpikes = maxSpikes;
  }

  public RecordingRead read(String fileName, Path localFile) {
    try (HdfFile hdf = new HdfFile(localFile)) {
      return read(fileName, hdf);
    } catch (HdfException e) {
      throw new BadInputException(fileName + " is not a readable HDF5/NWB file: " + e.getMessage(), e);
    }
  }

  private RecordingRead read(String fileName, HdfFile hdf) {
    Dataset times = dataset(hdf, fileName, SPIKE_TIMES);
    Dataset index = dataset(hdf, fileName, SPIKE_TIMES_INDEX);
    Dataset start = dataset(hdf, fileName, TRIALS + "/start_time");
    Dataset stop = dataset(hdf, fileName, TRIALS + "/stop_time");
    long nSpikes = length1d(times, fileName);
    long nUnits = length1d(index, fileName);
    long nTrials = length1d(start, fileName);
    if (length1d(stop, fileName) != nTrials) {
      throw new BadInputException(fileName + ": trials start_time has " + nTrials + " rows but stop_time has "
          + length1d(stop, fileName));
    }
    if (nSpikes > maxSpikes) {
      throw new BadInputException(fileName + ": " + nSpikes + " spikes exceed the limit of " + maxSpikes);
    }
    if (nUnits < 1 || nUnits > limits.maxNeurons()) {
      throw new BadInputException(fileName + ": " + nUnits + " units is outside [1, " + limits.maxNeurons() + "]");
    }
    if (nTrials > 10_000_000L) {
      throw new BadInputException(fileName + ": " + nTrials + " trials is absurd");
    }
    Dataset cond = null;
    if (conditionColumn != null) {
      cond = dataset(hdf, fileName, TRIALS + "/" + conditionColumn);
      if (length1d(cond, fileName) != nTrials) {
        throw new BadInputException(fileName + ": condition column has " + length1d(cond, fileName)
            + " rows, trials have " + nTrials);
      }
    }

    Map<String, Dataset> metadata = metadataColumns(hdf, fileName, nTrials);
    // Spike times twice (as read, and per unit), unit ends, trial starts and stops, metadata as strings.
    long bytesHeld = 16 * nSpikes + 8 * nUnits + 16 * nTrials + 64 * nTrials * metadata.size();
    limits.checkMemory(fileName, bytesHeld, 0);
    double[] t = toDoubles(times.getData(), fileName, SPIKE_TIMES);
    long[] ends = toLongs(index.getData(), fileName, SPIKE_TIMES_INDEX);
    long prev = 0;
    for (int u = 0; u < ends.length; u++) {
      if (ends[u] < prev || ends[u] > nSpikes) {
        throw new BadInputException(fileName + ": spike_times_index[" + u + "] = " + ends[u]
            + " is inconsistent (previous end " + prev + ", " + nSpikes + " spike times)");
      }
      prev = ends[u];
    }
    if (prev != nSpikes) {
      throw new BadInputException(fileName + ": spike_times_index ends at " + prev + " but there are "
          + nSpikes + " spike times");
    }
    // Each unit's spikes sorted, for binary search per trial.
    double[][] unitSpikes = new double[ends.length][];
    for (int u = 0; u < ends.length; u++) {
      int from = u == 0 ? 0 : (int) ends[u - 1];
      unitSpikes[u] = Arrays.copyOfRange(t, from, (int) ends[u]);
      Arrays.sort(unitSpikes[u]);
    }
    double[] starts = toDoubles(start.getData(), fileName, "start_time");
    double[] stops = toDoubles(stop.getData(), fileName, "stop_time");
    String[] conditions = cond == null ? null : toStrings(cond.getData());
    int[] ids = trialIds(fileName, metadata.remove(trialColumn), (int) nTrials);
    List<Map<String, String>> infos = infos(metadata, starts, (int) nTrials);

    int nNeurons = ends.length;
    long countsHeld = 0;
    for (int k = 0; k < nTrials; k++) {
      double durationMs = (stops[k] - starts[k]) * 1000.0;
      if (durationMs > 0 && !Double.isNaN(starts[k])) {
        int nBins = SpikeBinning.nBins(durationMs, binMs);
        limits.check(fileName + " " + TRIALS + " row " + k, nNeurons, durationMs, nBins);
        countsHeld += (long) nNeurons * nBins;
      }
    }
    limits.checkMemory(fileName + " (" + nTrials + " trials of " + nNeurons + " units)", bytesHeld, countsHeld);
    List<SpikeTrial> trials = new ArrayList<>();
    List<QuarantineRecord> refused = new ArrayList<>();
    for (int k = 0; k < nTrials; k++) {
      String where = TRIALS + " row " + k;
      double durationMs = (stops[k] - starts[k]) * 1000.0;
      if (!(durationMs > 0) || Double.isNaN(starts[k])) {
        refused.add(new QuarantineRecord(fileName, where, "trial stop_time " + stops[k]
            + " is not after start_time " + starts[k], null));
        continue;
      }
      int nBins = SpikeBinning.nBins(durationMs, binMs);
      int[] counts = new int[nNeurons * nBins];
      for (int u = 0; u < nNeurons; u++) {
        double[] s = unitSpikes[u];
        int i = lowerBound(s, starts[k]);
        for (; i < s.length && s[i] < stops[k]; i++) {
          int b = Math.min(nBins - 1, SpikeBinning.binOf((s[i] - starts[k]) * 1000.0, binMs));
          counts[u * nBins + b]++;
        }
      }
      trials.add(new SpikeTrial(ids[k], conditions == null ? null : conditions[k], nNeurons, nBins, binMs, counts,
          infos.get(k)));
    }
    return new RecordingRead(trials, refused);
  }

  /**
   * The trials table's other 1-D columns of one value per trial, by name: not start_time, stop_time,
   * the condition, nor ragged columns (those with a {@code _index} companion, and the index itself).
   */
  private Map<String, Dataset> metadataColumns(HdfFile hdf, String fileName, long nTrials) {
    Map<String, Dataset> out = new TreeMap<>();
    if (!(hdf.getByPath(TRIALS) instanceof Group g)) {
      throw new BadInputException(fileName + ": " + TRIALS + " is not a group");
    }
    Map<String, Node> children = g.getChildren();
    for (Map.Entry<String, Node> e : children.entrySet()) {
      String name = e.getKey();
      if (name.equals("start_time") || name.equals("stop_time") || name.equals(conditionColumn)
          || name.endsWith("_index") || children.containsKey(name + "_index")
          || !(e.getValue() instanceof Dataset d) || d.getDimensions().length != 1
          || d.getDimensions()[0] != nTrials) {
        continue;
      }
      out.put(name, d);
    }
    return out;
  }

  /** The trial numbers: the id column's values (whole, >= 0, distinct) or, without one, the rows. */
  private static int[] trialIds(String fileName, Dataset idColumn, int nTrials) {
    int[] ids = new int[nTrials];
    if (idColumn == null) {
      Arrays.setAll(ids, k -> k);
      return ids;
    }
    long[] values = toLongs(idColumn.getData(), fileName, TRIALS + "/" + idColumn.getName());
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int k = 0; k < nTrials; k++) {
      if (values[k] < 0 || values[k] > Integer.MAX_VALUE || !seen.add(values[k])) {
        throw new BadInputException(fileName + ": " + TRIALS + "/" + idColumn.getName() + " row " + k + " is "
            + values[k] + ": trial ids must be distinct integers >= 0");
      }
      ids[k] = (int) values[k];
    }
    return ids;
  }

  /**
   * Each trial's metadata: every column's value as a string, and for each numeric {@code x_time}
   * column (NWB's event times, seconds on the session clock) also {@code x_ms}, the event in ms
   * from the trial's start, which is what an alignment window takes.
   */
  private static List<Map<String, String>> infos(Map<String, Dataset> columns, double[] starts, int nTrials) {
    List<Map<String, String>> out = new ArrayList<>();
    for (int k = 0; k < nTrials; k++) {
      out.add(new LinkedHashMap<>());
    }
    for (Map.Entry<String, Dataset> c : columns.entrySet()) {
      Object data = c.getValue().getData();
      String[] values = toStrings(data);
      boolean eventTime = c.getKey().endsWith("_time") && data.getClass().getComponentType().isPrimitive();
      for (int k = 0; k < nTrials; k++) {
        out.get(k).put(c.getKey(), values[k]);
        if (eventTime) {
          double ms = (((Number) java.lang.reflect.Array.get(data, k)).doubleValue() - starts[k]) * 1000.0;
          String base = c.getKey().substring(0, c.getKey().length() - "_time".length());
          // To the microsecond: seconds as doubles carry noise like 250.00000000000003.
          out.get(k).put(base + "_ms", Double.toString(Math.round(ms * 1000) / 1000.0));
        }
      }
    }
    return out;
  }

  private static int lowerBound(double[] a, double key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static Dataset dataset(HdfFile hdf, String fileName, String path) {
    Node n;
    try {
      n = hdf.getByPath(path);
    } catch (HdfException e) {
      throw new BadInputException(fileName + ": no dataset " + path + " (is this an NWB file with units and trials?)", e);
    }
    if (!(n instanceof Dataset d)) {
      throw new BadInputException(fileName + ": " + path + " is not a dataset");
    }
    return d;
  }

  private static long length1d(Dataset d, String fileName) {
    int[] dims = d.getDimensions();
    if (dims.length != 1) {
      throw new BadInputException(fileName + ": " + d.getPath() + " has shape " + Arrays.toString(dims)
          + ", expected one dimension");
    }
    return dims[0];
  }

  private static double[] toDoubles(Object data, String fileName, String what) {
    if (data instanceof double[] d) {
      return d;
    }
    if (data != null && data.getClass().isArray() && data.getClass().getComponentType().isPrimitive()) {
      double[] out = new double[Array.getLength(data)];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) Array.get(data, i)).doubleValue();
      }
      return out;
    }
    throw new BadInputException(fileName + ": " + what + " is not numeric");
  }

  private static long[] toLongs(Object data, String fileName, String what) {
    if (data instanceof long[] l) {
      return l;
    }
    if (data != null && data.getClass().isArray() && data.getClass().getComponentType().isPrimitive()
        && !(data instanceof double[]) && !(data instanceof float[])) {
      long[] out = new long[Array.getLength(data)];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) Array.get(data, i)).longValue();
      }
      return out;
    }
    throw new BadInputException(fileName + ": " + what + " is not an integer array");
  }

  private static String[] toStrings(Object data) {
    int n = Array.getLength(data);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      Object v = Array.get(data, i);
      if (v instanceof Double d && d == Math.rint(d)) {
        out[i] = Long.toString(d.longValue());
      } else {
        out[i] = String.valueOf(v);
      }
    }
    return out;
  }
}
