package org.neurolake.model.vae;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Beam search for the words that follow a forced prefix, through the decoder of a
 * {@link SentenceVaeNetwork}, all rows and beams in one batch of ND4J operations per step.
 *
 * <p>Row b's forced prefix is fed first (teacher forcing, from {@code <s>}); then {@code beamSize}
 * hypotheses are extended word by word. A hypothesis ends when it emits {@code <eos>} or reaches
 * {@code maxWords[b]} words; its score is the sum of the log-probabilities of its words (and of
 * its {@code <eos>} when it ended by one), with no length normalization. Each step scores every
 * extension of every live hypothesis (log-softmax of the logits plus the hypothesis's score), and
 * keeps the {@code beamSize} best per row among them and the ended hypotheses (which stay in the
 * beam with their score). The result is the best ended hypothesis's words ({@code <eos>} not
 * included). With {@code beamSize} 1 this is greedy decoding cut at {@code maxWords[b]}.
 *
 * <p>Scores are summed in double precision whatever the network's data type. Each step's arrays
 * live in the {@link Scratch#STEP} workspace; only the decoder state (rows x state size) is copied
 * out of it, so a step's [rows x beam, V] temporaries never accumulate over steps.
 */
final class BeamSearch {
  /** The score of a slot that must never win: finite, so that 0 times it stays 0 in the masks. */
  private static final double NEVER = -1e30;

  private final SentenceVaeNetwork net;
  private final int beamSize;

  BeamSearch(SentenceVaeNetwork net, int beamSize) {
    if (beamSize < 1) {
      throw new IllegalArgumentException("beamSize must be >= 1, got " + beamSize);
    }
    this.net = net;
    this.beamSize = beamSize;
  }

  /**
   * The best completions of the rows: after {@code prefixes[b]}, at most {@code maxWords[b]} words,
   * ending early at {@code eosId} (not included), from the latent codes z [rows, Z] (null for the
   * RNNLM: from zeros).
   */
  int[][] complete(INDArray z, int[][] prefixes, int[] maxWords, int eosId) {
    int rows = prefixes.length;
    if (maxWords.length != rows || (z != null && z.rows() != rows)) {
      throw new IllegalArgumentException("need one prefix, one word limit (and one z) per row, got " + rows + ", "
          + maxWords.length + (z == null ? "" : ", " + z.rows()));
    }
    int vocab = net.spec.vocabSize();
    if (eosId < 0 || eosId >= vocab) {
      throw new IllegalArgumentException("eosId " + eosId + " is outside the vocabulary of " + vocab);
    }
    int k = beamSize;
    int wide = rows * k;
    // The prefix, row by row in one batch; a row's state stops changing after its last prefix step.
    INDArray state = prefixState(z, prefixes);
    int[] sentenceOf = new int[wide];
    int[] previous = new int[wide];
    for (int r = 0; r < wide; r++) {
      int b = r / k;
      sentenceOf[r] = b;
      int keep = prefixes[b].length;
      previous[r] = keep == 0 ? net.spec.startId() : prefixes[b][keep - 1];
    }
    state = Nd4j.pullRows(state, 1, sentenceOf);
    INDArray zWide = z == null ? null : Nd4j.pullRows(z, 1, sentenceOf);
    // Only the first beam of a row is live at the start: the others would repeat it.
    double[] start = new double[wide];
    for (int r = 0; r < wide; r++) {
      start[r] = r % k == 0 ? 0 : NEVER;
    }
    double[] scores = start;
    // An ended hypothesis has one extension, <eos> at no cost, so it keeps its slot and score.
    double[] endedRow = new double[vocab];
    Arrays.fill(endedRow, NEVER);
    endedRow[eosId] = 0;
    INDArray ended = Nd4j.createFromArray(endedRow).reshape(1, vocab);
    int[][] words = new int[wide][];
    int[] length = new int[wide];
    boolean[] done = new boolean[wide];
    int longest = 0;
    for (int r = 0; r < wide; r++) {
      words[r] = new int[maxWords[sentenceOf[r]]];
      done[r] = maxWords[sentenceOf[r]] == 0;
      longest = Math.max(longest, maxWords[sentenceOf[r]]);
    }
    for (int s = 0; s < longest && !allDone(done); s++) {
      try (MemoryWorkspace scope = Scratch.open(Scratch.STEP)) {
        SentenceVaeNetwork.Step step = net.step(previous, zWide, state, wide);
        INDArray logp = logSoftmax(step.logits().castTo(DataType.DOUBLE));
        INDArray doneColumn = Nd4j.createFromArray(toDoubles(done)).reshape(wide, 1);
        INDArray liveColumn = doneColumn.rsub(1.0);
        INDArray candidates = logp.muliColumnVector(liveColumn).addi(doneColumn.mmul(ended))
            .addiColumnVector(Nd4j.createFromArray(scores).reshape(wide, 1));
        Top top = topK(candidates.reshape('c', rows, (long) k * vocab), k);
        double[][] best = top.values();
        long[][] index = top.indices();
        int[] origin = new int[wide];
        int[][] nextWords = new int[wide][];
        int[] nextLength = new int[wide];
        boolean[] nextDone = new boolean[wide];
        double[] nextScores = new double[wide];
        for (int b = 0; b < rows; b++) {
          for (int j = 0; j < k; j++) {
            int r = b * k + j;
            int from = b * k + (int) (index[b][j] / vocab);
            int word = (int) (index[b][j] % vocab);
            origin[r] = from;
            nextScores[r] = best[b][j];
            nextWords[r] = words[from].clone();
            nextLength[r] = length[from];
            if (done[from] || word == eosId) {
              nextDone[r] = true;
            } else {
              nextWords[r][nextLength[r]++] = word;
              nextDone[r] = nextLength[r] >= maxWords[b];
            }
            previous[r] = word;
          }
        }
        // The kept hypotheses' state, copied out of the step's workspace before it closes.
        state = Nd4j.pullRows(step.state(), 1, origin).detach();
        scores = nextScores;
        words = nextWords;
        length = nextLength;
        done = nextDone;
      }
    }
    // The beams of a row are in descending score order (topK); the first is the best, ties aside.
    double[] finalScores = scores;
    int[][] out = new int[rows][];
    for (int b = 0; b < rows; b++) {
      int bestRow = b * k;
      for (int j = 1; j < k; j++) {
        if (finalScores[b * k + j] > finalScores[bestRow]) {
          bestRow = b * k + j;
        }
      }
      out[b] = Arrays.copyOf(words[bestRow], length[bestRow]);
    }
    return out;
  }

  /** The decoder's state after each row's prefix has been fed from {@code <s>} (its last word not yet). */
  private INDArray prefixState(INDArray z, int[][] prefixes) {
    int rows = prefixes.length;
    INDArray state = net.decoderStart(z, rows);
    int steps = 0;
    for (int[] p : prefixes) {
      steps = Math.max(steps, p.length);
    }
    // Step t feeds <s> (t = 0) or word t-1; row b takes steps 0 .. keep_b - 1.
    for (int t = 0; t < steps; t++) {
      int[] inputs = new int[rows];
      double[] take = new double[rows];
      for (int b = 0; b < rows; b++) {
        boolean feeds = t < prefixes[b].length;
        inputs[b] = t == 0 || !feeds ? net.spec.startId() : prefixes[b][t - 1];
        take[b] = feeds ? 1 : 0;
      }
      INDArray next = net.step(inputs, z, state, rows).state();
      INDArray mask = Nd4j.createFromArray(take).castTo(state.dataType()).reshape(rows, 1);
      state = next.muliColumnVector(mask).addi(state.mulColumnVector(mask.rsub(1.0)));
    }
    return state;
  }

  /** The k largest values of each row, descending, and their column indices. */
  record Top(double[][] values, long[][] indices) {}

  /**
   * The {@code k} largest values of each row of {@code x} [n, m] in descending order and their
   * column indices, equal values in column order: k passes of a row-wise argmax, each taking the
   * winner out (to -infinity) in a copy of x. Not libnd4j's {@code top_k}: in 1.0.0-M2 its Java
   * wrapper passes k and "sorted" swapped, and the op itself drops or repeats tied values.
   */
  static Top topK(INDArray x, int k) {
    int n = (int) x.rows();
    if (k < 1 || k > x.columns()) {
      throw new IllegalArgumentException("need 1 <= k <= " + x.columns() + ", got " + k);
    }
    INDArray work = x.dup('c');
    double[][] values = new double[n][k];
    long[][] indices = new long[n][k];
    for (int j = 0; j < k; j++) {
      long[] winner = work.argMax(1).toLongVector();
      for (int b = 0; b < n; b++) {
        indices[b][j] = winner[b];
        values[b][j] = work.getDouble(b, winner[b]);
        work.putScalar(b, winner[b], Double.NEGATIVE_INFINITY);
      }
    }
    return new Top(values, indices);
  }

  /** log softmax over each row of {@code logits} [n, V]. */
  private static INDArray logSoftmax(INDArray logits) {
    INDArray shifted = logits.subColumnVector(logits.max(1).reshape(logits.rows(), 1));
    INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(logits.rows(), 1);
    return shifted.subiColumnVector(logSum);
  }

  private static boolean allDone(boolean[] done) {
    for (boolean d : done) {
      if (!d) {
        return false;
      }
    }
    return true;
  }

  private static double[] toDoubles(boolean[] flags) {
    double[] d = new double[flags.length];
    for (int i = 0; i < flags.length; i++) {
      d[i] = flags[i] ? 1 : 0;
    }
    return d;
  }
}
