package org.neurolake.model.mlstm;

/**
 * A straightforward double-precision mLSTM, example by example and step by step, written from the
 * equations with no batching or fusion: the yardstick the fast model is tested against. It reads
 * parameters in {@link ParameterLayout} order.
 */
final class MlstmReference {
  static final int V = MlstmSpec.VOCABULARY;

  final ParameterLayout l;
  final int h;
  final int e;

  MlstmReference(ParameterLayout layout) {
    this.l = layout;
    this.h = layout.hidden();
    this.e = layout.embedding();
  }

  /** One chunk: n rows of T steps, row-major [n][T]. Initial states may be null (zeros). */
  record Chunk(int[][] bytes, int[][] targets, boolean[][] mask, double[][] c0, double[][] h0) {
    int rows() {
      return bytes.length;
    }

    int steps() {
      return bytes[0].length;
    }
  }

  /** The mean loss, its gradient (parameter order), and each row's final c and h. */
  record Result(double loss, double[] gradient, double[][] finalC, double[][] finalH) {}

  /** W = g V / ||V|| per column, V row-major [rows, cols] at vAt. */
  double[][] effective(double[] p, int vAt, int gAt, int rows, int cols) {
    double[][] w = new double[rows][cols];
    for (int j = 0; j < cols; j++) {
      double ss = 0;
      for (int i = 0; i < rows; i++) {
        ss += p[vAt + i * cols + j] * p[vAt + i * cols + j];
      }
      double norm = Math.sqrt(ss);
      for (int i = 0; i < rows; i++) {
        w[i][j] = p[gAt + j] * p[vAt + i * cols + j] / norm;
      }
    }
    return w;
  }

  void weightNormBackward(double[] p, double[][] dw, int vAt, int gAt, int rows, int cols, double[] grad) {
    for (int j = 0; j < cols; j++) {
      double ss = 0;
      double dot = 0;
      for (int i = 0; i < rows; i++) {
        double v = p[vAt + i * cols + j];
        ss += v * v;
        dot += dw[i][j] * v;
      }
      double norm = Math.sqrt(ss);
      double g = p[gAt + j];
      grad[gAt + j] = dot / norm;
      for (int i = 0; i < rows; i++) {
        grad[vAt + i * cols + j] = g / norm * (dw[i][j] - dot / (norm * norm) * p[vAt + i * cols + j]);
      }
    }
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  Result run(double[] p, Chunk ch) {
    return run(p, ch, true);
  }

  Result run(double[] p, Chunk ch, boolean withGradient) {
    int n = ch.rows();
    int steps = ch.steps();
    double[][] wx = effective(p, l.wxOffset(), l.gxOffset(), e, 4 * h);
    double[][] wh = effective(p, l.whOffset(), l.ghOffset(), h, 4 * h);
    double[][] wmx = effective(p, l.wmxOffset(), l.gmxOffset(), e, h);
    double[][] wmh = effective(p, l.wmhOffset(), l.gmhOffset(), h, h);
    int count = 0;
    for (boolean[] row : ch.mask()) {
      for (boolean b : row) {
        count += b ? 1 : 0;
      }
    }
    double[] grad = new double[p.length];
    double[][] dWx = new double[e][4 * h];
    double[][] dWh = new double[h][4 * h];
    double[][] dWmx = new double[e][h];
    double[][] dWmh = new double[h][h];
    double lossSum = 0;
    double[][] finalC = new double[n][];
    double[][] finalH = new double[n][];
    for (int b = 0; b < n; b++) {
      // forward, keeping every step's values
      double[][] xs = new double[steps][];
      double[][] xms = new double[steps][];
      double[][] mhs = new double[steps][];
      double[][] ms = new double[steps][];
      double[][] gi = new double[steps][];
      double[][] gf = new double[steps][];
      double[][] go = new double[steps][];
      double[][] gu = new double[steps][];
      double[][] cs = new double[steps + 1][];
      double[][] hs = new double[steps + 1][];
      double[][] probs = new double[steps][];
      cs[0] = ch.c0() == null ? new double[h] : ch.c0()[b].clone();
      hs[0] = ch.h0() == null ? new double[h] : ch.h0()[b].clone();
      for (int t = 0; t < steps; t++) {
        double[] x = new double[e];
        for (int k = 0; k < e; k++) {
          x[k] = p[l.embeddingOffset() + ch.bytes()[b][t] * e + k];
        }
        double[] xm = new double[h];
        double[] mh = new double[h];
        double[] m = new double[h];
        for (int j = 0; j < h; j++) {
          for (int k = 0; k < e; k++) {
            xm[j] += x[k] * wmx[k][j];
          }
          for (int k = 0; k < h; k++) {
            mh[j] += hs[t][k] * wmh[k][j];
          }
          m[j] = xm[j] * mh[j];
        }
        double[] z = new double[4 * h];
        for (int j = 0; j < 4 * h; j++) {
          z[j] = p[l.biasOffset() + j];
          for (int k = 0; k < e; k++) {
            z[j] += x[k] * wx[k][j];
          }
          for (int k = 0; k < h; k++) {
            z[j] += m[k] * wh[k][j];
          }
        }
        double[] i = new double[h];
        double[] f = new double[h];
        double[] o = new double[h];
        double[] u = new double[h];
        double[] c = new double[h];
        double[] hh = new double[h];
        boolean valid = ch.mask()[b][t];
        for (int j = 0; j < h; j++) {
          i[j] = sigmoid(z[j]);
          f[j] = sigmoid(z[h + j]);
          o[j] = sigmoid(z[2 * h + j]);
          u[j] = Math.tanh(z[3 * h + j]);
          c[j] = valid ? f[j] * cs[t][j] + i[j] * u[j] : cs[t][j];
          hh[j] = valid ? o[j] * Math.tanh(c[j]) : hs[t][j];
        }
        xs[t] = x;
        xms[t] = xm;
        mhs[t] = mh;
        ms[t] = m;
        gi[t] = i;
        gf[t] = f;
        go[t] = o;
        gu[t] = u;
        cs[t + 1] = c;
        hs[t + 1] = hh;
        if (valid) {
          double[] logits = new double[V];
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < V; v++) {
            logits[v] = p[l.boutOffset() + v];
            for (int k = 0; k < h; k++) {
              logits[v] += hh[k] * p[l.woutOffset() + k * V + v];
            }
            max = Math.max(max, logits[v]);
          }
          double sum = 0;
          for (int v = 0; v < V; v++) {
            sum += Math.exp(logits[v] - max);
          }
          double lse = max + Math.log(sum);
          lossSum += lse - logits[ch.targets()[b][t]];
          double[] pr = new double[V];
          for (int v = 0; v < V; v++) {
            pr[v] = Math.exp(logits[v] - lse);
          }
          probs[t] = pr;
        }
      }
      finalC[b] = cs[steps];
      finalH[b] = hs[steps];
      if (!withGradient) {
        continue;
      }
      // backward
      double[] dhNext = new double[h];
      double[] dcNext = new double[h];
      for (int t = steps - 1; t >= 0; t--) {
        double[] dh = dhNext.clone();
        if (probs[t] != null) {
          for (int v = 0; v < V; v++) {
            double dl = (probs[t][v] - (v == ch.targets()[b][t] ? 1 : 0)) / count;
            grad[l.boutOffset() + v] += dl;
            for (int k = 0; k < h; k++) {
              grad[l.woutOffset() + k * V + v] += hs[t + 1][k] * dl;
              dh[k] += p[l.woutOffset() + k * V + v] * dl;
            }
          }
        }
        if (!ch.mask()[b][t]) {
          dhNext = dh;
          continue; // dc passes through unchanged
        }
        double[] dz = new double[4 * h];
        double[] dcPrev = new double[h];
        for (int j = 0; j < h; j++) {
          double tc = Math.tanh(cs[t + 1][j]);
          double dc = dcNext[j] + dh[j] * go[t][j] * (1 - tc * tc);
          dz[j] = dc * gu[t][j] * gi[t][j] * (1 - gi[t][j]);
          dz[h + j] = dc * cs[t][j] * gf[t][j] * (1 - gf[t][j]);
          dz[2 * h + j] = dh[j] * tc * go[t][j] * (1 - go[t][j]);
          dz[3 * h + j] = dc * gi[t][j] * (1 - gu[t][j] * gu[t][j]);
          dcPrev[j] = dc * gf[t][j];
        }
        double[] dm = new double[h];
        for (int j = 0; j < 4 * h; j++) {
          grad[l.biasOffset() + j] += dz[j];
          for (int k = 0; k < e; k++) {
            dWx[k][j] += xs[t][k] * dz[j];
          }
          for (int k = 0; k < h; k++) {
            dWh[k][j] += ms[t][k] * dz[j];
            dm[k] += wh[k][j] * dz[j];
          }
        }
        double[] dxm = new double[h];
        double[] dmh = new double[h];
        for (int k = 0; k < h; k++) {
          dxm[k] = dm[k] * mhs[t][k];
          dmh[k] = dm[k] * xms[t][k];
        }
        double[] dhPrev = new double[h];
        for (int j = 0; j < h; j++) {
          for (int k = 0; k < e; k++) {
            dWmx[k][j] += xs[t][k] * dxm[j];
          }
          for (int k = 0; k < h; k++) {
            dWmh[k][j] += hs[t][k] * dmh[j];
            dhPrev[k] += wmh[k][j] * dmh[j];
          }
        }
        int row = l.embeddingOffset() + ch.bytes()[b][t] * e;
        for (int k = 0; k < e; k++) {
          double dx = 0;
          for (int j = 0; j < 4 * h; j++) {
            dx += wx[k][j] * dz[j];
          }
          for (int j = 0; j < h; j++) {
            dx += wmx[k][j] * dxm[j];
          }
          grad[row + k] += dx;
        }
        dhNext = dhPrev;
        dcNext = dcPrev;
      }
    }
    weightNormBackward(p, dWx, l.wxOffset(), l.gxOffset(), e, 4 * h, grad);
    weightNormBackward(p, dWh, l.whOffset(), l.ghOffset(), h, 4 * h, grad);
    weightNormBackward(p, dWmx, l.wmxOffset(), l.gmxOffset(), e, h, grad);
    weightNormBackward(p, dWmh, l.wmhOffset(), l.gmhOffset(), h, h, grad);
    return new Result(count == 0 ? 0 : lossSum / count, grad, finalC, finalH);
  }

  double loss(double[] p, Chunk ch) {
    return run(p, ch, false).loss();
  }
}
