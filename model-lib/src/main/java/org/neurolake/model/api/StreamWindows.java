package org.neurolake.model.api;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How sequences (documents, token streams) are laid out as {@code lanes} parallel rows for
 * truncated BPTT: each sequence, whole and in order, goes to the lane with the fewest windows so far
 * (the lowest index on ties) and is cut into windows of at most {@code windowLength} predictions; a
 * window never spans two sequences. Shorter lanes end in empty windows, so every lane has
 * {@link #windowsPerLane()} windows. Example e is window e / lanes of lane e % lanes.
 *
 * <p>Positions are offsets into the sequences concatenated in the order given: a window's inputs
 * are positions start .. start + inputs - 1, its targets the positions after each.
 */
public final class StreamWindows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int lanes;
  private final int windowsPerLane;
  /** Per example e: offset of the window's first input. */
  private final int[] start;
  /** Per example e: predictions in the window (0 for a padding window). */
  private final int[] inputs;
  /** Per example e: the window continues a sequence begun in the lane's previous window. */
  private final boolean[] continuation;

  private StreamWindows(int lanes, int windowsPerLane, int[] start, int[] inputs, boolean[] continuation) {
    this.lanes = lanes;
    this.windowsPerLane = windowsPerLane;
    this.start = start;
    this.inputs = inputs;
    this.continuation = continuation;
  }

  /**
   * The layout of sequences of the given lengths (each >= 2: a sequence of n items holds n - 1
   * predictions) in {@code lanes} lanes of windows of {@code windowLength} predictions.
   */
  public static StreamWindows layout(int[] lengths, int lanes, int windowLength) {
    if (lanes < 1 || windowLength < 1) {
      throw new IllegalArgumentException("lanes and windowLength must be >= 1, got " + lanes + ", " + windowLength);
    }
    List<List<int[]>> perLane = new ArrayList<>(); // per lane: windows as {start, inputs, continuation}
    for (int l = 0; l < lanes; l++) {
      perLane.add(new ArrayList<>());
    }
    int at = 0;
    for (int length : lengths) {
      if (length < 2) {
        throw new IllegalArgumentException("a sequence of " + length + " items holds no prediction");
      }
      int shortest = 0;
      for (int l = 1; l < lanes; l++) {
        if (perLane.get(l).size() < perLane.get(shortest).size()) {
          shortest = l;
        }
      }
      int predictions = length - 1;
      for (int p = 0; p < predictions; p += windowLength) {
        perLane.get(shortest).add(new int[] {at + p, Math.min(windowLength, predictions - p), p > 0 ? 1 : 0});
      }
      at += length;
    }
    int windowsPerLane = perLane.stream().mapToInt(List::size).max().orElse(0);
    int size = windowsPerLane * lanes;
    int[] start = new int[size];
    int[] inputs = new int[size];
    boolean[] continuation = new boolean[size];
    for (int l = 0; l < lanes; l++) {
      List<int[]> ws = perLane.get(l);
      for (int j = 0; j < ws.size(); j++) {
        int e = j * lanes + l;
        start[e] = ws.get(j)[0];
        inputs[e] = ws.get(j)[1];
        continuation[e] = ws.get(j)[2] == 1;
      }
    }
    return new StreamWindows(lanes, windowsPerLane, start, inputs, continuation);
  }

  public int lanes() {
    return lanes;
  }

  public int windowsPerLane() {
    return windowsPerLane;
  }

  /** Example slots: windows per lane x lanes. */
  public int size() {
    return windowsPerLane * lanes;
  }

  /** Offset of example e's first input. */
  public int start(int e) {
    return start[e];
  }

  /** Predictions in example e's window (0 for padding). */
  public int inputs(int e) {
    return inputs[e];
  }

  /** Whether example e's window continues a sequence begun in its lane's previous window. */
  public boolean continues(int e) {
    return continuation[e];
  }

  /**
   * The examples of a batch of n rows from example {@code from}: row i holds example from + i
   * (wrapping around), and continues its lane's state only when the batch is aligned (n = lanes and
   * from a multiple of it) and the window continues its sequence, so no row carries state into
   * another lane's sequence.
   */
  public BatchRows batchRows(int from, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a batch needs >= 1 row, got " + n);
    }
    boolean aligned = n == lanes && Math.floorMod(from, lanes) == 0;
    int[] examples = new int[n];
    boolean[] continues = new boolean[n];
    for (int i = 0; i < n; i++) {
      int e = Math.floorMod(from + i, size());
      examples[i] = e;
      continues[i] = aligned && continuation[e];
    }
    return new BatchRows(examples, continues);
  }

  /** A batch's rows: each row's example, and whether the row continues its carried state. */
  public record BatchRows(int[] examples, boolean[] continues) {}

  /** Predictions in all windows (items that have a predecessor in their sequence). */
  public long predictions() {
    long n = 0;
    for (int w : inputs) {
      n += w;
    }
    return n;
  }
}
