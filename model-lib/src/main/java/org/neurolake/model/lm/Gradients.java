package org.neurolake.model.lm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pass's gradient by parameter group: dense ([rows, cols] of the group), or for a row-sparse
 * group the rows touched (distinct ids) and their gradients ([touched, cols]); rows not listed have
 * gradient 0.
 */
public final class Gradients {
  /** Rows {@code ids} (distinct) of a group with their gradient rows {@code values}. */
  public record Rows(int[] ids, INDArray values) {}

  private final Map<String, INDArray> dense = new LinkedHashMap<>();
  private final Map<String, Rows> rows = new LinkedHashMap<>();

  public void dense(String group, INDArray gradient) {
    dense.put(group, gradient);
  }

  public void rows(String group, int[] ids, INDArray values) {
    rows.put(group, new Rows(ids, values));
  }

  public Map<String, INDArray> dense() {
    return dense;
  }

  public Map<String, Rows> rows() {
    return rows;
  }

  /** The global L2 norm of the whole gradient. */
  public double norm() {
    double ss = 0;
    for (INDArray g : dense.values()) {
      double n = g.norm2Number().doubleValue();
      ss += n * n;
    }
    for (Rows r : rows.values()) {
      double n = r.values().norm2Number().doubleValue();
      ss += n * n;
    }
    return Math.sqrt(ss);
  }

  /** The gradient as one vector in {@code layout} order (zeros where no row was touched). */
  public double[] toDense(ParameterLayout layout) {
    double[] out = new double[(int) layout.size()];
    for (Map.Entry<String, INDArray> e : dense.entrySet()) {
      ParameterLayout.Group g = layout.group(e.getKey());
      double[] v = e.getValue().dup('c').data().asDouble();
      System.arraycopy(v, 0, out, g.offset(), g.size());
    }
    for (Map.Entry<String, Rows> e : rows.entrySet()) {
      ParameterLayout.Group g = layout.group(e.getKey());
      double[] v = e.getValue().values().dup('c').data().asDouble();
      int[] ids = e.getValue().ids();
      for (int k = 0; k < ids.length; k++) {
        System.arraycopy(v, k * g.cols(), out, g.offset() + ids[k] * g.cols(), g.cols());
      }
    }
    return out;
  }
}
