package org.neurolake.model.lm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/**
 * Full-softmax perplexity of a split's id streams, in order with the state carried: the streams
 * (concatenated in the order given) are cut into {@code rows} contiguous pieces read side by side
 * in windows of {@code windowLength}, each row's state carried from window to window
 * ({@link LstmLmModel#score}). Each piece's first word is predicted by no one and each piece starts
 * from a zero state, so with rows = 1 this is exactly the split's perplexity; with more rows it
 * reads rows - 1 fewer tokens and restarts the state rows - 1 times (negligible for rows much
 * smaller than the split's length), in exchange for batched arithmetic.
 */
public final class StreamPerplexity {
  private final int[] ids;
  private final int rows;
  private final int windowLength;
  private final CharTable chars;

  public StreamPerplexity(List<int[]> streams, int rows, int windowLength, CharTable chars) {
    if (rows < 1 || windowLength < 1) {
      throw new IllegalArgumentException("rows and windowLength must be >= 1, got " + rows + ", " + windowLength);
    }
    long total = streams.stream().mapToLong(s -> s.length).sum();
    if (total < 2L * rows) {
      throw new IllegalArgumentException(total + " ids are too few for " + rows + " rows of 2 or more");
    }
    ids = new int[(int) total];
    int at = 0;
    for (int[] s : streams) {
      System.arraycopy(s, 0, ids, at, s.length);
      at += s.length;
    }
    this.rows = rows;
    this.windowLength = windowLength;
    this.chars = chars;
  }

  /** {@code loss}, {@code perplexity}, {@code log_likelihood} and {@code tokens} over the whole split. */
  public Map<String, Double> evaluate(LstmLmModel model) {
    int piece = ids.length / rows; // the last row also takes the remainder
    int[] start = new int[rows];
    int[] predictions = new int[rows];
    for (int r = 0; r < rows; r++) {
      start[r] = r * piece;
      predictions[r] = (r == rows - 1 ? ids.length - start[r] : piece) - 1;
    }
    int longest = Arrays.stream(predictions).max().orElseThrow();
    double logLikelihood = 0;
    double tokens = 0;
    boolean[] continues = new boolean[rows];
    int len = chars == null ? 1 : chars.length();
    for (int p = 0; p < longest; p += windowLength) {
      float[] x = new float[rows * windowLength * len];
      float[] y = new float[rows * windowLength];
      float[] mask = new float[rows * windowLength];
      for (int r = 0; r < rows; r++) {
        for (int t = 0; t < windowLength; t++) {
          int q = p + t;
          int at = r * windowLength + t;
          if (q >= predictions[r]) {
            continue;
          }
          int input = ids[start[r] + q];
          if (chars == null) {
            x[at] = input;
          } else {
            int[] c = chars.chars(input);
            for (int k = 0; k < len; k++) {
              x[at * len + k] = c[k];
            }
          }
          y[at] = ids[start[r] + q + 1];
          mask[at] = 1;
        }
      }
      long[] shape = {rows, windowLength};
      var features = chars == null ? Nd4j.create(x, shape, 'c') : Nd4j.create(x, new long[] {rows, windowLength, len}, 'c');
      var m = Nd4j.create(mask, shape, 'c');
      Map<String, Double> s = model.score(new Batch(features, Nd4j.create(y, shape, 'c'), m, m, continues.clone()));
      logLikelihood += s.get("log_likelihood");
      tokens += s.get("tokens");
      Arrays.fill(continues, true);
    }
    double loss = -logLikelihood / tokens;
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss", loss);
    out.put("perplexity", Math.exp(loss));
    out.put("log_likelihood", logLikelihood);
    out.put("tokens", tokens);
    return out;
  }

  /** The ids scored: all but each row's first. */
  public long predictions() {
    return ids.length - rows;
  }
}
