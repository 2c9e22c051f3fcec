package org.neurolake.model.lm;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.neurolake.model.api.FloatVectors;

/**
 * The model's parameter vector as one ND4J array of {@link #dataType()} (float for training,
 * double for the gradient tests), with a [rows, cols] view per group of the {@link ParameterLayout}.
 */
public final class Parameters {
  private final ParameterLayout layout;
  private final INDArray flat;
  private final Map<String, INDArray> views = new LinkedHashMap<>();

  public Parameters(ParameterLayout layout, DataType dataType) {
    this.layout = layout;
    this.flat = Nd4j.create(dataType, layout.size());
    for (ParameterLayout.Group g : layout.groups()) {
      views.put(g.name(), flat.get(NDArrayIndex.interval(g.offset(), g.end())).reshape('c', g.rows(), g.cols()));
    }
  }

  public ParameterLayout layout() {
    return layout;
  }

  public DataType dataType() {
    return flat.dataType();
  }

  /** The flat array (views share it). */
  public INDArray flat() {
    return flat;
  }

  public INDArray get(String group) {
    INDArray v = views.get(group);
    if (v == null) {
      throw new IllegalArgumentException("no parameter group '" + group + "'");
    }
    return v;
  }

  public float[] toFloats() {
    return FloatVectors.toArray(flat);
  }

  /** The flat vector as a read-only buffer: a view of its own storage when it holds floats. */
  public FloatBuffer floatView() {
    return FloatVectors.readOnlyView(flat);
  }

  public void set(float[] values) {
    if (values.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " parameters, got " + values.length);
    }
    FloatVectors.copyInto(values, flat);
  }

  public void set(double[] values) {
    if (values.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " parameters, got " + values.length);
    }
    flat.assign(Nd4j.createFromArray(values).castTo(flat.dataType()));
  }
}
