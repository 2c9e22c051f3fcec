package org.neurolake.model.melc;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-class histograms of the projections {@code u·x} on the grid {@code [bΔ, (b+1)Δ)} (b any
 * integer, kept sparse), with each bin's count, feature sum and sum of the points' fractional
 * positions {@code f = p/Δ - b} in it per class: everything {@link BinnedCsDivergence} needs besides
 * {@link ClassMoments} (it splits each point linearly between the grid nodes b and b+1). Additive over partitions: build one
 * per partition with {@link #add} and {@link #merge} them.
 */
public final class BinnedStatistics implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double width;
  private final int dims;
  /** bin -> [count A, count B, Σx over A (dims), Σx over B (dims), Σf over A, Σf over B]. */
  private final HashMap<Long, double[]> bins = new HashMap<>();

  public BinnedStatistics(double width, int dims) {
    if (!(width > 0) || Double.isInfinite(width)) {
      throw new IllegalArgumentException("bin width must be positive and finite, got " + width);
    }
    this.width = width;
    this.dims = dims;
  }

  /** Bins the rows of {@code data} projected on {@code u}. */
  public static BinnedStatistics of(LabeledPoints data, double[] u, double width) {
    BinnedStatistics s = new BinnedStatistics(width, data.dims());
    for (int i = 0; i < data.size(); i++) {
      s.add(data.x()[i], data.y()[i], LabeledPoints.dot(u, data.x()[i]));
    }
    return s;
  }

  public double width() {
    return width;
  }

  public int dims() {
    return dims;
  }

  /** The bin of projection {@code p}; its centre is {@code (bin + 1/2)Δ}, within Δ/2 of p. */
  public long binOf(double p) {
    return (long) Math.floor(p / width);
  }

  /** Adds row {@code x} of class {@code label} whose projection is {@code p}. */
  public BinnedStatistics add(double[] x, int label, double p) {
    long bin = binOf(p);
    double[] b = bins.computeIfAbsent(bin, k -> new double[4 + 2 * dims]);
    b[label]++;
    b[2 + 2 * dims + label] += Math.min(1.0, Math.max(0.0, p / width - bin));
    int off = 2 + label * dims;
    for (int i = 0; i < dims; i++) {
      b[off + i] += x[i];
    }
    return this;
  }

  /** Adds {@code other} (same grid) into this one and returns this. */
  public BinnedStatistics merge(BinnedStatistics other) {
    if (other.width != width || other.dims != dims) {
      throw new IllegalArgumentException("cannot merge histograms of different grids");
    }
    for (Map.Entry<Long, double[]> e : other.bins.entrySet()) {
      double[] mine = bins.get(e.getKey());
      if (mine == null) {
        bins.put(e.getKey(), e.getValue().clone());
      } else {
        double[] theirs = e.getValue();
        for (int i = 0; i < mine.length; i++) {
          mine[i] += theirs[i];
        }
      }
    }
    return this;
  }

  /** The nonempty bins, unordered: bin index -> [count A, count B, Σx A, Σx B, Σf A, Σf B]. */
  Map<Long, double[]> bins() {
    return bins;
  }
}
