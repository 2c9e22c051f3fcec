package org.neurolake.model.lm;

import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/**
 * The full-softmax log-likelihood of one id sequence given piece by piece, in order, with the
 * state carried exactly across pieces: the sequence's first id is predicted by no one, every other
 * id from all ids before it, so any cut into pieces gives the score of the whole sequence in one
 * row. Holds one window of ids at a time; the pieces may be as long as the caller likes.
 *
 * <p>The last id given is held back as the next window's first input (its successor is not known
 * yet); the model's own {@link LstmLmModel#score} state carries the rest.
 */
public final class SequenceScorer {
  private final LstmLmModel model;
  private final int windowLength;
  private final CharTable chars;
  private final int[] inputs;
  private final int[] targets;
  private int filled;
  private boolean hasPending;
  private int pending;
  private boolean started;
  private double logLikelihood;
  private long tokens;

  /** Scores with {@code model} (its score state is reset) in windows of {@code windowLength}; chars for the CNN input, else null. */
  public SequenceScorer(LstmLmModel model, int windowLength, CharTable chars) {
    if (windowLength < 1) {
      throw new IllegalArgumentException("windowLength must be >= 1, got " + windowLength);
    }
    if ((chars != null) != (((LstmLmSpec) model.spec()).input() == LstmLmSpec.InputKind.CHAR_CNN)) {
      throw new IllegalArgumentException("a character table is needed exactly for the character-CNN input");
    }
    this.model = model;
    this.windowLength = windowLength;
    this.chars = chars;
    this.inputs = new int[windowLength];
    this.targets = new int[windowLength];
    model.resetState();
  }

  /** The next ids of the sequence. */
  public void accept(int[] ids) {
    for (int id : ids) {
      if (hasPending) {
        inputs[filled] = pending;
        targets[filled] = id;
        filled++;
        if (filled == windowLength) {
          flush();
        }
      }
      pending = id;
      hasPending = true;
    }
  }

  /** Scores what is buffered (a partial window); call once after the last piece. */
  public void finish() {
    if (filled > 0) {
      flush();
    }
  }

  /** The sum of ln p(id | ids before it) over the ids scored so far. */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** The ids scored so far (all but the first given, once {@link #finish} ran). */
  public long tokens() {
    return tokens;
  }

  private void flush() {
    int len = chars == null ? 1 : chars.length();
    float[] x = new float[windowLength * len];
    float[] y = new float[windowLength];
    float[] mask = new float[windowLength];
    for (int t = 0; t < filled; t++) {
      if (chars == null) {
        x[t] = inputs[t];
      } else {
        int[] c = chars.chars(inputs[t]);
        for (int k = 0; k < len; k++) {
          x[t * len + k] = c[k];
        }
      }
      y[t] = targets[t];
      mask[t] = 1;
    }
    long[] shape = {1, windowLength};
    var features = chars == null ? Nd4j.create(x, shape, 'c') : Nd4j.create(x, new long[] {1, windowLength, len}, 'c');
    var m = Nd4j.create(mask, shape, 'c');
    Map<String, Double> s = model.score(new Batch(features, Nd4j.create(y, shape, 'c'), m, m,
        new boolean[] {started}));
    logLikelihood += s.get("log_likelihood");
    tokens += Math.round(s.get("tokens"));
    started = true;
    filled = 0;
  }
}
