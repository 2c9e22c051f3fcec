package org.neurolake.model.mlstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused SIMD kernels against straightforward scalar loops, at sizes with full vectors and a
 * partial tail (37 = 2 x 16 + 5, or 4 x 8 + 5 on AVX2) and with padded rows.
 */
class KernelsTest {
  static final int H = 37;
  static final int N = 4;
  static final float TOL = 2e-6f;

  /** Native buffers the kernels can address; kept referenced so ND4J does not free them. */
  private final List<INDArray> keep = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(42);

  private ByteBuffer buffer(float[] values) {
    INDArray a = Nd4j.createFromArray(values.clone());
    keep.add(a);
    return Lanes.bytes(a);
  }

  private float[] gaussian(int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    return v;
  }

  private static float[] read(ByteBuffer b, int from, int n) {
    float[] out = new float[n];
    b.asFloatBuffer().get(from, out);
    return out;
  }

  private static float sigmoid(float z) {
    return (float) (1 / (1 + Math.exp(-z)));
  }

  @Test
  void expSigmoidAndTanhAreAccurateAndTheSameInVectorAndScalarForm() {
    float[] xs = new float[Lanes.L * 2000];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = -90f + 180f * i / xs.length;
    }
    double worstExp = 0;
    double worstSigmoid = 0;
    double worstTanh = 0;
    for (int k = 0; k < xs.length; k += Lanes.L) {
      jdk.incubator.vector.FloatVector v = jdk.incubator.vector.FloatVector.fromArray(Lanes.S, xs, k);
      float[] e = Lanes.exp(v).toArray();
      float[] s = Lanes.sigmoid(v).toArray();
      float[] t = Lanes.tanh(v).toArray();
      for (int i = 0; i < Lanes.L; i++) {
        float x = xs[k + i];
        assertEquals(Lanes.exp(x), e[i], 0f, "vector and scalar exp agree bit for bit at " + x);
        assertEquals(Lanes.sigmoid(x), s[i], 0f, "sigmoid at " + x);
        assertEquals(Lanes.tanh(x), t[i], 0f, "tanh at " + x);
        if (x > -87 && x < 88) {
          worstExp = Math.max(worstExp, Math.abs(e[i] / Math.exp(x) - 1));
        }
        worstSigmoid = Math.max(worstSigmoid, Math.abs(s[i] - 1 / (1 + Math.exp(-x))));
        worstTanh = Math.max(worstTanh, Math.abs(t[i] - Math.tanh(x)));
      }
    }
    assertEquals(0, worstExp, 3e-7, "exp relative error");
    assertEquals(0, worstSigmoid, 2e-7, "sigmoid absolute error");
    assertEquals(0, worstTanh, 3e-7, "tanh absolute error");
  }

  @Test
  void forwardGatesEqualTheScalarEquations() {
    float[] xw = gaussian(N * 4 * H, 1);
    float[] zh = gaussian(N * 4 * H, 1);
    float[] bias = gaussian(4 * H, 0.5);
    float[] c = gaussian(2 * N * H, 1); // blocks: previous, next
    float[] h = gaussian(2 * N * H, 0.5);
    boolean[] mask = {true, false, true, true};
    ByteBuffer xwB = buffer(xw);
    ByteBuffer gB = buffer(zh);
    ByteBuffer biasB = buffer(bias);
    ByteBuffer cB = buffer(c);
    ByteBuffer hB = buffer(h);
    ByteBuffer tB = buffer(new float[N * H]);
    GateKernels.forward(new GateKernels.Step(N, H, 0, 0, 0, 0, N * H, 0, 0), xwB, gB, biasB, cB, tB, hB, mask);
    for (int r = 0; r < N; r++) {
      for (int j = 0; j < H; j++) {
        int s = r * H + j;
        float cNext = read(cB, N * H + s, 1)[0];
        float hNext = read(hB, N * H + s, 1)[0];
        if (!mask[r]) {
          assertEquals(c[s], cNext, 0f, "a padded row keeps c");
          assertEquals(h[s], hNext, 0f, "a padded row keeps h");
          continue;
        }
        int g = r * 4 * H + j;
        float i = sigmoid(xw[g] + zh[g] + bias[j]);
        float f = sigmoid(xw[g + H] + zh[g + H] + bias[H + j]);
        float o = sigmoid(xw[g + 2 * H] + zh[g + 2 * H] + bias[2 * H + j]);
        float u = (float) Math.tanh(xw[g + 3 * H] + zh[g + 3 * H] + bias[3 * H + j]);
        float cn = f * c[s] + i * u;
        float[] acts = {read(gB, g, 1)[0], read(gB, g + H, 1)[0], read(gB, g + 2 * H, 1)[0], read(gB, g + 3 * H, 1)[0]};
        assertArrayEquals(new float[] {i, f, o, u}, acts, TOL, "gates of row " + r + " unit " + j);
        assertEquals(cn, cNext, TOL * 4, "c of row " + r + " unit " + j);
        assertEquals((float) Math.tanh(cn), read(tB, s, 1)[0], TOL, "tanh c");
        assertEquals(o * (float) Math.tanh(cn), hNext, TOL, "h of row " + r + " unit " + j);
      }
    }
  }

  @Test
  void backwardGatesEqualTheScalarEquations() {
    float[] acts = new float[N * 4 * H];
    for (int i = 0; i < acts.length; i++) {
      boolean isU = (i % (4 * H)) >= 3 * H;
      acts[i] = isU ? (float) Math.tanh(random.nextGaussian()) : (float) random.nextDouble();
    }
    float[] tanhC = gaussian(N * H, 0.5);
    float[] cPrev = gaussian(N * H, 1);
    float[] dhOut = gaussian(N * H, 1);
    float[] dhCarry = gaussian(N * H, 1);
    float[] dcCarry = gaussian(N * H, 1);
    float[] dBias = gaussian(4 * H, 1);
    float[] dBiasBefore = dBias.clone();
    boolean[] mask = {true, true, false, true};
    ByteBuffer dhCarryB = buffer(dhCarry);
    ByteBuffer dcCarryB = buffer(dcCarry);
    ByteBuffer dzB = buffer(gaussian(N * 4 * H, 1));
    GateKernels.backward(new GateKernels.Step(N, H, 0, 0, 0, 0, 0, 0, 0), 0, buffer(acts), buffer(tanhC),
        buffer(cPrev), buffer(dhOut), dhCarryB, dcCarryB, dzB, dBias, mask);
    float[] expectedBias = dBiasBefore.clone();
    for (int r = 0; r < N; r++) {
      for (int j = 0; j < H; j++) {
        int s = r * H + j;
        int g = r * 4 * H + j;
        float dh = dhOut[s] + dhCarry[s];
        float[] dz = read(dzB, r * 4 * H, 4 * H);
        if (!mask[r]) {
          assertEquals(dh, read(dhCarryB, s, 1)[0], TOL, "a padded row passes dh back whole");
          assertEquals(dcCarry[s], read(dcCarryB, s, 1)[0], 0f, "a padded row passes dc back unchanged");
          assertEquals(0f, Math.abs(dz[j]) + Math.abs(dz[H + j]) + Math.abs(dz[2 * H + j]) + Math.abs(dz[3 * H + j]), 0f, "a padded row has no dz");
          continue;
        }
        float i = acts[g];
        float f = acts[g + H];
        float o = acts[g + 2 * H];
        float u = acts[g + 3 * H];
        float tc = tanhC[s];
        float dc = dcCarry[s] + dh * o * (1 - tc * tc);
        float[] want = {dc * u * i * (1 - i), dc * cPrev[s] * f * (1 - f), dh * tc * o * (1 - o), dc * i * (1 - u * u)};
        assertArrayEquals(want, new float[] {dz[j], dz[H + j], dz[2 * H + j], dz[3 * H + j]}, TOL * 4,
            "dz of row " + r + " unit " + j);
        assertEquals(dc * f, read(dcCarryB, s, 1)[0], TOL * 4, "dc carried back");
        assertEquals(0f, read(dhCarryB, s, 1)[0], 0f, "the recurrent product adds dh later");
        for (int k = 0; k < 4; k++) {
          expectedBias[k * H + j] += want[k];
        }
      }
    }
    assertArrayEquals(expectedBias, dBias, 1e-5f, "bias gradient accumulated");
  }

  @Test
  void multiplyAndItsGradientSplit() {
    int len = N * H;
    float[] a = gaussian(len, 1);
    float[] b = gaussian(len, 1);
    ByteBuffer out = buffer(new float[len]);
    GateKernels.multiply(len, buffer(a), 0, buffer(b), 0, out, 0);
    float[] dm = gaussian(len, 1);
    ByteBuffer dxm = buffer(dm);
    ByteBuffer dmh = buffer(new float[len]);
    GateKernels.splitMultiplyGradient(len, dxm, dmh, buffer(a), buffer(b), 0);
    for (int k = 0; k < len; k++) {
      assertEquals(a[k] * b[k], read(out, k, 1)[0], 0f);
      assertEquals(dm[k] * a[k], read(dmh, k, 1)[0], 0f, "d(mh) = dm * xm");
      assertEquals(dm[k] * b[k], read(dxm, k, 1)[0], 0f, "d(xm) = dm * mh");
    }
  }

  @Test
  void weightNormColumnsHaveTheirGainAsNormAndBackwardMatchesTheFormula() {
    int rows = 5;
    int cols = H;
    int vAt = 3; // V and g somewhere inside a flat vector, as in the model
    int gAt = vAt + rows * cols;
    float[] flat = gaussian(gAt + cols + 2, 1);
    for (int j = 0; j < cols; j++) {
      flat[gAt + j] = (float) (0.2 + 2 * random.nextDouble());
    }
    ByteBuffer params = buffer(flat);
    ByteBuffer w = buffer(new float[rows * cols]);
    float[] norms = new float[cols];
    WeightNorm.forward(rows, cols, params, vAt, gAt, w, norms);
    float[] wv = read(w, 0, rows * cols);
    for (int j = 0; j < cols; j++) {
      double ss = 0;
      double vss = 0;
      for (int i = 0; i < rows; i++) {
        ss += wv[i * cols + j] * wv[i * cols + j];
        vss += flat[vAt + i * cols + j] * flat[vAt + i * cols + j];
      }
      assertEquals(flat[gAt + j], Math.sqrt(ss), 1e-5, "column " + j + " has norm = its gain");
      assertEquals(Math.sqrt(vss), norms[j], 1e-5, "||V|| of column " + j);
      for (int i = 0; i < rows; i++) {
        assertEquals(flat[gAt + j] * flat[vAt + i * cols + j] / Math.sqrt(vss), wv[i * cols + j], 1e-5);
      }
    }
    float[] dw = gaussian(rows * cols, 1);
    ByteBuffer grads = buffer(new float[flat.length]);
    WeightNorm.backward(rows, cols, buffer(dw), params, vAt, gAt, norms, grads);
    for (int j = 0; j < cols; j++) {
      double dot = 0;
      for (int i = 0; i < rows; i++) {
        dot += dw[i * cols + j] * flat[vAt + i * cols + j];
      }
      double n = norms[j];
      assertEquals(dot / n, read(grads, gAt + j, 1)[0], 1e-5, "dg of column " + j);
      for (int i = 0; i < rows; i++) {
        double want = flat[gAt + j] / n * (dw[i * cols + j] - dot / (n * n) * flat[vAt + i * cols + j]);
        assertEquals(want, read(grads, vAt + i * cols + j, 1)[0], 1e-5, "dV[" + i + ", " + j + "]");
      }
    }
  }

  @Test
  void byteSoftmaxLossAndGradient() {
    int v = MlstmSpec.VOCABULARY;
    float[] logits = gaussian(N * v, 2);
    float[] flat = gaussian(7 + v, 1);
    int[] targets = {3, 200, 17, 255};
    boolean[] mask = {true, true, false, true};
    float scale = 0.25f;
    ByteBuffer lb = buffer(logits);
    float[] dBias = new float[v];
    double loss = ByteSoftmax.crossEntropy(N, lb, buffer(flat), 7, targets, mask, true, scale, dBias);
    double wantLoss = 0;
    float[] wantBias = new float[v];
    for (int r = 0; r < N; r++) {
      float[] got = read(lb, r * v, v);
      if (!mask[r]) {
        assertArrayEquals(new float[v], got, 0f, "a padded row has no gradient");
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        max = Math.max(max, logits[r * v + k] + flat[7 + k]);
      }
      double sum = 0;
      for (int k = 0; k < v; k++) {
        sum += Math.exp(logits[r * v + k] + flat[7 + k] - max);
      }
      double lse = max + Math.log(sum);
      wantLoss += lse - (logits[r * v + targets[r]] + flat[7 + targets[r]]);
      for (int k = 0; k < v; k++) {
        double p = Math.exp(logits[r * v + k] + flat[7 + k] - lse);
        double d = (p - (k == targets[r] ? 1 : 0)) * scale;
        assertEquals(d, got[k], 1e-6, "dlogit " + k + " of row " + r);
        wantBias[k] += (float) d;
      }
    }
    assertEquals(wantLoss, loss, 1e-4);
    assertArrayEquals(wantBias, dBias, 1e-6f);
  }
}
