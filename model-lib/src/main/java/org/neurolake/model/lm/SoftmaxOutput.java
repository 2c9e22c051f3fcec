package org.neurolake.model.lm;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The output layer, logits o = y W^T + b over the vocabulary (W [V, R], b [V, 1]), and its two
 * losses per position, -log p(target):
 *
 * <ul>
 *   <li><b>Full</b>: log-softmax over all V classes (evaluation, and training with
 *       {@link LstmLmSpec.SoftmaxKind#FULL}).</li>
 *   <li><b>Importance-sampled</b> (Jean et al. 2015; Jozefowicz et al. 2016, section 3.1): K
 *       negatives s_1..s_K drawn with replacement from the proposal Q, shared by all positions;
 *       a position's softmax runs over its target (logit o_y, exact) and the negatives with the
 *       log-proposal correction o_s - log(K Q(s)), a negative equal to the position's target
 *       removed (an "accidental hit"). Its normalizer e^{o_y} + sum_{s != y} e^{o_s} / (K Q(s)) is
 *       then an unbiased estimate of the full one, so the gradient tends to the full softmax's as
 *       K grows. Only the rows of the targets and the negatives get gradients.</li>
 * </ul>
 */
public final class SoftmaxOutput {
  public static final String WEIGHTS = "softmax_weights";
  public static final String BIAS = "softmax_bias";
  /** Added to the logits of accidental hits: their exp is 0 in float and double. */
  private static final double REMOVED = -1e30;

  private final Parameters p;
  private final int vocab;

  public SoftmaxOutput(Parameters p, int vocab) {
    this.p = p;
    this.vocab = vocab;
  }

  /** The summed loss of a pass, with the gradient on y [positions, R] when asked for. */
  public record Result(double lossSum, INDArray dY) {}

  /**
   * The full softmax's masked loss sum; with {@code g} non-null, its gradient scaled by 1/count
   * (the loss's mean over the counted positions): W and b dense, and the returned dY.
   */
  public Result full(INDArray y, Window w, Gradients g) {
    INDArray logits = logits(y);
    INDArray max = logits.max(1).reshape(logits.size(0), 1);
    INDArray e = Transforms.exp(logits.subiColumnVector(max), false);
    INDArray sum = e.sum(1).reshape(e.size(0), 1);
    INDArray lse = Transforms.log(sum, true).addi(max);
    INDArray losses = lse.subi(targetLogits(y, w.targets()));
    double lossSum = losses.mul(w.mask()).sumNumber().doubleValue();
    if (g == null) {
      return new Result(lossSum, null);
    }
    INDArray scale = w.mask().div(Math.max(1, w.count()));
    INDArray dLogits = e.diviColumnVector(sum).muliColumnVector(scale);
    INDArray wts = p.get(WEIGHTS);
    INDArray wy = Nd4j.pullRows(wts, 1, w.targets());
    // The target's term -scale at its own logit, kept apart from the dense product.
    INDArray dY = dLogits.mmul(wts).subi(wy.mulColumnVector(scale));
    INDArray dW = Nd4j.gemm(dLogits, y, true, false);
    INDArray dB = dLogits.sum(0).reshape(vocab, 1);
    RowIndex targets = RowIndex.of(w.targets());
    INDArray dWy = targets.sum(y.mulColumnVector(scale));
    INDArray dBy = targets.sum(scale);
    int[] ids = targets.distinct();
    for (int k = 0; k < ids.length; k++) {
      dW.getRow(ids[k]).subi(dWy.getRow(k));
      dB.getRow(ids[k]).subi(dBy.getRow(k));
    }
    g.dense(WEIGHTS, dW);
    g.dense(BIAS, dB);
    return new Result(lossSum, dY);
  }

  /**
   * The sampled softmax's masked loss sum over {@code negatives} (with their log(K Q(s))); with
   * {@code g} non-null, the gradient (scaled by 1/count) on the touched rows and the returned dY.
   */
  public Result sampled(INDArray y, Window w, int[] negatives, double[] logExpectedCount, Gradients g) {
    int positions = (int) y.size(0);
    int k = negatives.length;
    var dt = y.dataType();
    INDArray wts = p.get(WEIGHTS);
    INDArray bias = p.get(BIAS);
    INDArray wn = Nd4j.pullRows(wts, 1, negatives);
    INDArray bn = Nd4j.pullRows(bias, 1, negatives).reshape(1, k)
        .subi(Nd4j.createFromArray(logExpectedCount).castTo(dt).reshape(1, k));
    INDArray negLogits = Nd4j.gemm(y, wn, false, true).addiRowVector(bn);
    INDArray targetCol = Nd4j.createFromArray(w.targets()).castTo(dt).reshape(positions, 1).broadcast(positions, k);
    INDArray negRow = Nd4j.createFromArray(negatives).castTo(dt).reshape(1, k).broadcast(positions, k);
    negLogits.addi(targetCol.eq(negRow).castTo(dt).muli(REMOVED));
    INDArray wy = Nd4j.pullRows(wts, 1, w.targets());
    INDArray ty = y.mul(wy).sum(1).reshape(positions, 1).addi(Nd4j.pullRows(bias, 1, w.targets()));
    INDArray all = Nd4j.hstack(ty, negLogits);
    INDArray max = all.max(1).reshape(positions, 1);
    INDArray e = Transforms.exp(all.subColumnVector(max), false);
    INDArray sum = e.sum(1).reshape(positions, 1);
    INDArray losses = Transforms.log(sum, true).addi(max).subi(ty);
    double lossSum = losses.mul(w.mask()).sumNumber().doubleValue();
    if (g == null) {
      return new Result(lossSum, null);
    }
    INDArray scale = w.mask().div(Math.max(1, w.count()));
    INDArray d = e.diviColumnVector(sum).muliColumnVector(scale);
    INDArray dTy = d.get(all(), interval(0, 1)).sub(scale); // p(target) - 1, scaled
    INDArray dNeg = d.get(all(), interval(1, k + 1));
    INDArray dY = dNeg.mmul(wn).addi(wy.mulColumnVector(dTy));
    INDArray dWn = Nd4j.gemm(dNeg, y, true, false);
    INDArray dWy = y.mulColumnVector(dTy);
    INDArray dBn = dNeg.sum(0).reshape(k, 1);
    int[] rows = new int[k + positions];
    System.arraycopy(negatives, 0, rows, 0, k);
    System.arraycopy(w.targets(), 0, rows, k, positions);
    RowIndex index = RowIndex.of(rows);
    g.rows(WEIGHTS, index.distinct(), index.sum(Nd4j.vstack(dWn, dWy)));
    g.rows(BIAS, index.distinct(), index.sum(Nd4j.vstack(dBn, dTy)));
    return new Result(lossSum, dY);
  }

  /** -log p(target) at every position (padding included), [positions, 1]; full softmax, no gradient. */
  public INDArray positionLosses(INDArray y, int[] targets) {
    INDArray logits = logits(y);
    INDArray max = logits.max(1).reshape(logits.size(0), 1);
    INDArray e = Transforms.exp(logits.subiColumnVector(max), false);
    INDArray lse = Transforms.log(e.sum(1).reshape(e.size(0), 1), false).addi(max);
    return lse.subi(targetLogits(y, targets));
  }

  INDArray logits(INDArray y) {
    return Nd4j.gemm(y, p.get(WEIGHTS), false, true).addiRowVector(p.get(BIAS).reshape(1, vocab));
  }

  private INDArray targetLogits(INDArray y, int[] targets) {
    INDArray wy = Nd4j.pullRows(p.get(WEIGHTS), 1, targets);
    return y.mul(wy).sum(1).reshape(y.size(0), 1).addi(Nd4j.pullRows(p.get(BIAS), 1, targets));
  }
}
