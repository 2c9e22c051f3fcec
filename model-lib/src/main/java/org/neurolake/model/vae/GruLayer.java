package org.neurolake.model.vae;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.neurolake.model.lm.Gradients;
import org.neurolake.model.lm.Parameters;

/**
 * A GRU layer (Cho et al. 2014) in ND4J arrays: with a = x Wx + b (all steps in one product) in the
 * order reset, update, candidate, and h' the previous state,
 * r = sigmoid(a_r + h' Wr_r), u = sigmoid(a_u + h' Wr_u), n = tanh(a_n + (r h') Wr_n),
 * h = (1 - u) n + u h'. Groups {@code <prefix>_wx} [I, 3H], {@code _wr} [H, 3H], {@code _bias} [1, 3H].
 */
final class GruLayer implements RecurrentLayer {
  private final String prefix;
  private final int hidden;
  private final Parameters p;

  GruLayer(String prefix, int hidden, Parameters p) {
    this.prefix = prefix;
    this.hidden = hidden;
    this.p = p;
  }

  @Override
  public int stateSize() {
    return hidden;
  }

  private static INDArray rows(INDArray m, int t, int n) {
    return m.get(interval((long) t * n, (long) (t + 1) * n), all());
  }

  private static INDArray cols(INDArray m, int from, int to) {
    return m.get(all(), interval(from, to));
  }

  @Override
  public RecurrentLayer.Pass forward(INDArray x, INDArray state0, int n, int steps) {
    return new Pass(x, state0, n, steps);
  }

  final class Pass implements RecurrentLayer.Pass {
    private final INDArray x;
    private final int n;
    private final int steps;
    /** Activated r, u, n per position [T n, 3H]. */
    private final INDArray gates;
    /** h of steps -1 .. T-1 [(T + 1) n, H], block 0 the initial state. */
    private final INDArray h;
    /** r h' per position [T n, H]. */
    private final INDArray resetState;
    private INDArray dInitial;

    Pass(INDArray x, INDArray h0, int n, int steps) {
      this.x = x;
      this.n = n;
      this.steps = steps;
      var dt = x.dataType();
      int hh = hidden;
      gates = x.mmul(p.get(prefix + "_wx")).addiRowVector(p.get(prefix + "_bias"));
      h = Nd4j.create(dt, (long) (steps + 1) * n, hh);
      resetState = Nd4j.create(dt, (long) steps * n, hh);
      rows(h, 0, n).assign(h0);
      INDArray wr = p.get(prefix + "_wr");
      INDArray wrGates = cols(wr, 0, 2 * hh).dup('c');
      INDArray wrCandidate = cols(wr, 2 * hh, 3 * hh).dup('c');
      for (int t = 0; t < steps; t++) {
        INDArray hp = rows(h, t, n);
        INDArray gt = rows(gates, t, n);
        INDArray ru = cols(gt, 0, 2 * hh);
        ru.assign(Transforms.sigmoid(ru.add(hp.mmul(wrGates)), false));
        INDArray r = cols(gt, 0, hh);
        INDArray u = cols(gt, hh, 2 * hh);
        INDArray rh = r.mul(hp);
        rows(resetState, t, n).assign(rh);
        INDArray cand = cols(gt, 2 * hh, 3 * hh);
        cand.assign(Transforms.tanh(cand.add(rh.mmul(wrCandidate)), false));
        // h = n + u (h' - n)
        rows(h, t + 1, n).assign(hp.sub(cand).muli(u).addi(cand));
      }
    }

    @Override
    public INDArray output() {
      return h.get(interval((long) n, (long) (steps + 1) * n), all());
    }

    @Override
    public INDArray finalState() {
      return rows(h, steps, n).dup('c');
    }

    @Override
    public INDArray dInitialState() {
      return dInitial;
    }

    @Override
    public INDArray backward(INDArray dOutput, Gradients g) {
      var dt = x.dataType();
      int hh = hidden;
      INDArray da = Nd4j.create(dt, (long) steps * n, 3L * hh);
      INDArray wr = p.get(prefix + "_wr");
      INDArray wrGates = cols(wr, 0, 2 * hh).dup('c');
      INDArray wrCandidate = cols(wr, 2 * hh, 3 * hh).dup('c');
      INDArray carry = Nd4j.zeros(dt, n, hh);
      for (int t = steps - 1; t >= 0; t--) {
        INDArray dh = rows(dOutput, t, n).add(carry);
        INDArray hp = rows(h, t, n);
        INDArray gt = rows(gates, t, n);
        INDArray r = cols(gt, 0, hh);
        INDArray u = cols(gt, hh, 2 * hh);
        INDArray cand = cols(gt, 2 * hh, 3 * hh);
        INDArray dat = rows(da, t, n);
        // Through h = (1 - u) n + u h'.
        INDArray dCand = dh.mul(u.rsub(1.0)).muli(cand.mul(cand).rsubi(1.0));
        INDArray dU = dh.mul(hp.sub(cand)).muli(u).muli(u.rsub(1.0));
        INDArray dhp = dh.mul(u);
        INDArray dRh = Nd4j.gemm(dCand, wrCandidate, false, true);
        INDArray dR = dRh.mul(hp).muli(r).muli(r.rsub(1.0));
        dhp.addi(dRh.muli(r));
        cols(dat, 0, hh).assign(dR);
        cols(dat, hh, 2 * hh).assign(dU);
        cols(dat, 2 * hh, 3 * hh).assign(dCand);
        dhp.addi(Nd4j.gemm(cols(dat, 0, 2 * hh).dup('c'), wrGates, false, true));
        carry = dhp;
      }
      dInitial = carry;
      INDArray hPrev = h.get(interval(0, (long) steps * n), all()).dup('c');
      INDArray dWr = Nd4j.hstack(Nd4j.gemm(hPrev, cols(da, 0, 2 * hh).dup('c'), true, false),
          Nd4j.gemm(resetState, cols(da, 2 * hh, 3 * hh).dup('c'), true, false));
      g.dense(prefix + "_wr", dWr);
      g.dense(prefix + "_wx", Nd4j.gemm(x, da, true, false));
      g.dense(prefix + "_bias", da.sum(0).reshape(1, 3L * hh));
      return Nd4j.gemm(da, p.get(prefix + "_wx"), false, true);
    }
  }
}
