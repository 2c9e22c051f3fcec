package org.neurolake.model.mlstm;

import org.neurolake.model.api.ComputePath;
import org.neurolake.model.api.ModelSpec;

/**
 * The byte-level multiplicative LSTM of "Learning to Generate Reviews and Discovering Sentiment"
 * (Radford, Jozefowicz, Sutskever 2017), as its released encoder: a 256 x {@code embeddingSize}
 * byte embedding, an mLSTM of {@code hiddenSize} units with weight normalization on its four
 * weight matrices, and a linear softmax layer over the next byte. Trained with Adam inside the
 * model, global-norm gradient clipping and truncated backpropagation through time.
 *
 * @param hiddenSize H, the mLSTM's units (the paper: 4096)
 * @param embeddingSize the byte embedding's width (the paper: 64)
 * @param learningRate Adam's rate until {@code setLearningRate} changes it (the paper: 5e-4)
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator term
 * @param clipNorm the gradient's global L2 norm is scaled down to this when larger; 0 = no clipping
 * @param tbpttLength bytes per truncated-BPTT chunk, used where the model cuts documents itself
 *     ({@link MlstmModel#finalCellStates}); training batches bring their own length (the paper: 256)
 * @param seed parameter initialization
 * @param compute how training steps compute ({@code model.compute}): {@code fused-cpu}, the fused
 *     vector-API kernels on the host ({@link MlstmNetwork}); {@code nd4j}, ND4J operations only, on
 *     the backend's device ({@link Nd4jMlstmPass}); {@code auto} (the default, and what a spec
 *     written before this field reads as), nd4j when ND4J's backend is not the CPU one. Both paths
 *     compute the same function with the same parameters, so a checkpoint moves between them.
 */
public record MlstmSpec(int hiddenSize, int embeddingSize, double learningRate, double beta1, double beta2,
    double epsilon, double clipNorm, int tbpttLength, long seed, ComputePath compute) implements ModelSpec {

  /** The byte vocabulary: inputs and outputs are bytes. */
  public static final int VOCABULARY = 256;

  public MlstmSpec {
    compute = compute == null ? ComputePath.AUTO : compute;
    if (hiddenSize < 1 || embeddingSize < 1 || tbpttLength < 1) {
      throw new IllegalArgumentException("hiddenSize, embeddingSize and tbpttLength must be >= 1, got hiddenSize="
          + hiddenSize + " embeddingSize=" + embeddingSize + " tbpttLength=" + tbpttLength);
    }
    if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
        || !(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("bad optimizer settings: learningRate=" + learningRate + " beta1=" + beta1
          + " beta2=" + beta2 + " epsilon=" + epsilon + " clipNorm=" + clipNorm
          + " (need rate > 0, betas in [0, 1), epsilon > 0, finite clipNorm >= 0)");
    }
  }

  /** A spec that computes as {@link ComputePath#AUTO} picks. */
  public MlstmSpec(int hiddenSize, int embeddingSize, double learningRate, double beta1, double beta2, double epsilon,
      double clipNorm, int tbpttLength, long seed) {
    this(hiddenSize, embeddingSize, learningRate, beta1, beta2, epsilon, clipNorm, tbpttLength, seed,
        ComputePath.AUTO);
  }

  /** This spec computing through {@code path}. */
  public MlstmSpec withCompute(ComputePath path) {
    return new MlstmSpec(hiddenSize, embeddingSize, learningRate, beta1, beta2, epsilon, clipNorm, tbpttLength, seed,
        path);
  }

  /** The paper's settings (embedding 64, Adam 5e-4 / 0.9 / 0.999 / 1e-8, 256-byte chunks), clipping at norm 5. */
  public static MlstmSpec of(int hiddenSize, long seed) {
    return new MlstmSpec(hiddenSize, 64, 5e-4, 0.9, 0.999, 1e-8, 5.0, 256, seed);
  }


  @Override
  public MlstmModel build() {
    return new MlstmModel(this);
  }

  /** Number of trainable parameters (see {@link ParameterLayout} for their order). */
  @Override
  public long parameterCount() {
    return ParameterLayout.of(this).size();
  }
}
