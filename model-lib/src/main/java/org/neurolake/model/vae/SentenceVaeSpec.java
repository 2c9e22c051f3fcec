package org.neurolake.model.vae;

import java.util.Objects;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.lm.LstmLmSpec.SoftmaxKind;
import org.neurolake.model.lm.ParameterLayout;

/**
 * The sentence VAE of "Generating Sentences from a Continuous Space" (Bowman, Vilnis, Vinyals, Dai,
 * Jozefowicz, Bengio 2016): an LSTM encoder reads the sentence, its last output gives a diagonal
 * Gaussian posterior (mu, log sigma^2) over z of {@code latentSize} dimensions, z is drawn by
 * reparameterization, and a linear map of z gives the decoder LSTM's initial (c, h) (optionally z
 * is also appended to every decoder input); the decoder predicts the sentence's words and
 * {@code <eos>} from {@code <s>} and the previous words through a softmax over the vocabulary. The
 * word embedding is shared by encoder and decoder. With {@link EncoderKind#NONE} there is no
 * encoder, no latent and no KL: the plain RNN language model baseline, the decoder starting from
 * zeros. Build with {@link #builder(int)}.
 *
 * @param vocabSize V, word ids 0 .. V-1
 * @param unkId the id word dropout substitutes ({@code <unk>})
 * @param startId the decoder's first input ({@code <s>})
 * @param encoder LSTM (an encoder, of the kind {@code cell} says), or NONE for the RNNLM baseline
 * @param cell the recurrent cell of the encoder and the decoder: LSTM (default; absent in older
 *     specs) or GRU
 * @param embeddingSize E
 * @param encoderHidden the encoder LSTM's cells
 * @param decoderHidden the decoder LSTM's cells
 * @param latentSize Z
 * @param latentEveryStep z is appended to every decoder input as well
 * @param wordKeep the probability that a decoder input word (not {@code <s>}) is kept rather than
 *     replaced by {@code <unk>}; 1 = no word dropout, 0 = the inputless decoder
 * @param annealing the KL weight's schedule over the global step
 * @param klK the logistic schedule's slope k: weight = 1 / (1 + exp(-k (step - x0)))
 * @param klX0 the logistic schedule's midpoint x0 (steps); the linear schedule's length (weight =
 *     min(1, step / x0))
 * @param freeBits λ, nats per latent dimension ("free bits", Kingma et al. 2016, "Improved variational
 *     inference with inverse autoregressive flow"): training minimizes recon + beta sum_j max(λ, KL_j),
 *     KL_j the batch's mean KL in dimension j, so a dimension's KL below λ costs nothing and is not
 *     pushed to 0 (a remedy for posterior collapse); 0 (default; absent in older specs) = the plain
 *     KL. Evaluation always reports the plain KL and bound.
 * @param softmax the decoder's training softmax: FULL (default; absent in older specs), or SAMPLED,
 *     the word LM's importance-sampled softmax with {@code negatives} log-uniform negatives per batch
 *     (ids in decreasing order of frequency, as build-vocab numbers them); evaluation, sampling and
 *     decoding always use the full softmax
 * @param negatives K, sampled classes per batch with {@link SoftmaxKind#SAMPLED}
 * @param clipNorm Adam's global gradient-norm clip; 0 = none
 * @param learningRate Adam's rate until {@code setLearningRate} changes it
 * @param seed initialization; word dropout and the reparameterization noise are seeded by (seed, step)
 */
public record SentenceVaeSpec(int vocabSize, int unkId, int startId, EncoderKind encoder, Cell cell, int embeddingSize,
    int encoderHidden, int decoderHidden, int latentSize, boolean latentEveryStep, double wordKeep,
    Annealing annealing, double klK, double klX0, double freeBits, SoftmaxKind softmax, int negatives,
    double clipNorm, double learningRate, long seed) implements ModelSpec {

  public enum EncoderKind { LSTM, NONE }

  /** The recurrent cell of encoder and decoder; its state: LSTM (c, h), 2H values; GRU h, H values. */
  public enum Cell {
    LSTM(4, 2), GRU(3, 1);

    /** Gate blocks per hidden unit in the weight matrices, state values per hidden unit. */
    final int gates;
    final int state;

    Cell(int gates, int state) {
      this.gates = gates;
      this.state = state;
    }
  }

  public static final int DEFAULT_UNK_ID = 0;
  public static final int DEFAULT_START_ID = 2;
  public static final int DEFAULT_EMBEDDING_SIZE = 300;
  public static final int DEFAULT_HIDDEN = 256;
  public static final int DEFAULT_LATENT_SIZE = 16;
  /** A public reimplementation's (timbmg/Sentence-VAE) logistic schedule. */
  public static final double DEFAULT_KL_K = 0.0025;
  public static final double DEFAULT_KL_X0 = 2500;
  public static final double DEFAULT_WORD_KEEP = 0.75;
  public static final double DEFAULT_CLIP_NORM = 5.0;
  /** The word LM's default: K = 1024 negatives. */
  public static final int DEFAULT_NEGATIVES = 1024;
  public static final double DEFAULT_LEARNING_RATE = 1e-3;

  public SentenceVaeSpec {
    Objects.requireNonNull(encoder, "encoder");
    if (cell == null) {
      cell = Cell.LSTM; // specs written before the cell option
    }
    Objects.requireNonNull(annealing, "annealing");
    if (softmax == null) {
      softmax = SoftmaxKind.FULL; // specs written before the sampled softmax option
    }
    if (vocabSize < 2 || unkId < 0 || unkId >= vocabSize || startId < 0 || startId >= vocabSize) {
      throw new IllegalArgumentException("need vocabSize >= 2 and unkId, startId in 0.." + (vocabSize - 1) + ", got "
          + vocabSize + ", " + unkId + ", " + startId);
    }
    if (embeddingSize < 1 || encoderHidden < 1 || decoderHidden < 1 || latentSize < 1) {
      throw new IllegalArgumentException("embeddingSize, encoderHidden, decoderHidden and latentSize must be >= 1, got "
          + embeddingSize + ", " + encoderHidden + ", " + decoderHidden + ", " + latentSize);
    }
    if (!(wordKeep >= 0 && wordKeep <= 1)) {
      throw new IllegalArgumentException("wordKeep is a probability in [0, 1], got " + wordKeep);
    }
    if (!(klK > 0) || Double.isInfinite(klK) || !(klX0 >= 0) || Double.isInfinite(klX0)) {
      throw new IllegalArgumentException("need klK > 0 and klX0 >= 0, finite, got " + klK + ", " + klX0);
    }
    if (!(freeBits >= 0) || Double.isInfinite(freeBits)) {
      throw new IllegalArgumentException("freeBits (nats per latent dimension) must be finite and >= 0, got "
          + freeBits);
    }
    if (softmax == SoftmaxKind.SAMPLED && negatives < 1 || negatives < 0) {
      throw new IllegalArgumentException("negatives must be >= 0, and >= 1 with the sampled softmax, got " + negatives);
    }
    if (annealing == Annealing.LINEAR && klX0 == 0) {
      throw new IllegalArgumentException("the linear schedule needs klX0 (its length in steps) > 0");
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0 = no clipping), got " + clipNorm);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
    }
  }

  public static Builder builder(int vocabSize) {
    return new Builder(vocabSize);
  }

  /** Whether this is the VAE (an encoder and a latent), not the RNNLM baseline. */
  public boolean hasLatent() {
    return encoder != EncoderKind.NONE;
  }

  /** The KL term's weight at a global step. */
  public double klWeight(long step) {
    return annealing.weight(step, klK, klX0);
  }

  /**
   * Parameter groups in order: {@code embedding} [V, E]; with an encoder {@code encoder_wx} [E, G He]
   * (G = 4 gate blocks for the LSTM, 3 for the GRU), {@code encoder_wr} [He, G He], {@code encoder_bias},
   * {@code mu} [He, Z], {@code mu_bias}, {@code logvar} [He, Z], {@code logvar_bias},
   * {@code latent_to_state} [Z, 2Hd] (LSTM: c then h) or [Z, Hd] (GRU: h),
   * {@code latent_to_state_bias}; then {@code decoder_wx} [E (+ Z), G Hd], {@code decoder_wr},
   * {@code decoder_bias}, {@code softmax_weights} [V, Hd], {@code softmax_bias} [V, 1].
   */
  public ParameterLayout layout() {
    ParameterLayout.Builder b = ParameterLayout.builder();
    b.add("embedding", vocabSize, embeddingSize, true);
    if (hasLatent()) {
      b.add("encoder_wx", embeddingSize, cell.gates * encoderHidden, false);
      b.add("encoder_wr", encoderHidden, cell.gates * encoderHidden, false);
      b.add("encoder_bias", 1, cell.gates * encoderHidden, false);
      b.add("mu", encoderHidden, latentSize, false);
      b.add("mu_bias", 1, latentSize, false);
      b.add("logvar", encoderHidden, latentSize, false);
      b.add("logvar_bias", 1, latentSize, false);
      b.add("latent_to_state", latentSize, decoderStateSize(), false);
      b.add("latent_to_state_bias", 1, decoderStateSize(), false);
    }
    b.add("decoder_wx", embeddingSize + (hasLatent() && latentEveryStep ? latentSize : 0), cell.gates * decoderHidden,
        false);
    b.add("decoder_wr", decoderHidden, cell.gates * decoderHidden, false);
    b.add("decoder_bias", 1, cell.gates * decoderHidden, false);
    b.add("softmax_weights", vocabSize, decoderHidden, true);
    b.add("softmax_bias", vocabSize, 1, true);
    return b.build();
  }

  /** The decoder's state values per sentence: 2 Hd for the LSTM (c, h), Hd for the GRU. */
  public int decoderStateSize() {
    return cell.state * decoderHidden;
  }

  @Override
  public SentenceVaeModel build() {
    return new SentenceVaeModel(this);
  }

  @Override
  public long parameterCount() {
    return layout().size();
  }

  public static final class Builder {
    private final int vocabSize;
    private int unkId = DEFAULT_UNK_ID;
    private int startId = DEFAULT_START_ID;
    private EncoderKind encoder = EncoderKind.LSTM;
    private Cell cell = Cell.LSTM;
    private int embeddingSize = DEFAULT_EMBEDDING_SIZE;
    private int encoderHidden = DEFAULT_HIDDEN;
    private int decoderHidden = DEFAULT_HIDDEN;
    private int latentSize = DEFAULT_LATENT_SIZE;
    private boolean latentEveryStep;
    private double wordKeep = DEFAULT_WORD_KEEP;
    private Annealing annealing = Annealing.LOGISTIC;
    private double klK = DEFAULT_KL_K;
    private double klX0 = DEFAULT_KL_X0;
    private double freeBits;
    private SoftmaxKind softmax = SoftmaxKind.FULL;
    private int negatives = DEFAULT_NEGATIVES;
    private double clipNorm = DEFAULT_CLIP_NORM;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private long seed = 1;

    private Builder(int vocabSize) {
      this.vocabSize = vocabSize;
    }

    public Builder specialIds(int unkId, int startId) {
      this.unkId = unkId;
      this.startId = startId;
      return this;
    }

    public Builder encoder(EncoderKind encoder) {
      this.encoder = encoder;
      return this;
    }

    public Builder cell(Cell cell) {
      this.cell = cell;
      return this;
    }

    public Builder sizes(int embeddingSize, int encoderHidden, int decoderHidden, int latentSize) {
      this.embeddingSize = embeddingSize;
      this.encoderHidden = encoderHidden;
      this.decoderHidden = decoderHidden;
      this.latentSize = latentSize;
      return this;
    }

    public Builder latentEveryStep(boolean latentEveryStep) {
      this.latentEveryStep = latentEveryStep;
      return this;
    }

    public Builder wordKeep(double wordKeep) {
      this.wordKeep = wordKeep;
      return this;
    }

    public Builder annealing(Annealing annealing, double klK, double klX0) {
      this.annealing = annealing;
      this.klK = klK;
      this.klX0 = klX0;
      return this;
    }

    public Builder freeBits(double freeBits) {
      this.freeBits = freeBits;
      return this;
    }

    /** The decoder's training softmax and, for SAMPLED, its negatives per batch. */
    public Builder softmax(SoftmaxKind softmax, int negatives) {
      this.softmax = softmax;
      this.negatives = negatives;
      return this;
    }

    public Builder clipNorm(double clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public SentenceVaeSpec build() {
      return new SentenceVaeSpec(vocabSize, unkId, startId, encoder, cell, embeddingSize, encoderHidden, decoderHidden,
          latentSize, latentEveryStep, wordKeep, annealing, klK, klX0, freeBits, softmax, negatives, clipNorm,
          learningRate, seed);
    }
  }
}
