package org.neurolake.model.odm;

import java.util.List;
import java.util.Objects;
import org.neurolake.model.api.ModelSpec;

/**
 * Output Distribution Matching (Sutskever, Jozefowicz, Gregor, Rezende, Lillicrap, Vinyals 2015,
 * "Towards Principled Unsupervised Learning"): a classifier F (the generator, a tanh MLP with a
 * softmax over {@code nClasses}) is trained so that windows of {@code window} consecutive
 * predictions F(x_t) on an unlabelled input sequence are indistinguishable from windows of a real
 * label sequence drawn independently; a discriminator D (a tanh MLP over the flattened window of
 * {@code window x nClasses} probability or one-hot vectors, the paper's 1-D convolution replaced by
 * a dense layer) estimates the divergence adversarially. An optional supervised cross-entropy term
 * uses the few labelled examples. Both networks live in one parameter vector (F first, then D) and
 * one Adam state, so the engine averages both. Build with {@link #builder(int, int)}.
 *
 * @param nIn input width (64 pixels of an 8x8 digit; the alphabet size for one-hot cipher symbols)
 * @param nClasses K, the classes of F and the symbols of the label source
 * @param generatorHidden F's tanh hidden layers (may be empty: a softmax regression)
 * @param discriminatorHidden D's tanh hidden layers
 * @param window consecutive positions a discriminator input holds (the paper: 20)
 * @param minibatchFeatures D also sees the mean of its input over the batch (its real or its fake
 *     windows), appended to every window (Salimans et al. 2016's minibatch features): without it F
 *     collapses several inputs onto one class, which single windows cannot reveal
 * @param realSmoothing D's real windows are (1 - realSmoothing) one-hot + realSmoothing / nClasses: F
 *     is then not driven into saturated softmax outputs, where its gradient vanishes and a rare class
 *     it has dropped is never picked up again
 * @param adversarialWeight weight of F's adversarial cost; 0 trains F on the labelled examples alone
 *     (the supervised baseline)
 * @param supervisedWeight weight of F's cross-entropy on the labelled rows of a batch
 * @param learningRate F's Adam rate until {@code setLearningRate} changes it
 * @param discriminatorRateScale D's Adam rate is F's times this (two time scales)
 * @param beta1 Adam's first-moment decay for both networks
 * @param clipNorm global gradient norm clip (0 = none)
 * @param seed parameter initialization
 * @param entropyWeight weight of the mean entropy of F's predictions on the unlabelled windows
 *     (sharpening): without it the n-gram cost is stuck at the predictions' marginal, where the
 *     unigram term is 0 and every input gets the same soft prediction
 * @param cost the divergence estimator: {@link OdmCost#ADVERSARIAL} (D) or {@link OdmCost#NGRAM}
 *     (unigram + bigram statistics matching, no D)
 * @param frequencyInit 0 (default): F starts from the seeded random weights. {@code s > 0} (a
 *     softmax regression F only, no hidden layer): F's weights start at 0 except s at (input column c,
 *     class {@code frequencyPrior[c]}), i.e. F starts as frequency analysis' guess with logit margin s
 *     (the cipher: from a near-uniform start the n-gram cost gives every symbol the same gradient and
 *     F slides to the label marginal)
 * @param frequencyPrior per input column, its class of the same frequency rank ({@link FrequencyRank},
 *     from the unlabelled inputs and the label sample; the training family fills it); empty when
 *     {@code frequencyInit} is 0
 */
public record OdmSpec(int nIn, int nClasses, List<Integer> generatorHidden, List<Integer> discriminatorHidden,
    int window, boolean minibatchFeatures, double realSmoothing, double adversarialWeight, double supervisedWeight,
    double learningRate, double discriminatorRateScale, double beta1,
    double clipNorm, long seed, OdmCost cost, double entropyWeight, double frequencyInit,
    List<Integer> frequencyPrior)
    implements ModelSpec {

  public static final List<Integer> DEFAULT_GENERATOR_HIDDEN = List.of(64);
  public static final List<Integer> DEFAULT_DISCRIMINATOR_HIDDEN = List.of(64);
  /** The paper's window of consecutive predictions. */
  public static final int DEFAULT_WINDOW = 20;
  public static final boolean DEFAULT_MINIBATCH_FEATURES = true;
  public static final double DEFAULT_REAL_SMOOTHING = 0.1;
  public static final double DEFAULT_ADVERSARIAL_WEIGHT = 1.0;
  public static final double DEFAULT_SUPERVISED_WEIGHT = 1.0;
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final double DEFAULT_DISCRIMINATOR_RATE_SCALE = 1.0;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_CLIP_NORM = 10.0;
  public static final long DEFAULT_SEED = 1;
  public static final OdmCost DEFAULT_COST = OdmCost.ADVERSARIAL;
  public static final double DEFAULT_ENTROPY_WEIGHT = 0;
  public static final double DEFAULT_FREQUENCY_INIT = 0;

  public OdmSpec {
    generatorHidden = List.copyOf(Objects.requireNonNull(generatorHidden, "generatorHidden"));
    discriminatorHidden = List.copyOf(Objects.requireNonNull(discriminatorHidden, "discriminatorHidden"));
    cost = cost == null ? DEFAULT_COST : cost;
    frequencyPrior = frequencyPrior == null ? List.of() : List.copyOf(frequencyPrior);
    if (nIn < 1 || nClasses < 2 || window < 1) {
      throw new IllegalArgumentException("need nIn >= 1, nClasses >= 2, window >= 1; got nIn=" + nIn + " nClasses="
          + nClasses + " window=" + window);
    }
    if (generatorHidden.stream().anyMatch(h -> h < 1) || discriminatorHidden.stream().anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("hidden layer widths must be >= 1: generator " + generatorHidden
          + ", discriminator " + discriminatorHidden);
    }
    if (!(realSmoothing >= 0 && realSmoothing < 1)) {
      throw new IllegalArgumentException("realSmoothing must be in [0, 1), got " + realSmoothing);
    }
    if (!(adversarialWeight >= 0) || !(supervisedWeight >= 0) || Double.isInfinite(adversarialWeight)
        || Double.isInfinite(supervisedWeight) || adversarialWeight + supervisedWeight == 0) {
      throw new IllegalArgumentException("the cost weights must be finite, >= 0 and not both 0; got adversarial="
          + adversarialWeight + " supervised=" + supervisedWeight);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
    }
    if (!(discriminatorRateScale > 0) || Double.isInfinite(discriminatorRateScale) || !(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("need discriminatorRateScale finite and > 0 and beta1 in [0, 1), got "
          + discriminatorRateScale + ", " + beta1);
    }
    if (!(entropyWeight >= 0) || Double.isInfinite(entropyWeight)) {
      throw new IllegalArgumentException("entropyWeight must be finite and >= 0, got " + entropyWeight);
    }
    if (!(frequencyInit >= 0) || Double.isInfinite(frequencyInit)) {
      throw new IllegalArgumentException("frequencyInit must be finite and >= 0, got " + frequencyInit);
    }
    if (frequencyInit > 0 && !generatorHidden.isEmpty()) {
      throw new IllegalArgumentException("frequencyInit needs a softmax-regression F (generatorHidden empty), got "
          + generatorHidden);
    }
    if (!frequencyPrior.isEmpty() && (frequencyPrior.size() != nIn
        || frequencyPrior.stream().anyMatch(c -> c < 0 || c >= nClasses))) {
      throw new IllegalArgumentException("frequencyPrior must give each of the " + nIn + " input columns a class in [0, "
          + nClasses + "), got " + frequencyPrior);
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0 = no clipping), got " + clipNorm);
    }
  }

  public static Builder builder(int nIn, int nClasses) {
    return new Builder(nIn, nClasses);
  }

  /** This spec as a builder, to change some fields. */
  public Builder toBuilder() {
    return new Builder(nIn, nClasses).generatorHidden(generatorHidden).discriminatorHidden(discriminatorHidden)
        .window(window).minibatchFeatures(minibatchFeatures).realSmoothing(realSmoothing)
        .adversarialWeight(adversarialWeight).supervisedWeight(supervisedWeight).learningRate(learningRate)
        .discriminatorRateScale(discriminatorRateScale).beta1(beta1).clipNorm(clipNorm).seed(seed).cost(cost)
        .entropyWeight(entropyWeight).frequencyInit(frequencyInit).frequencyPrior(frequencyPrior);
  }

  @Override
  public OdmModel build() {
    return new OdmModel(this);
  }

  /** F's layer widths: nIn, the hidden layers, nClasses. */
  int[] generatorWidths() {
    return widths(nIn, generatorHidden, nClasses);
  }

  /** D's layer widths: window x nClasses (twice with minibatch features), the hidden layers, 1 (the "real" logit). */
  int[] discriminatorWidths() {
    return widths(window * nClasses * (minibatchFeatures ? 2 : 1), discriminatorHidden, 1);
  }

  long generatorParameterCount() {
    return TanhMlp.parameterCount(generatorWidths());
  }

  @Override
  public long parameterCount() {
    return generatorParameterCount() + TanhMlp.parameterCount(discriminatorWidths());
  }

  private static int[] widths(int in, List<Integer> hidden, int out) {
    int[] w = new int[hidden.size() + 2];
    w[0] = in;
    for (int i = 0; i < hidden.size(); i++) {
      w[i + 1] = hidden.get(i);
    }
    w[w.length - 1] = out;
    return w;
  }

  /** Builds an {@link OdmSpec}; defaults are the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private final int nIn;
    private final int nClasses;
    private List<Integer> generatorHidden = DEFAULT_GENERATOR_HIDDEN;
    private List<Integer> discriminatorHidden = DEFAULT_DISCRIMINATOR_HIDDEN;
    private int window = DEFAULT_WINDOW;
    private boolean minibatchFeatures = DEFAULT_MINIBATCH_FEATURES;
    private double realSmoothing = DEFAULT_REAL_SMOOTHING;
    private double adversarialWeight = DEFAULT_ADVERSARIAL_WEIGHT;
    private double supervisedWeight = DEFAULT_SUPERVISED_WEIGHT;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double discriminatorRateScale = DEFAULT_DISCRIMINATOR_RATE_SCALE;
    private double beta1 = DEFAULT_BETA1;
    private double clipNorm = DEFAULT_CLIP_NORM;
    private long seed = DEFAULT_SEED;
    private OdmCost cost = DEFAULT_COST;
    private double entropyWeight = DEFAULT_ENTROPY_WEIGHT;
    private double frequencyInit = DEFAULT_FREQUENCY_INIT;
    private List<Integer> frequencyPrior = List.of();

    private Builder(int nIn, int nClasses) {
      this.nIn = nIn;
      this.nClasses = nClasses;
    }

    public Builder generatorHidden(List<Integer> hidden) {
      this.generatorHidden = hidden;
      return this;
    }

    public Builder discriminatorHidden(List<Integer> hidden) {
      this.discriminatorHidden = hidden;
      return this;
    }

    public Builder window(int window) {
      this.window = window;
      return this;
    }

    public Builder minibatchFeatures(boolean on) {
      this.minibatchFeatures = on;
      return this;
    }

    public Builder realSmoothing(double smoothing) {
      this.realSmoothing = smoothing;
      return this;
    }

    public Builder adversarialWeight(double w) {
      this.adversarialWeight = w;
      return this;
    }

    public Builder supervisedWeight(double w) {
      this.supervisedWeight = w;
      return this;
    }

    public Builder learningRate(double lr) {
      this.learningRate = lr;
      return this;
    }

    public Builder discriminatorRateScale(double scale) {
      this.discriminatorRateScale = scale;
      return this;
    }

    public Builder beta1(double beta1) {
      this.beta1 = beta1;
      return this;
    }

    public Builder clipNorm(double clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder cost(OdmCost cost) {
      this.cost = Objects.requireNonNull(cost, "cost");
      return this;
    }

    public Builder entropyWeight(double w) {
      this.entropyWeight = w;
      return this;
    }

    public Builder frequencyInit(double margin) {
      this.frequencyInit = margin;
      return this;
    }

    public Builder frequencyPrior(List<Integer> classOfInput) {
      this.frequencyPrior = classOfInput;
      return this;
    }

    public OdmSpec build() {
      return new OdmSpec(nIn, nClasses, generatorHidden, discriminatorHidden, window, minibatchFeatures,
          realSmoothing, adversarialWeight,
          supervisedWeight, learningRate, discriminatorRateScale, beta1, clipNorm, seed, cost, entropyWeight,
          frequencyInit, frequencyPrior);
    }
  }
}
