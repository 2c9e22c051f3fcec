package org.neurolake.model.lfads;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.TrainableModel;

/**
 * LFADS as a {@link TrainableModel}: see {@link LfadsSpec} for the architecture, {@link
 * ParameterLayout} for the parameter order and {@link SpikeShard} for the batch layout (features
 * [trials, bins, nIn] held-in counts, labels [trials, bins, nOut] all counts).
 *
 * <p>{@link #fit} is one Adam step (TensorFlow's form, epsilon after bias correction) on the cost
 * of {@link LfadsSpec}, after clipping the gradient's global norm; its dropout masks and posterior
 * noise come from the spec's seed mixed with {@link #step()}, so the same parameters, state, step
 * and batch give the same result. The optimizer state is Adam's m then v, 2 x numParameters values.
 * A non-finite loss or gradient throws {@link IllegalStateException} and leaves the model unchanged.
 */
public final class LfadsModel implements TrainableModel {
  private static final long EVALUATION_STREAM = 0x5EED_E7A1L;

  private final LfadsSpec spec;
  private final ParameterLayout layout;
  private final Buf theta;
  private final Buf grad;
  private final float[] adamM;
  private final float[] adamV;
  private final LfadsGraph graph;
  private double learningRate;
  private long step;
  private CostTerms lastTraining;

  public LfadsModel(LfadsSpec spec) {
    this.spec = spec;
    this.layout = new ParameterLayout(spec);
    this.theta = new Buf(layout.size());
    this.grad = new Buf(layout.size());
    this.adamM = new float[layout.size()];
    this.adamV = new float[layout.size()];
    this.graph = new LfadsGraph(spec, layout, theta, grad);
    this.learningRate = spec.learningRate();
    initialize();
  }

  /** The reference's initialization: N(0, 1/fan-in) weights, zero biases and initial states. */
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
        case "b", "b_ru", "b_c", "h0", "mean" -> fill(b, 0.0);
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
  public long numParameters() {
    return layout.size();
  }

  @Override
  public float[] parameters() {
    return theta.toArray();
  }

  @Override
  public void setParameters(float[] parameters) {
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException("expected " + layout.size() + " LFADS parameters, got " + parameters.length);
    }
    theta.copyFrom(parameters);
  }

  @Override
  public float[] optimizerState() {
    float[] s = new float[2 * adamM.length];
    System.arraycopy(adamM, 0, s, 0, adamM.length);
    System.arraycopy(adamV, 0, s, adamM.length, adamV.length);
    return s;
  }

  @Override
  public void setOptimizerState(float[] state) {
    if (state.length != 2 * adamM.length) {
      throw new IllegalArgumentException("expected " + 2 * adamM.length + " optimizer state values (Adam m then v), got "
          + state.length);
    }
    System.arraycopy(state, 0, adamM, 0, adamM.length);
    System.arraycopy(state, adamM.length, adamV, 0, adamV.length);
  }

  @Override
  public void setLearningRate(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive and finite: " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public void setStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0: " + step);
    }
    this.step = step;
  }

  @Override
  public double fit(Batch batch) {
    TrialBatch tb = TrialBatch.of(batch, spec);
    CostTerms cost = costAndGradient(tb, PassMode.TRAIN, Seeds.mix(spec.seed(), step));
    if (!Double.isFinite(cost.total())) {
      throw new IllegalStateException("non-finite LFADS loss at step " + step + ": " + cost);
    }
    adamStep();
    lastTraining = cost;
    step++;
    return cost.total();
  }

  /** The cost terms of the last {@link #fit} (null before the first). */
  public Map<String, Double> lastTrainingTerms() {
    return lastTraining == null ? null : terms(lastTraining);
  }

  /** Forward and backward pass: fills the gradient buffer. */
  CostTerms costAndGradient(TrialBatch tb, PassMode mode, long noiseSeed) {
    CostTerms cost = forward(tb, mode, noiseSeed);
    graph.backward();
    return cost;
  }

  CostTerms forward(TrialBatch tb, PassMode mode, long noiseSeed) {
    PassNoise noise = new PassNoise(spec, tb.trials(), tb.bins(), mode, noiseSeed);
    return graph.forward(tb.x(), tb.y(), tb.trials(), tb.bins(), noise, spec.klWeight(step), spec.l2Weight(step));
  }

  /** A copy of the gradient of the last {@link #costAndGradient}. */
  float[] gradient() {
    return grad.toArray();
  }

  private void adamStep() {
    int n = layout.size();
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double g = grad.get(i);
      sq += g * g;
    }
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("non-finite LFADS gradient at step " + step);
    }
    double max = spec.maxGradNorm();
    float clip = (float) (max > 0 && norm > max ? max / norm : 1.0);
    long t = step + 1;
    double b1 = spec.adamBeta1();
    double b2 = spec.adamBeta2();
    float rate = (float) (learningRate * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
    float fb1 = (float) b1;
    float fb2 = (float) b2;
    float eps = (float) spec.adamEpsilon();
    for (int i = 0; i < n; i++) {
      float g = grad.get(i) * clip;
      float m = fb1 * adamM[i] + (1 - fb1) * g;
      float v = fb2 * adamV[i] + (1 - fb2) * g * g;
      adamM[i] = m;
      adamV[i] = v;
      theta.set(i, theta.get(i) - rate * m / ((float) Math.sqrt(v) + eps));
    }
  }

  /**
   * Metrics of {@code batch}, without dropout and without changing the model. {@code loss}
   * (the training objective at the current step's KL and L2 weights), {@code nll}, {@code kl_g0},
   * {@code kl_u}, {@code l2}, {@code neg_elbo} (nll + KLs) come from one pass with posterior
   * samples drawn from a fixed seed (per trial; nll sums bins and neurons). {@code bits_per_spike}
   * (all nOut neurons), {@code bits_per_spike_heldin} and, when nOut > nIn, {@code co_bps} (held-out
   * neurons) compare the Poisson log-likelihood of the posterior-mean rates with that of each
   * neuron's mean count over the batch, per spike, in bits. {@code kl_weight} and {@code l2_weight}
   * are the ramps at the current step.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    TrialBatch tb = TrialBatch.of(batch, spec);
    Map<String, Double> out = terms(forward(tb, PassMode.SAMPLE, Seeds.mix(spec.seed(), EVALUATION_STREAM)));
    forward(tb, PassMode.MEAN, 0);
    out.put("bits_per_spike", bitsPerSpike(tb, 0, spec.nOut()));
    out.put("bits_per_spike_heldin", bitsPerSpike(tb, 0, spec.nIn()));
    if (spec.nOut() > spec.nIn()) {
      out.put("co_bps", bitsPerSpike(tb, spec.nIn(), spec.nOut()));
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
  private double bitsPerSpike(TrialBatch tb, int from, int to) {
    int n = tb.trials();
    int bins = tb.bins();
    int nOut = spec.nOut();
    double llModel = 0;
    double llNull = 0;
    double spikes = 0;
    for (int j = from; j < to; j++) {
      double total = 0;
      for (int t = 0; t < bins; t++) {
        for (int r = 0; r < n; r++) {
          total += tb.y()[(t * n + r) * nOut + j];
        }
      }
      double mean = total / ((double) n * bins);
      for (int t = 0; t < bins; t++) {
        for (int r = 0; r < n; r++) {
          double k = tb.y()[(t * n + r) * nOut + j];
          double rate = graph.rate(t, r, j);
          llModel += k * Math.log(rate) - rate;
          llNull += (k > 0 ? k * Math.log(mean) : 0.0) - mean;
        }
      }
      spikes += total;
    }
    return spikes > 0 ? (llModel - llNull) / (spikes * Math.log(2)) : Double.NaN;
  }

  /**
   * Posterior sample-and-average without dropout: {@code samples} posterior samples (g0 and u),
   * their noise from {@code seed}, averaged; {@code samples = 0} runs once at the posterior means
   * instead. Only the batch's features (held-in counts) are used. Does not change the model.
   */
  public LfadsOutput infer(Batch batch, int samples, long seed) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0: " + samples);
    }
    TrialBatch tb = TrialBatch.of(batch, spec);
    int n = tb.trials();
    int bins = tb.bins();
    float[][][] rates = new float[n][bins][spec.nOut()];
    float[][][] factors = new float[n][bins][spec.factors()];
    float[][][] inputs = new float[n][bins][spec.inputDim()];
    float[][] g0 = new float[n][spec.g0Dim()];
    int passes = Math.max(1, samples);
    float w = 1f / passes;
    for (int s = 0; s < passes; s++) {
      forward(tb, samples == 0 ? PassMode.MEAN : PassMode.SAMPLE, Seeds.mix(seed, s));
      for (int r = 0; r < n; r++) {
        for (int t = 0; t < bins; t++) {
          for (int j = 0; j < spec.nOut(); j++) {
            rates[r][t][j] += w * graph.rate(t, r, j);
          }
          for (int j = 0; j < spec.factors(); j++) {
            factors[r][t][j] += w * graph.factor(t, r, j);
          }
          for (int d = 0; d < spec.inputDim(); d++) {
            inputs[r][t][d] += w * graph.inputMean(t, r, d);
          }
        }
        if (s == 0) {
          for (int z = 0; z < spec.g0Dim(); z++) {
            g0[r][z] = graph.g0Mean(r, z);
          }
        }
      }
    }
    return new LfadsOutput(rates, factors, inputs, g0);
  }

  /** The factor readout after per-factor normalization, [genDim][factors]; each column has unit L2 norm. */
  public float[][] normalizedFactorWeights() {
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
