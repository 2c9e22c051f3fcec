package org.neurolake.model.vae;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.neurolake.model.lm.Gradients;
import org.neurolake.model.lm.NegativeSampler;
import org.neurolake.model.lm.ParameterLayout;
import org.neurolake.model.lm.Parameters;
import org.neurolake.model.lm.RowIndex;
import org.neurolake.model.lm.SoftmaxOutput;
import org.neurolake.model.lm.Window;

/**
 * The sentence VAE's forward and backward pass over one {@link SentenceWindow}, in ND4J arrays of
 * the parameters' data type; the recurrent layers are {@link RecurrentLayer}s of the spec's cell
 * (the word LM's LSTM without projection, or {@link GruLayer}), the softmax is the word LM's
 * ({@link SoftmaxOutput}).
 *
 * <p>Per sentence: recon = -sum_t log p(token_t | z, inputs before t) over its tokens; KL = KL(q(z|x)
 * || N(0, I)) = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)). The training loss is the batch
 * mean of recon + beta KL; with free bits λ > 0 its KL part is sum_j max(λ, KL_j) instead, KL_j the
 * batch's mean KL in dimension j (no gradient through a dimension at or below λ).
 */
final class SentenceVaeNetwork {
  /** Uniform initialization range of the weights (biases start at 0). */
  static final double INIT_SCALE = 0.1;
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  final SentenceVaeSpec spec;
  final Parameters params;
  private final RecurrentLayer encoder;
  private final RecurrentLayer decoder;
  private final SoftmaxOutput softmax;

  SentenceVaeNetwork(SentenceVaeSpec spec, DataType dataType) {
    this.spec = spec;
    this.params = new Parameters(spec.layout(), dataType);
    params.set(initialParameters(spec));
    encoder = spec.hasLatent() ? RecurrentLayer.of(spec.cell(), "encoder", spec.encoderHidden(), params) : null;
    decoder = RecurrentLayer.of(spec.cell(), "decoder", spec.decoderHidden(), params);
    softmax = new SoftmaxOutput(params, spec.vocabSize());
  }

  static float[] initialParameters(SentenceVaeSpec spec) {
    ParameterLayout layout = spec.layout();
    SplittableRandom r = new SplittableRandom(spec.seed());
    float[] p = new float[(int) layout.size()];
    for (ParameterLayout.Group g : layout.groups()) {
      if (!g.name().endsWith("bias")) {
        for (int i = g.offset(); i < g.end(); i++) {
          p[i] = (float) ((2 * r.nextDouble() - 1) * INIT_SCALE);
        }
      }
    }
    return p;
  }

  DataType dataType() {
    return params.dataType();
  }

  /**
   * What a pass uses besides the window: the decoder inputs (after word dropout), the noise eps
   * [n, Z] of z = mu + exp(logvar / 2) eps (zeros: z = mu; ignored without a latent), the KL weight,
   * the free bits λ of the loss's KL part (0: the plain KL), the sampled softmax's negatives (null:
   * the full softmax) and whether to compute the gradient.
   */
  record Mode(int[] decoderInputs, INDArray noise, double klWeight, double freeBits, NegativeSampler.Draw negatives,
      boolean gradient) {}

  /**
   * Per-sentence terms [n] (recon, KL; KL 0 without a latent; recon null in a pass with the gradient
   * or with sampled negatives, which sum it over the batch only), the posterior (mu, logvar, z; null
   * without a latent), the batch loss mean(recon + beta KL) (KL with the mode's free bits) and its
   * gradient (null unless asked). The per-sentence KL is always the plain one.
   */
  record Result(double[] recon, double[] kl, INDArray mu, INDArray logvar, INDArray z, double loss,
      Gradients gradients) {}

  /** The posterior of the window's sentences: mu, logvar [n, Z], and what the backward pass needs. */
  record Posterior(INDArray mu, INDArray logvar, INDArray summary, RecurrentLayer.Pass pass, int[] last) {}

  Posterior encode(SentenceWindow w) {
    int n = w.rows();
    INDArray x = Nd4j.pullRows(params.get("embedding"), 1, w.tokens());
    INDArray zero = Nd4j.zeros(dataType(), n, encoder.stateSize());
    RecurrentLayer.Pass pass = encoder.forward(x, zero, n, w.steps());
    int[] last = w.lastPositions();
    INDArray h = Nd4j.pullRows(pass.output(), 1, last);
    INDArray mu = h.mmul(params.get("mu")).addiRowVector(params.get("mu_bias"));
    INDArray logvar = h.mmul(params.get("logvar")).addiRowVector(params.get("logvar_bias"));
    return new Posterior(mu, logvar, h, pass, last);
  }

  /** z = mu + exp(logvar / 2) eps. */
  static INDArray sample(INDArray mu, INDArray logvar, INDArray noise) {
    return Transforms.exp(logvar.mul(0.5), false).muli(noise).addi(mu);
  }

  /** KL(N(mu, exp(logvar)) || N(0, I)) per row [n]. */
  static INDArray kl(INDArray mu, INDArray logvar) {
    return klTerms(mu, logvar).sum(1);
  }

  /** The KL per row and latent dimension [n, Z]: -1/2 (1 + logvar - mu^2 - exp(logvar)). */
  static INDArray klTerms(INDArray mu, INDArray logvar) {
    return logvar.add(1.0).subi(mu.mul(mu)).subi(Transforms.exp(logvar, true)).muli(-0.5);
  }

  /**
   * The free-bits mask [Z] from the batch-mean KL per dimension: 1 where it exceeds λ (its KL is in
   * the loss and gets a gradient), 0 where λ replaces it.
   */
  static double[] freeBitsMask(double[] perDimension, double freeBits) {
    double[] mask = new double[perDimension.length];
    for (int j = 0; j < mask.length; j++) {
      mask[j] = perDimension[j] > freeBits ? 1 : 0;
    }
    return mask;
  }

  /**
   * The batch's summed KL as the loss counts it: sum_b KL_b, or with free bits ({@code perDimension},
   * the batch-mean KL per dimension, non-null) n sum_j max(λ, KL_j).
   */
  static double klObjectiveSum(double[] kl, double[] perDimension, double freeBits) {
    if (perDimension == null) {
      double sum = 0;
      for (double k : kl) {
        sum += k;
      }
      return sum;
    }
    double sum = 0;
    for (double k : perDimension) {
      sum += Math.max(freeBits, k);
    }
    return kl.length * sum;
  }

  /** log N(z; 0, I) per row [n]. */
  static INDArray logPrior(INDArray z) {
    return z.mul(z).sum(1).addi(z.size(1) * LOG_2PI).muli(-0.5);
  }

  /** log N(z; mu, exp(logvar)) per row [n], for z = mu + exp(logvar / 2) eps. */
  static INDArray logPosterior(INDArray logvar, INDArray noise) {
    return noise.mul(noise).addi(logvar).sum(1).addi(noise.size(1) * LOG_2PI).muli(-0.5);
  }

  /** The decoder's initial state from z [n, state size] (LSTM: c then h). */
  INDArray initialState(INDArray z) {
    return z.mmul(params.get("latent_to_state")).addiRowVector(params.get("latent_to_state_bias"));
  }

  /** The decoder's input rows at the given ids (and z at every step when the spec says so), [T n, E (+ Z)]. */
  INDArray decoderInput(int[] ids, INDArray z, int steps) {
    INDArray x = Nd4j.pullRows(params.get("embedding"), 1, ids);
    if (z != null && spec.latentEveryStep()) {
      x = Nd4j.hstack(x, Nd4j.tile(z, steps, 1));
    }
    return x;
  }

  /** The decoder's summed -log p(token) per sentence [n] given z (null without a latent); no gradient. */
  INDArray reconstruction(SentenceWindow w, int[] inputs, INDArray z) {
    return positionLosses(w, inputs, z).sum(0);
  }

  /**
   * The decoder's -log p(token) at every position [T, n] (step-major; 0 on padding) given z (null
   * without a latent); no gradient.
   */
  INDArray positionLosses(SentenceWindow w, int[] inputs, INDArray z) {
    int n = w.rows();
    INDArray state0 = z == null ? Nd4j.zeros(dataType(), n, decoder.stateSize()) : initialState(z);
    RecurrentLayer.Pass pass = decoder.forward(decoderInput(inputs, z, w.steps()), state0, n, w.steps());
    INDArray losses = softmax.positionLosses(pass.output().dup('c'), w.tokens()).muli(w.mask());
    return losses.reshape('c', w.steps(), n);
  }

  Result run(SentenceWindow w, Mode mode) {
    int n = w.rows();
    int steps = w.steps();
    Posterior post = spec.hasLatent() ? encode(w) : null;
    INDArray z = post == null ? null : sample(post.mu(), post.logvar(), mode.noise());
    INDArray state0 = z == null ? Nd4j.zeros(dataType(), n, decoder.stateSize()) : initialState(z);
    INDArray x = decoderInput(mode.decoderInputs(), z, steps);
    RecurrentLayer.Pass dec = decoder.forward(x, state0, n, steps);
    INDArray y = dec.output().dup('c');
    INDArray klTerms = post == null ? null : klTerms(post.mu(), post.logvar());
    double[] kl = klTerms == null ? new double[n] : klTerms.sum(1).toDoubleVector();
    // The batch-mean KL per dimension, only when free bits use it (loss and gradient mask).
    double[] klPerDimension = klTerms == null || mode.freeBits() == 0 ? null : klTerms.mean(0).toDoubleVector();
    double klSum = klObjectiveSum(kl, klPerDimension, mode.freeBits());
    Window sw = new Window(n, steps, mode.decoderInputs(), null, w.tokens(), w.mask(), w.count());
    if (!mode.gradient() && mode.negatives() != null) {
      // The training loss with the sampled softmax (what the gradient pass differentiates); no per-sentence recon.
      double sampledSum = softmax.sampled(y, sw, mode.negatives().ids(), mode.negatives().logExpectedCount(), null)
          .lossSum();
      return new Result(null, kl, post == null ? null : post.mu(), post == null ? null : post.logvar(), z,
          (sampledSum + mode.klWeight() * klSum) / n, null);
    }
    if (!mode.gradient()) {
      INDArray positionLosses = softmax.positionLosses(y, w.tokens()).muli(w.mask());
      double[] recon = positionLosses.reshape('c', steps, n).sum(0).toDoubleVector();
      double reconSum = 0;
      for (double r : recon) {
        reconSum += r;
      }
      double loss = (reconSum + mode.klWeight() * klSum) / n;
      return new Result(recon, kl, post == null ? null : post.mu(), post == null ? null : post.logvar(), z, loss, null);
    }
    // With the gradient, only the batch's summed recon (the softmax's loss sum): one pass over the logits.
    Gradients g = new Gradients();
    SoftmaxOutput.Result out = mode.negatives() == null ? softmax.full(y, sw, g)
        : softmax.sampled(y, sw, mode.negatives().ids(), mode.negatives().logExpectedCount(), g);
    double loss = (out.lossSum() + mode.klWeight() * klSum) / n;
    double[] recon = null;
    // full() and sampled() scale by 1 / tokens; the loss is a mean over sentences. So far g holds the
    // softmax's gradient only: dense with the full softmax, the touched rows with the sampled one.
    double rescale = (double) w.count() / n;
    g.dense().values().forEach(a -> a.muli(rescale));
    g.rows().values().forEach(r -> r.values().muli(rescale));
    INDArray dY = out.dY().muli(rescale);
    INDArray dx = dec.backward(dY, g);
    int e = spec.embeddingSize();
    INDArray dEmbedDecoder = dx.get(all(), interval(0, e));
    if (post == null) {
      RowIndex index = RowIndex.of(mode.decoderInputs());
      g.rows("embedding", index.distinct(), index.sum(dEmbedDecoder.dup('c')));
      return new Result(recon, kl, null, null, null, loss, g);
    }
    // Through the initial state to z, and from every step's input when z is appended there.
    INDArray dInit = dec.dInitialState();
    g.dense("latent_to_state", Nd4j.gemm(z, dInit, true, false));
    g.dense("latent_to_state_bias", dInit.sum(0).reshape(1, decoder.stateSize()));
    INDArray dz = Nd4j.gemm(dInit, params.get("latent_to_state"), false, true);
    if (spec.latentEveryStep()) {
      INDArray dzSteps = dx.get(all(), interval(e, e + spec.latentSize())).dup('c');
      dz.addi(dzSteps.reshape('c', steps, n, spec.latentSize()).sum(0));
    }
    double beta = mode.klWeight() / n;
    INDArray sigma = Transforms.exp(post.logvar().mul(0.5), false);
    INDArray dKlMu = post.mu().mul(beta);
    INDArray dKlLogvar = Transforms.exp(post.logvar(), true).subi(1.0).muli(0.5 * beta);
    if (klPerDimension != null) {
      double[] mask = freeBitsMask(klPerDimension, mode.freeBits());
      INDArray maskRow = Nd4j.createFromArray(mask).castTo(dataType()).reshape(1, spec.latentSize());
      dKlMu.muliRowVector(maskRow);
      dKlLogvar.muliRowVector(maskRow);
    }
    INDArray dMu = dz.add(dKlMu);
    INDArray dLogvar = dz.mul(mode.noise()).muli(sigma).muli(0.5).addi(dKlLogvar);
    INDArray h = post.summary();
    g.dense("mu", Nd4j.gemm(h, dMu, true, false));
    g.dense("mu_bias", dMu.sum(0).reshape(1, spec.latentSize()));
    g.dense("logvar", Nd4j.gemm(h, dLogvar, true, false));
    g.dense("logvar_bias", dLogvar.sum(0).reshape(1, spec.latentSize()));
    INDArray dh = Nd4j.gemm(dMu, params.get("mu"), false, true)
        .addi(Nd4j.gemm(dLogvar, params.get("logvar"), false, true));
    INDArray dEncOut = Nd4j.zeros(dataType(), (long) n * steps, spec.encoderHidden());
    int[] last = post.last();
    for (int b = 0; b < n; b++) {
      dEncOut.putRow(last[b], dh.getRow(b));
    }
    INDArray dEmbedEncoder = post.pass().backward(dEncOut, g);
    int[] ids = new int[2 * n * steps];
    System.arraycopy(mode.decoderInputs(), 0, ids, 0, n * steps);
    System.arraycopy(w.tokens(), 0, ids, n * steps, n * steps);
    RowIndex index = RowIndex.of(ids);
    g.rows("embedding", index.distinct(), index.sum(Nd4j.vstack(dEmbedDecoder.dup('c'), dEmbedEncoder)));
    return new Result(recon, kl, post.mu(), post.logvar(), z, loss, g);
  }

  // ---- greedy decoding ----

  /**
   * Greedy decodes from z [n, Z] (null for the RNNLM: from zeros), at most {@code maxLength} tokens
   * each, stopping a row at {@code eosId} (included); {@code prefix} (may be null) forces each row's
   * first tokens.
   */
  int[][] greedy(INDArray z, int rows, int maxLength, int eosId, int[][] prefix) {
    return decode(z, rows, maxLength, eosId, prefix, 0, null);
  }

  /**
   * Decodes as {@link #greedy}, but with {@code temperature} > 0 each free token is drawn from
   * softmax(logits / temperature) with one number of {@code random} per row and step (row order);
   * temperature 0 takes the argmax ({@code random} unused, may be null).
   */
  int[][] decode(INDArray z, int rows, int maxLength, int eosId, int[][] prefix, double temperature,
      SplittableRandom random) {
    INDArray state = decoderStart(z, rows);
    int[][] out = new int[rows][];
    int[] previous = new int[rows];
    java.util.Arrays.fill(previous, spec.startId());
    int[][] built = new int[rows][maxLength];
    int[] len = new int[rows];
    boolean[] done = new boolean[rows];
    for (int t = 0; t < maxLength; t++) {
      Step s = step(previous, z, state, rows);
      state = s.state();
      INDArray logits = s.logits();
      int[] best = temperature > 0 ? draw(logits, temperature, random) : logits.argMax(1).toIntVector();
      boolean all = true;
      for (int b = 0; b < rows; b++) {
        int next = prefix != null && t < prefix[b].length ? prefix[b][t] : best[b];
        previous[b] = next;
        if (!done[b]) {
          built[b][len[b]++] = next;
          done[b] = next == eosId && (prefix == null || t >= prefix[b].length);
        }
        all &= done[b];
      }
      if (all) {
        break;
      }
    }
    for (int b = 0; b < rows; b++) {
      out[b] = java.util.Arrays.copyOf(built[b], len[b]);
    }
    return out;
  }

  /** The decoder's state before its first step [rows, state size]: from z [rows, Z], or zeros when z is null. */
  INDArray decoderStart(INDArray z, int rows) {
    return z == null ? Nd4j.zeros(dataType(), rows, decoder.stateSize()) : initialState(z);
  }

  /** One decoder step's logits [rows, V] and the state after it [rows, state size]. */
  record Step(INDArray logits, INDArray state) {}

  /**
   * One decoder step of {@code rows} rows from {@code state}: the inputs are the ids {@code inputs}
   * (and z [rows, Z] when the spec appends it to every input; may be null otherwise).
   */
  Step step(int[] inputs, INDArray z, INDArray state, int rows) {
    RecurrentLayer.Pass pass = decoder.forward(decoderInput(inputs, z, 1), state, rows, 1);
    INDArray logits = pass.output().mmul(params.get("softmax_weights").transpose())
        .addiRowVector(params.get("softmax_bias").reshape(1, spec.vocabSize()));
    return new Step(logits, pass.finalState());
  }

  /** One id per row of {@code logits} [n, V], drawn from softmax(logits / temperature) by inversion. */
  private static int[] draw(INDArray logits, double temperature, SplittableRandom random) {
    INDArray probs = Transforms.softmax(logits.castTo(DataType.DOUBLE).divi(temperature), false);
    double[][] p = probs.toDoubleMatrix();
    int[] out = new int[p.length];
    for (int b = 0; b < p.length; b++) {
      double u = random.nextDouble();
      double cumulative = 0;
      int id = p[b].length - 1;
      for (int v = 0; v < p[b].length; v++) {
        cumulative += p[b][v];
        if (u < cumulative) {
          id = v;
          break;
        }
      }
      out[b] = id;
    }
    return out;
  }
}
