package org.neurolake.model.lfads;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.AbstractTrainableModel;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.optim.Adam;
import org.neurolake.model.optim.AdamSettings;
import org.neurolake.model.optim.EpsilonPlacement;
import org.neurolake.model.optim.Nd4jAdam;
import org.neurolake.model.optim.OptimizerState;

/**
 * LFADS as a {@link TrainableModel}: see {@link LfadsSpec} for the architecture, {@link
 * ParameterLayout} for the parameter order and {@link SpikeShard} for the batch layout (features
 * [trials, bins, nIn] held-in counts, labels [trials, bins, nOut] all counts).
 *
 * <p>{@link #fit} is one {@link Adam} step (scalar kernel; TensorFlow's form, {@link
 * EpsilonPlacement#ALPHA_T}: epsilon added to the uncorrected sqrt(v)) on the cost of {@link
 * LfadsSpec}, after clipping the gradient's global norm to the spec's maxGradNorm; its dropout masks
 * (coordinated dropout's included, see {@link LfadsSpec#coordinatedDropout()}) and posterior noise
 * come from the spec's seed mixed with {@link #step()}, so the same parameters,
 * state, step and batch give the same result. The optimizer state is Adam's m then v, 2 x
 * parameterCount values. A non-finite loss or gradient throws {@link IllegalStateException} and
 * leaves the model unchanged.
 *
 * <p>Compute ({@link LfadsSpec#compute()}, resolved once at construction): on the fused CPU path
 * the parameters live in an off-heap buffer and a step runs {@link LfadsGraph} and {@link Adam}; on
 * the ND4J path they live in an INDArray (on the backend's device) and a step runs {@link
 * Nd4jLfadsPass} and {@link Nd4jAdam}, the same cost, gradient and update with the same randomness.
 * {@link #evaluate} and {@link #infer} run their forward passes on the same path (the ND4J path
 * copies each pass's rates, factors and posterior means to the host once).
 */
public final class LfadsModel extends AbstractTrainableModel {
  private static final long EVALUATION_STREAM = 0x5EED_E7A1L;
  /** Trials per forward pass in {@link #evaluate} and {@link #infer}. */
  static final int CHUNK = 128;

  private final LfadsSpec spec;
  private final ParameterLayout layout;
  private final Buf theta;
  private final Buf grad;
  private final Adam adam;
  private final LfadsGraph graph;
  private final ComputePath compute;
  /** The ND4J path's parameters, gradient, pass and optimizer (null on the fused path). */
  private final Nd4jBlocks thetaNd;
  private final Nd4jBlocks gradNd;
  private final Nd4jLfadsPass pass;
  private final Nd4jAdam adamNd;
  /** On the ND4J path: the outputs of the last evaluation or inference forward pass. */
  private PassOutputs outputs;
  /** On the ND4J path: whether {@link #theta} lags behind {@link #thetaNd} (a step ran since the last copy). */
  private boolean hostStale;
  private CostTerms lastTraining;

  public LfadsModel(LfadsSpec spec) {
    super(spec.learningRate(), RateBound.POSITIVE);
    this.spec = spec;
    this.layout = new ParameterLayout(spec);
    this.theta = new Buf(layout.size());
    this.grad = new Buf(layout.size());
    AdamSettings adamSettings = AdamSettings.builder().withBeta1(spec.adamBeta1()).withBeta2(spec.adamBeta2())
        .withEpsilon(spec.adamEpsilon()).withClipNorm(spec.maxGradNorm())
        .withEpsilonPlacement(EpsilonPlacement.ALPHA_T).build();
    this.graph = new LfadsGraph(spec, layout, theta, grad);
    this.compute = spec.compute().resolve();
    initialize();
    if (compute == ComputePath.ND4J) {
      this.adam = null;
      this.thetaNd = new Nd4jBlocks(layout);
      this.gradNd = new Nd4jBlocks(layout);
      this.pass = new Nd4jLfadsPass(spec, layout, thetaNd, gradNd);
      this.adamNd = new Nd4jAdam(adamSettings, layout.size());
      thetaNd.flat().assign(Nd4j.createFromArray(theta.toArray()));
    } else {
      this.adam = new Adam(adamSettings, layout.size());
      this.thetaNd = null;
      this.gradNd = null;
      this.pass = null;
      this.adamNd = null;
    }
  }

  /** The implementation this model's training steps run on: {@code fused-cpu} or {@code nd4j} (auto resolved). */
  public ComputePath compute() {
    return compute;
  }

  /** On the ND4J path, brings the host parameter buffer up to date (for evaluation and inference). */
  private void syncHost() {
    if (hostStale) {
      theta.copyFrom(thetaNd.flat().toFloatVector());
      hostStale = false;
    }
  }

  /**
   * The reference's initialization (N(0, 1/fan-in) weights, zero biases and initial states, identity
   * g0-to-generator map when g0Dim = genDim, prior log-variances from the spec), except the
   * posteriors' log-variance biases (see below).
   */
  private void initialize() {
    SplittableRandom rng = new SplittableRandom(spec.seed());
    for (ParameterLayout.Block b : layout.blocks()) {
      String name = b.name();
      String tensor = name.substring(name.indexOf('/') + 1);
      String cell = name.substring(0, name.indexOf('/'));
      boolean encoder = cell.endsWith("_enc_fwd") || cell.endsWith("_enc_bwd");
      switch (tensor) {
        case "wx", "wh_ru", "wh_c" -> {
          int hidden = layout.block(cell + "/wh_c").rows();
          int inputs = layout.has(cell + "/wx") ? layout.block(cell + "/wx").rows() : 0;
          // Encoders are the reference's GRU (one linear map of [x, h]); gen and con its GenGRU.
          double fanIn = encoder ? inputs + hidden : (tensor.equals("wx") ? inputs : hidden);
          gaussian(rng, b, 1.0 / Math.sqrt(fanIn));
        }
        case "w" -> {
          if (name.equals("g0_to_gen/w") && b.rows() == b.cols()) {
            for (int i = 0; i < b.rows(); i++) {
              theta.set(b.offset() + i * b.cols() + i, 1f);
            }
          } else {
            gaussian(rng, b, 1.0 / Math.sqrt(b.rows()));
          }
        }
        case "logvar" -> fill(b, Math.log(spec.g0PriorVar()));
        case "log_tau" -> fill(b, Math.log(spec.arTau()));
        case "log_noise_var" -> fill(b, Math.log(spec.arNoiseVar()));
        case "b" -> {
          fill(b, 0.0);
          // Posterior log-variance biases start at the prior's variance instead of the reference's
          // 0 (variance 1, several times the means' spread): the samples start informative.
          if (name.equals("g0_post/b")) {
            theta.fill(b.offset() + spec.g0Dim(), spec.g0Dim(), (float) Math.log(spec.g0PriorVar()));
          } else if (name.equals("u_post/b")) {
            theta.fill(b.offset() + spec.inputDim(), spec.inputDim(), (float) Math.log(spec.arNoiseVar()));
          }
        }
        case "b_ru", "b_c", "h0", "mean" -> fill(b, 0.0);
        default -> throw new IllegalStateException("no initialization for parameter block " + name);
      }
    }
  }

  private void gaussian(SplittableRandom rng, ParameterLayout.Block b, double std) {
    for (int i = 0; i < b.size(); i++) {
      theta.set(b.offset() + i, (float) (std * rng.nextGaussian()));
    }
  }

  private void fill(ParameterLayout.Block b, double v) {
    theta.fill(b.offset(), b.size(), (float) v);
  }

  @Override
  public LfadsSpec spec() {
    return spec;
  }

  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public long parameterCount() {
    return layout.size();
  }

  @Override
  public float[] parameters() {
    return pass != null ? thetaNd.flat().toFloatVector() : theta.toArray();
  }

  @Override
  public void setParameters(float[] parameters) {
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " LFADS parameters, got " + parameters.length);
    }
    theta.copyFrom(parameters);
    if (pass != null) {
      thetaNd.flat().assign(Nd4j.createFromArray(parameters));
      hostStale = false;
    }
  }

  /** Adam's first moments, then its second moments, each in parameter order (see {@link Adam#state()}). */
  @Override
  protected OptimizerState optimizer() {
    return pass != null ? adamNd : adam;
  }

  @Override
  public double fit(Batch batch) {
    CostTerms cost;
    if (pass != null) {
      TrialBatch.check(batch, spec);
      int trials = (int) batch.features().size(0);
      int bins = (int) batch.features().size(1);
      PassNoise noise = new PassNoise(spec, trials, bins, PassMode.TRAIN, Seeds.mix(spec.seed(), step()));
      cost = pass.costAndGradient(batch, noise, spec.klWeight(step()), spec.l2Weight(step()));
    } else {
      cost = costAndGradient(TrialBatch.of(batch, spec), PassMode.TRAIN, Seeds.mix(spec.seed(), step()));
    }
    if (!Double.isFinite(cost.total())) {
      throw new IllegalStateException("non-finite LFADS loss at step " + step() + ": " + cost);
    }
    if (pass != null) {
      adamNd.step(thetaNd.flat(), gradNd.flat(), learningRate(), step() + 1);
      hostStale = true;
    } else {
      adam.step(theta.floats(), grad.floats(), learningRate(), step() + 1);
    }
    lastTraining = cost;
    advanceStep();
    return cost.total();
  }

  /** The cost terms of the last {@link #fit} (null before the first). */
  public Map<String, Double> lastTrainingTerms() {
    return lastTraining == null ? null : terms(lastTraining);
  }

  /** Forward and backward pass: fills the gradient buffer. */
  CostTerms costAndGradient(TrialBatch tb, PassMode mode, long noiseSeed) {
    if (pass != null) {
      PassNoise noise = new PassNoise(spec, tb.trials(), tb.bins(), mode, noiseSeed);
      return pass.costAndGradient(tb, noise, spec.klWeight(step()), spec.l2Weight(step()));
    }
    CostTerms cost = forward(tb, mode, noiseSeed);
    graph.backward();
    return cost;
  }

  CostTerms forward(TrialBatch tb, PassMode mode, long noiseSeed) {
    return forward(tb, mode, noiseSeed, 0);
  }

  /** A forward pass that runs the generator {@code ahead} steps past the batch's bins (see {@link LfadsGraph}). */
  CostTerms forward(TrialBatch tb, PassMode mode, long noiseSeed, int ahead) {
    PassNoise noise = new PassNoise(spec, tb.trials(), tb.bins() + ahead, mode, noiseSeed);
    if (pass != null) {
      int rows = tb.trials() * tb.bins();
      CostTerms cost = pass.forward(Nd4j.createFromArray(tb.x()).reshape('c', rows, spec.nIn()),
          Nd4j.createFromArray(tb.y()).reshape('c', rows, spec.nOut()), tb.trials(), tb.bins(), ahead, noise,
          spec.klWeight(step()), spec.l2Weight(step()));
      outputs = pass.outputs();
      return cost;
    }
    return graph.forward(tb.x(), tb.y(), tb.trials(), tb.bins(), ahead, noise, spec.klWeight(step()),
        spec.l2Weight(step()));
  }

  /** A copy of the gradient of the last {@link #costAndGradient}. */
  float[] gradient() {
    return pass != null ? gradNd.flat().toFloatVector() : grad.toArray();
  }

  /**
   * Metrics of {@code batch}, without dropout (nor coordinated dropout: every entry is input and
   * in the cost) and without changing the model. {@code loss}
   * (the training objective at the current step's KL and L2 weights), {@code nll}, {@code kl_g0},
   * {@code kl_u}, {@code l2}, {@code neg_elbo} (nll + KLs) come from one pass with posterior
   * samples drawn from a fixed seed (per trial; nll sums bins and neurons). {@code bits_per_spike}
   * (all nOut neurons), {@code bits_per_spike_heldin} and, when nOut > nIn, {@code co_bps} (held-out
   * neurons) compare the Poisson log-likelihood of the posterior-mean rates with that of each
   * neuron's mean count over the batch, per spike, in bits. {@code kl_weight} and {@code l2_weight}
   * are the ramps at the current step. Large batches are processed in chunks of {@value #CHUNK} trials.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    TrialBatch all = TrialBatch.of(batch, spec);
    int n = all.trials();
    int bins = all.bins();
    int nOut = spec.nOut();
    double[] neuronMean = new double[nOut];
    for (int i = 0; i < all.y().length; i++) {
      neuronMean[i % nOut] += all.y()[i] / ((double) n * bins);
    }
    double total = 0;
    double nll = 0;
    double klG0 = 0;
    double klU = 0;
    CostTerms last = null;
    double[] llModel = new double[nOut];
    double[] llNull = new double[nOut];
    double[] spikes = new double[nOut];
    long evalSeed = Seeds.mix(spec.seed(), EVALUATION_STREAM);
    for (int from = 0; from < n; from += CHUNK) {
      int size = Math.min(CHUNK, n - from);
      TrialBatch tb = all.slice(from, size);
      last = forward(tb, PassMode.SAMPLE, Seeds.mix(evalSeed, from));
      double w = (double) size / n;
      total += w * last.total();
      nll += w * last.nll();
      klG0 += w * last.klG0();
      klU += w * last.klU();
      forward(tb, PassMode.MEAN, 0);
      for (int t = 0; t < bins; t++) {
        for (int r = 0; r < size; r++) {
          for (int j = 0; j < nOut; j++) {
            double k = tb.y()[(t * size + r) * nOut + j];
            double rate = rate(t, r, j);
            llModel[j] += k * Math.log(rate) - rate;
            llNull[j] += (k > 0 ? k * Math.log(neuronMean[j]) : 0.0) - neuronMean[j];
            spikes[j] += k;
          }
        }
      }
    }
    Map<String, Double> out = terms(new CostTerms(total, nll, klG0, klU, last.l2(), last.klWeight(),
        last.l2Weight()));
    out.put("bits_per_spike", bitsPerSpike(llModel, llNull, spikes, 0, nOut));
    out.put("bits_per_spike_heldin", bitsPerSpike(llModel, llNull, spikes, 0, spec.nIn()));
    if (nOut > spec.nIn()) {
      out.put("co_bps", bitsPerSpike(llModel, llNull, spikes, spec.nIn(), nOut));
    }
    return out;
  }

  private static Map<String, Double> terms(CostTerms c) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", c.total());
    m.put("nll", c.nll());
    m.put("kl_g0", c.klG0());
    m.put("kl_u", c.klU());
    m.put("l2", c.l2());
    m.put("neg_elbo", c.negElbo());
    m.put("kl_weight", c.klWeight());
    m.put("l2_weight", c.l2Weight());
    return m;
  }

  /** (LL(model rates) - LL(per-neuron mean count)) / (spikes ln 2) over neurons [from, to). */
  private static double bitsPerSpike(double[] llModel, double[] llNull, double[] spikes, int from, int to) {
    double gain = 0;
    double count = 0;
    for (int j = from; j < to; j++) {
      gain += llModel[j] - llNull[j];
      count += spikes[j];
    }
    return count > 0 ? gain / (count * Math.log(2)) : Double.NaN;
  }

  /**
   * Posterior sample-and-average without dropout of either kind: {@code samples} posterior samples (g0 and u),
   * their noise from {@code seed}, averaged; {@code samples = 0} runs once at the posterior means
   * instead. Only the batch's features (held-in counts) are used; a trial's output does not depend
   * on the other trials of the batch. Large batches are processed in chunks of {@value #CHUNK}
   * trials. Does not change the model.
   */
  public LfadsOutput infer(Batch batch, int samples, long seed) {
    return infer(batch, samples, seed, 0);
  }

  /**
   * {@link #infer(Batch, int, long)} with forward prediction: the outputs cover the batch's bins and
   * then {@code forwardBins} more, for which the generator runs on past the data with inferred
   * inputs 0 (the inputs' prior mean); rates and factors there come from the generator as at any
   * bin. The outputs of the batch's own bins are those of {@code forwardBins = 0}.
   */
  public LfadsOutput infer(Batch batch, int samples, long seed, int forwardBins) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0: " + samples);
    }
    if (forwardBins < 0) {
      throw new IllegalArgumentException("forward bins must be >= 0: " + forwardBins);
    }
    TrialBatch all = TrialBatch.of(batch, spec);
    int n = all.trials();
    int bins = all.bins() + forwardBins;
    float[][][] rates = new float[n][bins][spec.nOut()];
    float[][][] factors = new float[n][bins][spec.factors()];
    float[][][] inputs = new float[n][bins][spec.inputDim()];
    float[][] g0 = new float[n][spec.g0Dim()];
    int passes = Math.max(1, samples);
    float w = 1f / passes;
    for (int from = 0; from < n; from += CHUNK) {
      int size = Math.min(CHUNK, n - from);
      TrialBatch tb = all.slice(from, size);
      for (int s = 0; s < passes; s++) {
        forward(tb, samples == 0 ? PassMode.MEAN : PassMode.SAMPLE, Seeds.mix(Seeds.mix(seed, s), from), forwardBins);
        for (int r = 0; r < size; r++) {
          for (int t = 0; t < bins; t++) {
            float[] rr = rates[from + r][t];
            for (int j = 0; j < rr.length; j++) {
              rr[j] += w * rate(t, r, j);
            }
            float[] ff = factors[from + r][t];
            for (int j = 0; j < ff.length; j++) {
              ff[j] += w * factor(t, r, j);
            }
            float[] uu = inputs[from + r][t];
            for (int d = 0; d < uu.length; d++) {
              uu[d] += w * inputMean(t, r, d);
            }
          }
          if (s == 0) {
            for (int z = 0; z < spec.g0Dim(); z++) {
              g0[from + r][z] = g0Mean(r, z);
            }
          }
        }
      }
    }
    return new LfadsOutput(rates, factors, inputs, g0);
  }

  // --- outputs of the last forward pass, from whichever path ran it ---

  private float rate(int t, int r, int n) {
    return pass != null ? outputs.rate(t, r, n) : graph.rate(t, r, n);
  }

  private float factor(int t, int r, int j) {
    return pass != null ? outputs.factor(t, r, j) : graph.factor(t, r, j);
  }

  private float inputMean(int t, int r, int d) {
    return pass != null ? outputs.inputMean(t, r, d) : graph.inputMean(t, r, d);
  }

  private float g0Mean(int r, int z) {
    return pass != null ? outputs.g0Mean(r, z) : graph.g0Mean(r, z);
  }

  /** The factor readout after per-factor normalization, [genDim][factors]; each column has unit L2 norm. */
  public float[][] normalizedFactorWeights() {
    syncHost();
    graph.refreshFactorWeights();
    float[][] w = new float[spec.genDim()][spec.factors()];
    for (int i = 0; i < spec.genDim(); i++) {
      for (int j = 0; j < spec.factors(); j++) {
        w[i][j] = graph.normalizedFactorWeight(i, j);
      }
    }
    return w;
  }
}
