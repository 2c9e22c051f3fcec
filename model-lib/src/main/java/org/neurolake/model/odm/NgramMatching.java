package org.neurolake.model.odm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The {@link OdmCost#NGRAM} divergence of a batch, as ND4J array operations: with n windows of W
 * positions, F's soft predictions p_t (rows of {@code probs} [nW, K]) and the real label windows
 * r_t (one-hot, independent of the inputs),
 *
 * <pre>
 *   q1 = mean_t p_t                         r1 = mean_t r_t
 *   q2 = mean_(t,t+1 in a window) p_t p_(t+1)^T   r2 = the same over r
 *   cost = KL(r1 ‖ q1) + KL(r2 ‖ q2)
 * </pre>
 *
 * q1 and q2 are the expected unigram and bigram frequencies of a labelling drawn from F's
 * predictions, so the cost is 0 exactly when they equal the label source's (up to the batch's
 * sampling noise); the bigram term is what tells apart classes of similar frequency. q is floored
 * at {@link #FLOOR} inside the logarithm.
 */
final class NgramMatching {
  static final double FLOOR = 1e-10;

  /** The cost and its gradient with respect to {@code probs}. */
  record Result(double cost, INDArray dProbs) {}

  private NgramMatching() {}

  /**
   * @param probs F's predictions on the window rows [n*W, K]
   * @param real the real label windows one-hot [n*W, K]
   */
  static Result of(INDArray probs, INDArray real, int window) {
    DataType type = probs.dataType();
    long rows = probs.rows();
    long k = probs.columns();
    long windows = rows / window;
    INDArray q1 = probs.mean(true, 0);
    INDArray r1 = real.mean(true, 0);
    double cost = kl(r1, q1);
    INDArray dProbs = Nd4j.zeros(type, rows, k).addiRowVector(r1.div(floored(q1)).negi().divi(rows));
    if (window > 1) {
      long pairs = windows * (window - 1);
      INDArray p3 = probs.reshape('c', windows, window, k);
      INDArray r3 = real.reshape('c', windows, window, k);
      INDArray a = p3.get(NDArrayIndex.all(), NDArrayIndex.interval(0, window - 1), NDArrayIndex.all()).dup('c')
          .reshape('c', pairs, k);
      INDArray b = p3.get(NDArrayIndex.all(), NDArrayIndex.interval(1, window), NDArrayIndex.all()).dup('c')
          .reshape('c', pairs, k);
      INDArray ra = r3.get(NDArrayIndex.all(), NDArrayIndex.interval(0, window - 1), NDArrayIndex.all()).dup('c')
          .reshape('c', pairs, k);
      INDArray rb = r3.get(NDArrayIndex.all(), NDArrayIndex.interval(1, window), NDArrayIndex.all()).dup('c')
          .reshape('c', pairs, k);
      INDArray q2 = a.transpose().mmul(b).divi(pairs);
      INDArray r2 = ra.transpose().mmul(rb).divi(pairs);
      cost += kl(r2, q2);
      INDArray g = r2.div(floored(q2)).negi().divi(pairs); // d cost / d (A^T B), A^T B = pairs * q2
      INDArray dA = b.mmul(g.transpose()).reshape('c', windows, window - 1, k);
      INDArray dB = a.mmul(g).reshape('c', windows, window - 1, k);
      INDArray d3 = dProbs.reshape('c', windows, window, k);
      d3.get(NDArrayIndex.all(), NDArrayIndex.interval(0, window - 1), NDArrayIndex.all()).addi(dA);
      d3.get(NDArrayIndex.all(), NDArrayIndex.interval(1, window), NDArrayIndex.all()).addi(dB);
      dProbs = d3.reshape('c', rows, k);
    }
    return new Result(cost, dProbs);
  }

  /** KL(r ‖ q) over the cells where r > 0. */
  private static double kl(INDArray r, INDArray q) {
    double[] rv = r.dup('c').reshape(r.length()).toDoubleVector();
    double[] qv = q.dup('c').reshape(q.length()).toDoubleVector();
    double s = 0;
    for (int i = 0; i < rv.length; i++) {
      if (rv[i] > 0) {
        s += rv[i] * Math.log(rv[i] / Math.max(qv[i], FLOOR));
      }
    }
    return s;
  }

  private static INDArray floored(INDArray q) {
    return Transforms.max(q, FLOOR, true);
  }
}
