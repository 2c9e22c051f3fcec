package org.neurolake.model.lm;

import java.util.List;
import java.util.Objects;
import org.neurolake.model.api.ModelSpec;

/**
 * The word-level LSTM language model of "Exploring the Limits of Language Modeling" (Jozefowicz,
 * Vinyals, Schuster, Shazeer, Wu 2016): a word embedding or a character CNN as input, {@code layers}
 * LSTMs with projection (LSTMP: the forget gate's pre-activation gets +1, h is projected to
 * {@code projectionSize}), dropout on the inputs, between layers and on the outputs, and a softmax
 * over the vocabulary: full, or importance-sampled with {@code negatives} classes shared by the
 * batch for training (evaluation is always the full softmax). Trained with Adagrad (the paper's)
 * or Adam, global-norm gradient clipping and truncated BPTT over {@code unrollLength} tokens with
 * the state carried across the batches of a stream. Build with {@link #builder(int)}.
 *
 * @param vocabSize V, word ids 0 .. V-1 (inputs and targets)
 * @param input word embedding or character CNN
 * @param embeddingSize the LSTM's input width: the word embedding's, or the character CNN's projection
 * @param charCnn the character CNN (used with {@link InputKind#CHAR_CNN}; kept, unused, otherwise)
 * @param layers LSTM layers
 * @param hiddenSize H, cells per layer
 * @param projectionSize P, the projection of h (LSTMP); 0 = none (the layer's output is h)
 * @param inputDropout drop probability on the first LSTM's inputs
 * @param layerDropout drop probability between LSTM layers
 * @param outputDropout drop probability on the last LSTM's output, before the softmax
 * @param clipNorm the gradient's global L2 norm is scaled down to this when larger; 0 = no clipping
 * @param unrollLength tokens per truncated-BPTT window
 * @param batchStreams parallel streams, the rows of a training batch
 * @param softmax the training softmax
 * @param negatives K, sampled classes per batch with {@link SoftmaxKind#SAMPLED}
 * @param proposal the distribution the negatives are drawn from
 * @param unigramCounts with {@link Proposal#UNIGRAM}: the training count of every word id (V values,
 *     not all 0); empty otherwise
 * @param optimizer Adagrad or Adam
 * @param learningRate the rate until {@code setLearningRate} changes it
 * @param seed parameter initialization, dropout masks and negatives (mixed with the step)
 */
public record LstmLmSpec(int vocabSize, InputKind input, int embeddingSize, CharCnn charCnn, int layers,
    int hiddenSize, int projectionSize, double inputDropout, double layerDropout, double outputDropout,
    double clipNorm, int unrollLength, int batchStreams, SoftmaxKind softmax, int negatives, Proposal proposal,
    List<Long> unigramCounts, OptimizerKind optimizer, double learningRate, long seed) implements ModelSpec {

  /** How words enter the network. */
  public enum InputKind { WORD, CHAR_CNN }

  /** The softmax used by {@code fit}. */
  public enum SoftmaxKind { FULL, SAMPLED }

  /** Proposal of the sampled softmax's negatives. */
  public enum Proposal {
    /** P(k) = log((k + 2) / (k + 1)) / log(V + 1): Zipf-like, for ids in decreasing order of frequency. */
    LOG_UNIFORM,
    /** P(k) proportional to the training count of k. */
    UNIGRAM
  }

  public enum OptimizerKind { ADAGRAD, ADAM }

  public static final InputKind DEFAULT_INPUT = InputKind.WORD;
  public static final int DEFAULT_EMBEDDING_SIZE = 200;
  public static final int DEFAULT_LAYERS = 2;
  public static final int DEFAULT_HIDDEN_SIZE = 200;
  public static final int DEFAULT_PROJECTION_SIZE = 0;
  public static final double DEFAULT_DROPOUT = 0.0;
  /** Zaremba et al.'s PTB setting. */
  public static final double DEFAULT_CLIP_NORM = 5.0;
  public static final int DEFAULT_UNROLL_LENGTH = 20;
  public static final int DEFAULT_BATCH_STREAMS = 20;
  public static final SoftmaxKind DEFAULT_SOFTMAX = SoftmaxKind.FULL;
  public static final int DEFAULT_NEGATIVES = 1024;
  public static final Proposal DEFAULT_PROPOSAL = Proposal.LOG_UNIFORM;
  /** The paper's optimizer and rate. */
  public static final OptimizerKind DEFAULT_OPTIMIZER = OptimizerKind.ADAGRAD;
  public static final double DEFAULT_LEARNING_RATE = 0.2;
  public static final long DEFAULT_SEED = 1;

  public LstmLmSpec {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(softmax, "softmax");
    Objects.requireNonNull(proposal, "proposal");
    Objects.requireNonNull(optimizer, "optimizer");
    charCnn = charCnn == null ? CharCnn.defaults() : charCnn;
    unigramCounts = unigramCounts == null ? List.of() : List.copyOf(unigramCounts);
    if (vocabSize < 2 || embeddingSize < 1 || layers < 1 || hiddenSize < 1 || projectionSize < 0) {
      throw new IllegalArgumentException("need vocabSize >= 2, embeddingSize, layers, hiddenSize >= 1 and "
          + "projectionSize >= 0, got vocabSize=" + vocabSize + " embeddingSize=" + embeddingSize + " layers=" + layers
          + " hiddenSize=" + hiddenSize + " projectionSize=" + projectionSize);
    }
    checkDropout("inputDropout", inputDropout);
    checkDropout("layerDropout", layerDropout);
    checkDropout("outputDropout", outputDropout);
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0 = no clipping), got " + clipNorm);
    }
    if (unrollLength < 1 || batchStreams < 1) {
      throw new IllegalArgumentException("unrollLength and batchStreams must be >= 1, got " + unrollLength + ", "
          + batchStreams);
    }
    if (softmax == SoftmaxKind.SAMPLED && negatives < 1) {
      throw new IllegalArgumentException("the sampled softmax needs negatives >= 1 (drawn with replacement), got "
          + negatives);
    }
    if (negatives < 0) {
      throw new IllegalArgumentException("negatives must be >= 0, got " + negatives);
    }
    if (proposal == Proposal.UNIGRAM) {
      if (unigramCounts.size() != vocabSize || unigramCounts.stream().anyMatch(c -> c == null || c < 0)
          || unigramCounts.stream().mapToLong(Long::longValue).sum() == 0) {
        throw new IllegalArgumentException("the unigram proposal needs vocabSize (" + vocabSize + ") counts >= 0, "
            + "not all 0; got " + unigramCounts.size() + " counts");
      }
    } else if (!unigramCounts.isEmpty()) {
      throw new IllegalArgumentException("unigramCounts are for the unigram proposal only, the proposal is "
          + proposal);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
    }
    long count = ParameterLayout.of(vocabSize, input, embeddingSize, charCnn, layers, hiddenSize, projectionSize)
        .size();
    if (count > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("model too large: " + count + " parameters");
    }
  }

  private static void checkDropout(String name, double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException(name + " is a drop probability in [0, 1), got " + p);
    }
  }

  /** A builder with the {@code DEFAULT_*} settings for a vocabulary of {@code vocabSize} words. */
  public static Builder builder(int vocabSize) {
    return new Builder(vocabSize);
  }

  /** The width of each layer's output (and recurrent input): P, or H without projection. */
  public int outputSize() {
    return projectionSize > 0 ? projectionSize : hiddenSize;
  }

  /** Where each parameter group sits in the parameter vector. */
  public ParameterLayout layout() {
    return ParameterLayout.of(vocabSize, input, embeddingSize, charCnn, layers, hiddenSize, projectionSize);
  }

  @Override
  public LstmLmModel build() {
    return new LstmLmModel(this);
  }

  @Override
  public long parameterCount() {
    return layout().size();
  }

  public Builder toBuilder() {
    Builder b = new Builder(vocabSize);
    b.input = input;
    b.embeddingSize = embeddingSize;
    b.charCnn = charCnn;
    b.layers = layers;
    b.hiddenSize = hiddenSize;
    b.projectionSize = projectionSize;
    b.inputDropout = inputDropout;
    b.layerDropout = layerDropout;
    b.outputDropout = outputDropout;
    b.clipNorm = clipNorm;
    b.unrollLength = unrollLength;
    b.batchStreams = batchStreams;
    b.softmax = softmax;
    b.negatives = negatives;
    b.proposal = proposal;
    b.unigramCounts = unigramCounts;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.seed = seed;
    return b;
  }

  /** Mutable builder; {@link #build()} validates through the record's constructor. */
  public static final class Builder {
    private final int vocabSize;
    private InputKind input = DEFAULT_INPUT;
    private int embeddingSize = DEFAULT_EMBEDDING_SIZE;
    private CharCnn charCnn = CharCnn.defaults();
    private int layers = DEFAULT_LAYERS;
    private int hiddenSize = DEFAULT_HIDDEN_SIZE;
    private int projectionSize = DEFAULT_PROJECTION_SIZE;
    private double inputDropout = DEFAULT_DROPOUT;
    private double layerDropout = DEFAULT_DROPOUT;
    private double outputDropout = DEFAULT_DROPOUT;
    private double clipNorm = DEFAULT_CLIP_NORM;
    private int unrollLength = DEFAULT_UNROLL_LENGTH;
    private int batchStreams = DEFAULT_BATCH_STREAMS;
    private SoftmaxKind softmax = DEFAULT_SOFTMAX;
    private int negatives = DEFAULT_NEGATIVES;
    private Proposal proposal = DEFAULT_PROPOSAL;
    private List<Long> unigramCounts = List.of();
    private OptimizerKind optimizer = DEFAULT_OPTIMIZER;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private long seed = DEFAULT_SEED;

    private Builder(int vocabSize) {
      this.vocabSize = vocabSize;
    }

    /** Word-embedding input of width {@code embeddingSize}. */
    public Builder wordInput(int embeddingSize) {
      this.input = InputKind.WORD;
      this.embeddingSize = embeddingSize;
      return this;
    }

    /** Character-CNN input, projected to {@code embeddingSize}. */
    public Builder charCnnInput(CharCnn charCnn, int embeddingSize) {
      this.input = InputKind.CHAR_CNN;
      this.charCnn = Objects.requireNonNull(charCnn, "charCnn");
      this.embeddingSize = embeddingSize;
      return this;
    }

    public Builder layers(int layers) {
      this.layers = layers;
      return this;
    }

    public Builder hiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    /** P of LSTMP; 0 = no projection. */
    public Builder projectionSize(int projectionSize) {
      this.projectionSize = projectionSize;
      return this;
    }

    /** Drop probabilities on the inputs, between layers and on the outputs. */
    public Builder dropout(double inputs, double betweenLayers, double outputs) {
      this.inputDropout = inputs;
      this.layerDropout = betweenLayers;
      this.outputDropout = outputs;
      return this;
    }

    public Builder clipNorm(double clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder unrollLength(int unrollLength) {
      this.unrollLength = unrollLength;
      return this;
    }

    public Builder batchStreams(int batchStreams) {
      this.batchStreams = batchStreams;
      return this;
    }

    public Builder fullSoftmax() {
      this.softmax = SoftmaxKind.FULL;
      return this;
    }

    /** Importance-sampled softmax with {@code negatives} classes per batch from the log-uniform proposal. */
    public Builder sampledSoftmax(int negatives) {
      this.softmax = SoftmaxKind.SAMPLED;
      this.negatives = negatives;
      this.proposal = Proposal.LOG_UNIFORM;
      this.unigramCounts = List.of();
      return this;
    }

    /** Importance-sampled softmax with negatives drawn in proportion to {@code counts} (one per word id). */
    public Builder sampledSoftmax(int negatives, List<Long> counts) {
      this.softmax = SoftmaxKind.SAMPLED;
      this.negatives = negatives;
      this.proposal = Proposal.UNIGRAM;
      this.unigramCounts = counts;
      return this;
    }

    public Builder adagrad(double learningRate) {
      this.optimizer = OptimizerKind.ADAGRAD;
      this.learningRate = learningRate;
      return this;
    }

    public Builder adam(double learningRate) {
      this.optimizer = OptimizerKind.ADAM;
      this.learningRate = learningRate;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public LstmLmSpec build() {
      return new LstmLmSpec(vocabSize, input, embeddingSize, charCnn, layers, hiddenSize, projectionSize,
          inputDropout, layerDropout, outputDropout, clipNorm, unrollLength, batchStreams, softmax, negatives,
          proposal, unigramCounts, optimizer, learningRate, seed);
    }
  }
}
