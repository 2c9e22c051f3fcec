package org.neurolake.model.vae;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.AbstractTrainableModel;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.lm.Gradients;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.model.lm.NegativeSampler;
import org.neurolake.model.lm.ParameterLayout;
import org.neurolake.model.optim.Adam;
import org.neurolake.model.optim.AdamSettings;
import org.neurolake.model.optim.OptimizerState;

/**
 * The sentence VAE (or, without encoder, the RNN language model) of {@link SentenceVaeSpec} as a
 * {@link TrainableModel}, computed with ND4J array operations ({@link SentenceVaeNetwork}) and
 * trained with Adam (global-norm clipping) on the mean over sentences of recon + beta(step) KL.
 *
 * <p><b>Batches.</b> {@code features} [n, T]: each row one sentence's token ids (its words, then
 * {@code <eos>}), padded at the end; {@code featuresMask} [n, T] marks the tokens (null: none padded).
 * Labels are not read (pass the features). Sentences are independent: no state is carried.
 *
 * <p><b>Randomness.</b> The word dropout, the reparameterization noise and (with the sampled
 * softmax) the negatives of step s come from a generator seeded by (spec seed, s): equal models given
 * equal batches at equal steps agree.
 * {@link #evaluate} uses z = mu + sigma eps with eps from a fixed seed (one sample: the usual
 * single-sample ELBO estimate), no word dropout and KL weight 1.
 *
 * <p><b>Memory.</b> Every method's arrays live in a {@link Scratch} workspace of the calling thread
 * for the duration of the call (importance samples and beam steps in a second, inner one), so the
 * native memory held is that of the largest pass, not whatever the garbage collector left.
 */
public final class SentenceVaeModel extends AbstractTrainableModel {
  private final SentenceVaeSpec spec;
  private final SentenceVaeNetwork net;
  private final Adam adam;
  /** The sampled softmax's negatives (null with the full softmax). */
  private final NegativeSampler sampler;

  public SentenceVaeModel(SentenceVaeSpec spec) {
    this(spec, DataType.FLOAT);
  }

  /** A model computing in {@code dataType}; DOUBLE is for gradient checks (it cannot {@link #fit}). */
  SentenceVaeModel(SentenceVaeSpec spec, DataType dataType) {
    super(spec.learningRate(), RateBound.NON_NEGATIVE);
    this.spec = spec;
    this.net = new SentenceVaeNetwork(spec, dataType);
    this.adam = new Adam(AdamSettings.builder().withClipNorm(spec.clipNorm()).build(), spec.parameterCount());
    this.sampler = spec.softmax() == LstmLmSpec.SoftmaxKind.SAMPLED
        ? new NegativeSampler(LstmLmSpec.Proposal.LOG_UNIFORM, spec.vocabSize(), spec.negatives(), List.of())
        : null;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  public SentenceVaeSpec vaeSpec() {
    return spec;
  }

  SentenceVaeNetwork net() {
    return net;
  }

  public ParameterLayout layout() {
    return net.params.layout();
  }

  @Override
  public long parameterCount() {
    return spec.parameterCount();
  }

  @Override
  public float[] parameters() {
    return net.params.toFloats();
  }

  @Override
  public FloatBuffer parameterBuffer() {
    return net.params.floatView();
  }

  @Override
  public void setParameters(float[] parameters) {
    net.params.set(parameters);
  }

  void setParameters(double[] parameters) {
    net.params.set(parameters);
  }

  @Override
  protected OptimizerState optimizer() {
    return adam;
  }

  @Override
  public double fit(Batch batch) {
    if (net.dataType() != DataType.FLOAT) {
      throw new IllegalStateException("training runs on float parameters, this model computes in " + net.dataType());
    }
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceWindow w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      SentenceVaeNetwork.Result r = net.run(w, trainingMode(w, true));
      Gradients g = r.gradients();
      double norm = g.norm();
      if (!Double.isFinite(norm)) {
        throw new IllegalStateException("the gradient is not finite (global norm " + norm + ") at step " + step()
            + "; the parameters were left unchanged");
      }
      FloatBuffer params = FloatBuffer.wrap(net.params.toFloats());
      float[] dense = toFloats(g.toDense(layout()));
      adam.step(params, FloatBuffer.wrap(dense), learningRate(), step() + 1);
      net.params.set(params.array());
      advanceStep();
      return r.loss();
    }
  }

  /** The loss and gradient {@link #fit} would use at the current step, without the update. For tests. */
  record LossAndGradient(double loss, double[] gradient) {}

  LossAndGradient lossAndGradient(Batch batch) {
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceWindow w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      SentenceVaeNetwork.Result r = net.run(w, trainingMode(w, true));
      return new LossAndGradient(r.loss(), r.gradients().toDense(layout()));
    }
  }

  /** {@link #lossAndGradient}'s loss alone. For tests. */
  double trainingLoss(Batch batch) {
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceWindow w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      return net.run(w, trainingMode(w, false)).loss();
    }
  }

  /** The batch's mean KL in each latent dimension [Z] (the posterior sees no word dropout). For tests. */
  double[] klPerDimension(Batch batch) {
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceVaeNetwork.Posterior post = net.encode(SentenceWindow.of(batch, spec.vocabSize(), net.dataType()));
      return SentenceVaeNetwork.klTerms(post.mu(), post.logvar()).mean(0).toDoubleVector();
    }
  }

  private SentenceVaeNetwork.Mode trainingMode(SentenceWindow w, boolean gradient) {
    SplittableRandom random = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + step());
    int[] inputs = WordDropout.apply(w, w.decoderInputs(spec.startId()), spec.wordKeep(), spec.unkId(),
        random.split());
    INDArray noise = noise(w.rows(), random.split());
    // Drawn after dropout and noise, so those stay what they were before the sampled softmax existed.
    NegativeSampler.Draw negatives = sampler == null ? null : sampler.draw(random.split());
    return new SentenceVaeNetwork.Mode(inputs, noise, spec.klWeight(step()), spec.freeBits(), negatives, gradient);
  }

  private INDArray noise(int rows, SplittableRandom random) {
    double[] eps = new double[rows * spec.latentSize()];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = random.nextGaussian();
    }
    return Nd4j.createFromArray(eps).reshape('c', rows, spec.latentSize()).castTo(net.dataType());
  }

  /**
   * The per-sentence terms of a batch (no word dropout, KL weight 1, the plain KL whatever the free
   * bits), with z from noise seeded by {@code seed}.
   */
  public SentenceScores score(Batch batch, long seed) {
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceWindow w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      SentenceVaeNetwork.Mode mode = new SentenceVaeNetwork.Mode(w.decoderInputs(spec.startId()),
          noise(w.rows(), new SplittableRandom(seed)), 1.0, 0, null, false);
      SentenceVaeNetwork.Result r = net.run(w, mode);
      double[][] mu = r.mu() == null ? new double[w.rows()][0] : r.mu().toDoubleMatrix();
      return new SentenceScores(r.recon(), r.kl(), w.lengths(), mu);
    }
  }

  /**
   * Importance-sampled log p(x) per sentence with {@code k} samples from the posterior:
   * log (1/k) sum_j p(x | z_j) p(z_j) / q(z_j | x), noise seeded by {@code seed}. For the RNNLM (no
   * latent) the exact log p(x).
   */
  public double[] importanceSampledLogLikelihood(Batch batch, int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    int n;
    double[][] logWeights = new double[k][];
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceWindow w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      int[] inputs = w.decoderInputs(spec.startId());
      n = w.rows();
      if (!spec.hasLatent()) {
        double[] nll = net.reconstruction(w, inputs, null).toDoubleVector();
        for (int b = 0; b < n; b++) {
          nll[b] = -nll[b];
        }
        return nll;
      }
      SentenceVaeNetwork.Posterior post = net.encode(w);
      SplittableRandom random = new SplittableRandom(seed);
      // One sample's decoder pass at a time, each in its own scope: k passes never coexist.
      for (int j = 0; j < k; j++) {
        try (MemoryWorkspace sample = Scratch.open(Scratch.STEP)) {
          INDArray eps = noise(n, random);
          INDArray z = SentenceVaeNetwork.sample(post.mu(), post.logvar(), eps);
          INDArray logW = net.reconstruction(w, inputs, z).negi().addi(SentenceVaeNetwork.logPrior(z))
              .subi(SentenceVaeNetwork.logPosterior(post.logvar(), eps));
          logWeights[j] = logW.toDoubleVector();
        }
      }
    }
    double[] out = new double[n];
    for (int b = 0; b < n; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, logWeights[j][b]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(logWeights[j][b] - max);
      }
      out[b] = max + Math.log(sum / k);
    }
    return out;
  }

  /** The posterior means [n][Z] of a batch's sentences (empty rows without a latent). */
  public double[][] posteriorMeans(Batch batch) {
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      SentenceWindow w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      if (!spec.hasLatent()) {
        return new double[w.rows()][0];
      }
      return net.encode(w).mu().toDoubleMatrix();
    }
  }

  /**
   * Greedy decodes of the latent codes {@code z} (rows of Z values; for the RNNLM pass rows of length
   * 0), each at most {@code maxLength} tokens, ending at {@code eosId} (included); a row of
   * {@code prefixes} (null: none) forces that decode's first tokens.
   */
  public int[][] greedyDecode(double[][] z, int maxLength, int eosId, int[][] prefixes) {
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      INDArray zs = spec.hasLatent() ? Nd4j.createFromArray(z).castTo(net.dataType()) : null;
      return net.greedy(zs, z.length, maxLength, eosId, prefixes);
    }
  }

  /**
   * The words after each row's forced {@code prefixes[b]} found by beam search of {@code beamSize}
   * hypotheses ({@link BeamSearch}): at most {@code maxWords[b]} words, ending early at {@code eosId}
   * (not included), the highest sum of word (and {@code <eos>}) log-probabilities given z (rows of Z
   * values; for the RNNLM pass rows of length 0). Beam size 1 gives the greedy decode's words.
   */
  public int[][] beamComplete(double[][] z, int[][] prefixes, int[] maxWords, int eosId, int beamSize) {
    if (spec.hasLatent() && Arrays.stream(z).anyMatch(r -> r.length != spec.latentSize())) {
      throw new IllegalArgumentException("need latent codes of " + spec.latentSize() + " values");
    }
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      INDArray zs = spec.hasLatent() ? Nd4j.createFromArray(z).castTo(net.dataType()) : null;
      return new BeamSearch(net, beamSize).complete(zs, prefixes, maxWords, eosId);
    }
  }

  /**
   * Decodes of the latent codes {@code z} as {@link #greedyDecode}, each free token drawn from
   * softmax(logits / temperature) with {@code random} (temperature 0: the argmax, {@code random}
   * unused). Equal generator states give equal decodes.
   */
  public int[][] decode(double[][] z, int maxLength, int eosId, int[][] prefixes, double temperature,
      SplittableRandom random) {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
    }
    if (temperature > 0) {
      java.util.Objects.requireNonNull(random, "random (needed at temperature > 0)");
    }
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      INDArray zs = spec.hasLatent() ? Nd4j.createFromArray(z).castTo(net.dataType()) : null;
      return net.decode(zs, z.length, maxLength, eosId, prefixes, temperature, random);
    }
  }

  /**
   * log p(token_t | z, tokens before t) of every token of every sentence of {@code batch} (teacher
   * forcing from {@code <s>}, no word dropout), given the latent codes {@code z} (rows of Z values;
   * ignored for the RNNLM): row b has the sentence's length.
   */
  public double[][] tokenLogLikelihoods(Batch batch, double[][] z) {
    double[][] losses;
    SentenceWindow w;
    try (MemoryWorkspace ws = Scratch.open(Scratch.PASS)) {
      w = SentenceWindow.of(batch, spec.vocabSize(), net.dataType());
      if (spec.hasLatent() && (z.length != w.rows()
          || Arrays.stream(z).anyMatch(r -> r.length != spec.latentSize()))) {
        throw new IllegalArgumentException("need " + w.rows() + " latent codes of " + spec.latentSize() + " values");
      }
      INDArray zs = spec.hasLatent() ? Nd4j.createFromArray(z).castTo(net.dataType()) : null;
      losses = net.positionLosses(w, w.decoderInputs(spec.startId()), zs).toDoubleMatrix();
    }
    double[][] out = new double[w.rows()][];
    for (int b = 0; b < w.rows(); b++) {
      out[b] = new double[w.lengths()[b]];
      for (int t = 0; t < out[b].length; t++) {
        out[b][t] = -losses[t][b];
      }
    }
    return out;
  }

  /**
   * {@code loss} (mean recon + KL per sentence, nats), {@code recon}, {@code kl} (per sentence),
   * {@code nll_sum}, {@code sentences}, {@code tokens} (to pool a perplexity over batches). Does not
   * change the model.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    SentenceScores s = score(batch, spec.seed());
    Map<String, Double> m = new LinkedHashMap<>();
    double recon = 0;
    double kl = 0;
    for (int b = 0; b < s.sentences(); b++) {
      recon += s.recon()[b];
      kl += s.kl()[b];
    }
    int n = s.sentences();
    m.put("loss", (recon + kl) / n);
    m.put("recon", recon / n);
    m.put("kl", kl / n);
    m.put("nll_sum", recon + kl);
    m.put("sentences", (double) n);
    m.put("tokens", (double) s.tokens());
    return m;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
