package org.neurolake.model.neural;

/**
 * A dense matrix of samples (rows) by features (columns), row-major: element (i, j) at
 * {@code i * cols + j}. The design matrix of {@link PoissonGlm} and the data of
 * {@link FactorAnalysis}. Immutable to callers outside this package: {@link #of} copies,
 * {@link #values()} returns a copy.
 */
public final class RowMatrix {
  private final int rows;
  private final int cols;
  private final double[] values;

  private RowMatrix(int rows, int cols, double[] values) {
    if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
      throw new IllegalArgumentException("matrix of " + rows + " x " + cols + " cannot hold " + values.length
          + " values");
    }
    this.rows = rows;
    this.cols = cols;
    this.values = values;
  }

  /** A copy of {@code values} (row-major) as a rows x cols matrix. */
  public static RowMatrix of(int rows, int cols, double[] values) {
    return new RowMatrix(rows, cols, values.clone());
  }

  /** Takes ownership of {@code values}: for arrays built inside this package and never written again. */
  static RowMatrix wrap(int rows, int cols, double[] values) {
    return new RowMatrix(rows, cols, values);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public double get(int row, int col) {
    return values[row * cols + col];
  }

  /** A copy of the values, row-major. */
  public double[] values() {
    return values.clone();
  }

  /** The stored array, for read-only use inside this package. */
  double[] data() {
    return values;
  }

  @Override
  public String toString() {
    return "RowMatrix[" + rows + " x " + cols + "]";
  }
}
