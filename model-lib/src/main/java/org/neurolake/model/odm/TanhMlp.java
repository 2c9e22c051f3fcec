package org.neurolake.model.odm;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A dense network with tanh hidden layers and a linear output, its forward and backward passes
 * written as ND4J array operations (so any ND4J backend runs them). Parameters, in order: for each
 * layer l its weights W_l [in, out] row-major, then its biases b_l [out].
 */
final class TanhMlp {
  private final int[] widths;
  private final DataType dataType;
  private final INDArray[] weights;
  private final INDArray[] biases;

  /** The activations of one forward pass: {@code inputs[l]} is layer l's input, {@code output} the last layer's. */
  record Pass(INDArray[] inputs, INDArray output) {}

  TanhMlp(int[] widths, DataType dataType) {
    this.widths = widths.clone();
    this.dataType = dataType;
    this.weights = new INDArray[widths.length - 1];
    this.biases = new INDArray[widths.length - 1];
    for (int l = 0; l < weights.length; l++) {
      weights[l] = Nd4j.zeros(dataType, widths[l], widths[l + 1]);
      biases[l] = Nd4j.zeros(dataType, 1, widths[l + 1]);
    }
  }

  static long parameterCount(int[] widths) {
    long n = 0;
    for (int l = 0; l + 1 < widths.length; l++) {
      n += (long) widths[l] * widths[l + 1] + widths[l + 1];
    }
    return n;
  }

  long parameterCount() {
    return parameterCount(widths);
  }

  /** Weights N(0, 1/fan-in), biases 0, into {@code out} at {@code offset}. */
  void initialize(SplittableRandom random, double[] out, int offset) {
    int o = offset;
    for (int l = 0; l + 1 < widths.length; l++) {
      double scale = 1.0 / Math.sqrt(widths[l]);
      for (int i = 0; i < widths[l] * widths[l + 1]; i++) {
        out[o++] = random.nextGaussian() * scale;
      }
      o += widths[l + 1];
    }
  }

  /** Loads the parameters from {@code p} at {@code offset}. */
  void set(double[] p, int offset) {
    int o = offset;
    for (int l = 0; l < weights.length; l++) {
      int n = widths[l] * widths[l + 1];
      weights[l] = Nd4j.create(java.util.Arrays.copyOfRange(p, o, o + n), new long[] {widths[l], widths[l + 1]}, 'c')
          .castTo(dataType);
      o += n;
      biases[l] = Nd4j.create(java.util.Arrays.copyOfRange(p, o, o + widths[l + 1]), new long[] {1, widths[l + 1]}, 'c')
          .castTo(dataType);
      o += widths[l + 1];
    }
  }

  /** Writes the parameters into {@code out} at {@code offset}. */
  void get(double[] out, int offset) {
    int o = offset;
    for (int l = 0; l < weights.length; l++) {
      o = copy(weights[l], out, o);
      o = copy(biases[l], out, o);
    }
  }

  Pass forward(INDArray x) {
    INDArray[] inputs = new INDArray[weights.length];
    INDArray a = x.castTo(dataType);
    for (int l = 0; l < weights.length; l++) {
      inputs[l] = a;
      INDArray z = a.mmul(weights[l]).addiRowVector(biases[l]);
      a = l + 1 < weights.length ? Transforms.tanh(z, false) : z;
    }
    return new Pass(inputs, a);
  }

  /**
   * Backpropagates {@code dOutput} (the cost's gradient with respect to {@code pass.output()}):
   * adds the parameter gradient to {@code grad} at {@code offset} (null: not wanted) and returns the
   * gradient with respect to the pass's input.
   */
  INDArray backward(Pass pass, INDArray dOutput, double[] grad, int offset) {
    int[] starts = new int[weights.length];
    int o = offset;
    for (int l = 0; l < weights.length; l++) {
      starts[l] = o;
      o += widths[l] * widths[l + 1] + widths[l + 1];
    }
    INDArray d = dOutput;
    for (int l = weights.length - 1; l >= 0; l--) {
      INDArray in = pass.inputs()[l];
      if (grad != null) {
        int s = add(in.transpose().mmul(d), grad, starts[l]);
        add(d.sum(0), grad, s);
      }
      d = d.mmul(weights[l].transpose());
      if (l > 0) {
        // in = tanh(z) for l > 0: dz = d (1 - in^2)
        d = d.mul(in.mul(in).rsub(1.0));
      }
    }
    return d;
  }

  private static int copy(INDArray a, double[] out, int o) {
    double[] v = a.dup('c').reshape(a.length()).toDoubleVector();
    System.arraycopy(v, 0, out, o, v.length);
    return o + v.length;
  }

  private static int add(INDArray a, double[] out, int o) {
    double[] v = a.dup('c').reshape(a.length()).toDoubleVector();
    for (int i = 0; i < v.length; i++) {
      out[o + i] += v[i];
    }
    return o + v.length;
  }
}
