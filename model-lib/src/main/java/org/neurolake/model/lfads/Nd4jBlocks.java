package org.neurolake.model.lfads;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A flat float INDArray of {@link ParameterLayout#size()} values (parameters or their gradient, in
 * layout order) and each block's [rows, cols] row-major view of it: writing a view writes the flat
 * array, on whatever device it lives.
 */
final class Nd4jBlocks {
  private final ParameterLayout layout;
  private final INDArray flat;

  Nd4jBlocks(ParameterLayout layout) {
    this.layout = layout;
    this.flat = Nd4j.zeros(DataType.FLOAT, layout.size());
  }

  /** The flat array [size]. */
  INDArray flat() {
    return flat;
  }

  /** Block {@code name} as a [rows, cols] view of {@link #flat()}. */
  INDArray view(String name) {
    ParameterLayout.Block b = layout.block(name);
    return Nd4j.create(flat.data(), new long[] {b.rows(), b.cols()}, new long[] {b.cols(), 1}, b.offset(), 'c');
  }
}
