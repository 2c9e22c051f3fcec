package org.neurolake.model.lm;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One LSTM layer with projection (Sak et al. 2014, as in Jozefowicz et al.): gates z = x Wx + r' Wr
 * + b in the order i, f, o, g; i = sigmoid(z_i), f = sigmoid(z_f + {@value #FORGET_BIAS}),
 * o = sigmoid(z_o), g = tanh(z_g); c = f c' + i g; h = o tanh(c); r = h Wp (or r = h without
 * projection), where ' marks the previous step. The input products of all steps are one matrix
 * product; per step there is one product forward (r' Wr) and one backward.
 */
public final class LstmpLayer {
  /** Added to the forget gate's pre-activation (Jozefowicz, Zaremba, Sutskever 2015). */
  static final double FORGET_BIAS = 1.0;

  private final String prefix;
  private final int hidden;
  private final int out;
  private final boolean projected;
  private final Parameters p;

  LstmpLayer(int index, int hidden, int projection, Parameters p) {
    this("lstm" + index, hidden, projection, p);
  }

  /** A layer whose groups are named {@code <prefix>_wx}, {@code _wr}, {@code _bias} (and {@code _projection}). */
  public LstmpLayer(String prefix, int hidden, int projection, Parameters p) {
    this.prefix = prefix;
    this.hidden = hidden;
    this.projected = projection > 0;
    this.out = projected ? projection : hidden;
    this.p = p;
  }

  private static INDArray rows(INDArray m, int t, int n) {
    return m.get(interval((long) t * n, (long) (t + 1) * n), all());
  }

  private static INDArray cols(INDArray m, int from, int to) {
    return m.get(all(), interval(from, to));
  }

  /** Runs the layer over the window's steps from (c0, r0) [n, H], [n, R]; x is [T n, I]. */
  public Pass forward(INDArray x, INDArray c0, INDArray r0, int n, int steps) {
    return new Pass(x, c0, r0, n, steps);
  }

  public final class Pass {
    final INDArray x;
    final int n;
    final int steps;
    /** Activated gates i, f, o, g per position [T n, 4H]. */
    final INDArray gates;
    /** c of steps -1 .. T-1: [(T + 1) n, H], block 0 the initial state. */
    final INDArray c;
    final INDArray tanhC;
    final INDArray h;
    /** r of steps -1 .. T-1: [(T + 1) n, R]. */
    final INDArray r;
    /** After {@link #backward}: the gradient on the initial c and r (for a state computed upstream). */
    private INDArray dInitialC;
    private INDArray dInitialR;

    Pass(INDArray x, INDArray c0, INDArray r0, int n, int steps) {
      this.x = x;
      this.n = n;
      this.steps = steps;
      var dt = x.dataType();
      int h4 = 4 * hidden;
      gates = x.mmul(p.get(prefix + "_wx")).addiRowVector(p.get(prefix + "_bias"));
      c = Nd4j.create(dt, (long) (steps + 1) * n, hidden);
      tanhC = Nd4j.create(dt, (long) steps * n, hidden);
      h = projected ? Nd4j.create(dt, (long) steps * n, hidden) : null;
      r = Nd4j.create(dt, (long) (steps + 1) * n, out);
      rows(c, 0, n).assign(c0);
      rows(r, 0, n).assign(r0);
      INDArray wr = p.get(prefix + "_wr");
      for (int t = 0; t < steps; t++) {
        INDArray z = rows(gates, t, n);
        z.addi(rows(r, t, n).mmul(wr));
        INDArray zi = cols(z, 0, hidden);
        INDArray zf = cols(z, hidden, 2 * hidden);
        INDArray zo = cols(z, 2 * hidden, 3 * hidden);
        INDArray zg = cols(z, 3 * hidden, h4);
        zi.assign(Transforms.sigmoid(zi, true));
        zf.assign(Transforms.sigmoid(zf.add(FORGET_BIAS), false));
        zo.assign(Transforms.sigmoid(zo, true));
        zg.assign(Transforms.tanh(zg, true));
        INDArray ct = zf.mul(rows(c, t, n)).addi(zi.mul(zg));
        rows(c, t + 1, n).assign(ct);
        INDArray tc = Transforms.tanh(ct, true);
        rows(tanhC, t, n).assign(tc);
        INDArray ht = tc.muli(zo);
        if (projected) {
          rows(h, t, n).assign(ht);
          rows(r, t + 1, n).assign(ht.mmul(p.get(prefix + "_projection")));
        } else {
          rows(r, t + 1, n).assign(ht);
        }
      }
    }

    /** The layer's outputs r of steps 0 .. T-1, [T n, R] (a view). */
    public INDArray output() {
      return r.get(interval((long) n, (long) (steps + 1) * n), all());
    }

    /** The gradient on the initial c [n, H] of the last {@link #backward} (null before). */
    public INDArray dInitialC() {
      return dInitialC;
    }

    /** The gradient on the initial r [n, R] of the last {@link #backward} (null before). */
    public INDArray dInitialR() {
      return dInitialR;
    }

    public INDArray finalC() {
      return rows(c, steps, n).dup('c');
    }

    public INDArray finalR() {
      return rows(r, steps, n).dup('c');
    }

    /**
     * Backpropagation through the window given the gradient on {@link #output()} [T n, R]; records
     * the layer's parameter gradients and returns the gradient on its inputs x. The gradient on the
     * initial state is dropped (truncated BPTT).
     */
    public INDArray backward(INDArray dOutput, Gradients g) {
      var dt = x.dataType();
      INDArray dz = Nd4j.create(dt, (long) steps * n, 4L * hidden);
      INDArray dr = dOutput.dup('c'); // becomes the total gradient on each step's r
      INDArray dcCarry = Nd4j.zeros(dt, n, hidden);
      INDArray wr = p.get(prefix + "_wr");
      INDArray wp = projected ? p.get(prefix + "_projection") : null;
      for (int t = steps - 1; t >= 0; t--) {
        INDArray drt = rows(dr, t, n);
        INDArray dh = projected ? Nd4j.gemm(drt, wp, false, true) : drt.dup();
        INDArray gt = rows(gates, t, n);
        INDArray i = cols(gt, 0, hidden);
        INDArray f = cols(gt, hidden, 2 * hidden);
        INDArray o = cols(gt, 2 * hidden, 3 * hidden);
        INDArray gg = cols(gt, 3 * hidden, 4 * hidden);
        INDArray tc = rows(tanhC, t, n);
        INDArray dzt = rows(dz, t, n);
        // dc = dh o (1 - tanh(c)^2) + carried dc
        INDArray dc = dh.mul(o).muli(tc.mul(tc).rsubi(1.0)).addi(dcCarry);
        cols(dzt, 0, hidden).assign(dc.mul(gg).muli(i).muli(i.rsub(1.0)));
        cols(dzt, hidden, 2 * hidden).assign(dc.mul(rows(c, t, n)).muli(f).muli(f.rsub(1.0)));
        cols(dzt, 2 * hidden, 3 * hidden).assign(dh.mul(tc).muli(o).muli(o.rsub(1.0)));
        cols(dzt, 3 * hidden, 4 * hidden).assign(dc.mul(i).muli(gg.mul(gg).rsubi(1.0)));
        dcCarry = dc.muli(f);
        if (t > 0) {
          rows(dr, t - 1, n).addi(Nd4j.gemm(dzt, wr, false, true));
        } else {
          dInitialR = Nd4j.gemm(dzt, wr, false, true);
        }
      }
      dInitialC = dcCarry;
      INDArray rPrev = r.get(interval(0, (long) steps * n), all());
      g.dense(prefix + "_wr", Nd4j.gemm(rPrev, dz, true, false));
      g.dense(prefix + "_wx", Nd4j.gemm(x, dz, true, false));
      g.dense(prefix + "_bias", dz.sum(0).reshape(1, 4L * hidden));
      if (projected) {
        g.dense(prefix + "_projection", Nd4j.gemm(h, dr, true, false));
      }
      return Nd4j.gemm(dz, p.get(prefix + "_wx"), false, true);
    }
  }
}
