package org.neurolake.model.lfads;

import org.neurolake.model.api.ComputePath;
import org.neurolake.model.api.ModelSpec;

/**
 * LFADS (Sussillo, Jozefowicz, Abbott, Pandarinath 2016): a sequential variational autoencoder of
 * spike-count trials, as in the reference {@code lfads.py}. Sizes, regularization, optimizer and seed;
 * the trial length is not part of the spec (any number of bins per batch works).
 *
 * <p>Cost of a batch (what {@code fit} minimizes and returns), every term averaged over its trials:
 * minus the Poisson log-likelihood of the counts summed over bins and all nOut neurons (as the
 * reference; in training with coordinated dropout only over the dropped held-in entries and all
 * held-out ones), plus {@code klWeight(step)} (= klScale x the KL ramp) x (KL(q(g0) || p(g0)) in closed form + KL_u), plus
 * {@code l2Weight(step)} x L2. KL_u = sum over t of log q(u_t) - log p(u_t | u_{t-1}) at the
 * posterior sample (the reference's estimate). L2 = (l2GenScale/2 ||generator recurrent weights||^2 +
 * l2ConScale/2 ||controller recurrent weights||^2) / (number of those weights), the reference's
 * normalization.
 *
 * <p>Differences from the reference: no separate read-in layer (the encoders' input weights do
 * that job); one dropout mask on the data shared by all encoders; the g0 prior's variance is freely
 * learnable (the reference's defaults pin it at 0.1); g0 maps to the generator's initial state by a
 * learnable linear layer initialized to the identity when g0Dim = genDim (the reference uses a fixed
 * identity then); the posteriors' log-variance biases start at the prior variances instead of 0; the
 * L2 penalty covers the recurrent weight matrices, not their biases.
 *
 * @param nIn neurons fed to the encoders (held-in, the first {@code nIn} of the likelihood's neurons)
 * @param nOut neurons in the Poisson likelihood, {@code >= nIn} (held-in first, then held-out)
 * @param icEncDim initial-condition encoder GRU size (per direction)
 * @param g0Dim size of the initial-condition latent g0
 * @param genDim generator GRU size
 * @param factors number of factors (unit-norm readout of the generator)
 * @param ciEncDim controller-input encoder GRU size (per direction); 0 with the controller off
 * @param controllerDim controller GRU size; 0 with the controller off
 * @param inputDim inferred-input dimension u_t; 0 with the controller off
 * @param controllerLag the controller at t sees the forward encoder at t - lag and the backward one at t + lag
 * @param keepProb dropout keep probability (encoder input, encoder summary, controller input, generator output)
 * @param coordinatedDropout coordinated-dropout rate in [0, 1), 0 = off (AutoLFADS, Keshtkaran et al. 2022): in
 *     training passes each (trial, bin, held-in neuron) input entry is dropped with this probability (the
 *     kept ones scaled by 1 / (1 - rate)) and the held-in neurons' reconstruction cost is taken on the
 *     dropped entries only (held-out neurons, never an input, count in full), so the model gains nothing
 *     by passing a neuron's own spikes to its own rate; evaluation and inference use all entries
 * @param cellClip GRU states are clipped to [-cellClip, cellClip] (reference {@code cell_clip_value})
 * @param g0PriorVar initial variance of the learnable g0 prior
 * @param g0PostVarMin floor added to the g0 posterior variance (reference {@code ic_post_var_min})
 * @param arTau initial time constant (bins) of the inputs' AR(1) prior
 * @param arNoiseVar initial process-noise variance of the inputs' AR(1) prior
 * @param klStartStep step at which the KL weight starts rising from 0
 * @param klIncreaseSteps steps over which it rises linearly to 1 (0: a jump)
 * @param klScale factor on both KL terms after the ramp, {@code > 0} (1 = the reference's weighting); the KL
 *     weight a step uses is {@code klScale x ramp}. Boxed only so that specs and checkpoints written before the
 *     field (JSON without it) read as 1; never null once constructed
 * @param l2StartStep step at which the L2 weight starts rising from 0
 * @param l2IncreaseSteps steps over which it rises linearly to 1 (0: a jump)
 * @param l2GenScale L2 scale of the generator's recurrent weights
 * @param l2ConScale L2 scale of the controller's recurrent weights
 * @param learningRate initial learning rate (the engine overrides it with setLearningRate)
 * @param adamBeta1 Adam beta1
 * @param adamBeta2 Adam beta2
 * @param adamEpsilon Adam epsilon (the reference uses 0.1: its costs are sums over bins and neurons)
 * @param maxGradNorm global gradient-norm clip; 0 disables clipping
 * @param seed parameter initialization, and (mixed with the step) dropout and posterior sampling
 * @param compute which implementation computes the model (see {@link ComputePath}); absent
 *     (older specs and checkpoints) reads as {@code auto}
 */
public record LfadsSpec(
    int nIn,
    int nOut,
    int icEncDim,
    int g0Dim,
    int genDim,
    int factors,
    int ciEncDim,
    int controllerDim,
    int inputDim,
    int controllerLag,
    double keepProb,
    double coordinatedDropout,
    double cellClip,
    double g0PriorVar,
    double g0PostVarMin,
    double arTau,
    double arNoiseVar,
    long klStartStep,
    long klIncreaseSteps,
    Double klScale,
    long l2StartStep,
    long l2IncreaseSteps,
    double l2GenScale,
    double l2ConScale,
    double learningRate,
    double adamBeta1,
    double adamBeta2,
    double adamEpsilon,
    double maxGradNorm,
    long seed,
    ComputePath compute) implements ModelSpec {

  /** Coordinated dropout is off unless asked for (specs and checkpoints without the field read as 0). */
  public static final double DEFAULT_COORDINATED_DROPOUT = 0.0;
  /** The fused CPU path on a CPU backend, the ND4J path on any other. */
  public static final ComputePath DEFAULT_COMPUTE = ComputePath.AUTO;

  /** The KL terms at full weight after the ramp, as in the reference (specs and checkpoints without the field read as this). */
  public static final double DEFAULT_KL_SCALE = 1.0;

  public LfadsSpec {
    compute = compute == null ? DEFAULT_COMPUTE : compute;
    if (nIn < 1 || nOut < nIn) {
      throw new IllegalArgumentException("need nIn >= 1 and nOut >= nIn: nIn=" + nIn + " nOut=" + nOut);
    }
    if (icEncDim < 1 || g0Dim < 1 || genDim < 1 || factors < 1) {
      throw new IllegalArgumentException("icEncDim, g0Dim, genDim and factors must be >= 1: " + icEncDim + ", "
          + g0Dim + ", " + genDim + ", " + factors);
    }
    boolean anyController = ciEncDim != 0 || controllerDim != 0 || inputDim != 0;
    if (anyController && (ciEncDim < 1 || controllerDim < 1 || inputDim < 1)) {
      throw new IllegalArgumentException("the controller needs ciEncDim, controllerDim and inputDim all >= 1, "
          + "or all 0 to switch it off: " + ciEncDim + ", " + controllerDim + ", " + inputDim);
    }
    if (controllerLag < 0 || controllerLag > 1000) {
      throw new IllegalArgumentException("controllerLag must be in [0, 1000]: " + controllerLag);
    }
    if (!(keepProb > 0 && keepProb <= 1)) {
      throw new IllegalArgumentException("keepProb must be in (0, 1]: " + keepProb);
    }
    if (!(coordinatedDropout >= 0 && coordinatedDropout < 1)) {
      throw new IllegalArgumentException("coordinatedDropout must be in [0, 1): " + coordinatedDropout);
    }
    if (!(cellClip > 0) || Double.isInfinite(cellClip)) {
      throw new IllegalArgumentException("cellClip must be positive and finite: " + cellClip);
    }
    if (!(g0PriorVar > 0) || !(g0PostVarMin >= 0) || !(arTau > 0) || !(arNoiseVar > 0)
        || Double.isInfinite(g0PriorVar) || Double.isInfinite(arTau) || Double.isInfinite(arNoiseVar)) {
      throw new IllegalArgumentException("need g0PriorVar > 0, g0PostVarMin >= 0, arTau > 0, arNoiseVar > 0 (finite): "
          + g0PriorVar + ", " + g0PostVarMin + ", " + arTau + ", " + arNoiseVar);
    }
    if (klStartStep < 0 || klIncreaseSteps < 0 || l2StartStep < 0 || l2IncreaseSteps < 0) {
      throw new IllegalArgumentException("ramp steps must be >= 0: kl " + klStartStep + "+" + klIncreaseSteps
          + ", l2 " + l2StartStep + "+" + l2IncreaseSteps);
    }
    klScale = klScale == null ? DEFAULT_KL_SCALE : klScale;
    if (!(klScale > 0) || Double.isInfinite(klScale)) {
      throw new IllegalArgumentException("klScale must be positive and finite: " + klScale);
    }
    if (!(l2GenScale >= 0) || !(l2ConScale >= 0) || Double.isInfinite(l2GenScale) || Double.isInfinite(l2ConScale)) {
      throw new IllegalArgumentException("L2 scales must be finite and >= 0: " + l2GenScale + ", " + l2ConScale);
    }
    if (!(learningRate > 0) || !(adamBeta1 >= 0 && adamBeta1 < 1) || !(adamBeta2 >= 0 && adamBeta2 < 1)
        || !(adamEpsilon > 0) || !(maxGradNorm >= 0)) {
      throw new IllegalArgumentException("bad optimizer settings: lr=" + learningRate + " beta1=" + adamBeta1
          + " beta2=" + adamBeta2 + " eps=" + adamEpsilon + " maxGradNorm=" + maxGradNorm);
    }
    long count = ParameterLayout.count(nIn, nOut, icEncDim, g0Dim, genDim, factors, ciEncDim, controllerDim,
        inputDim);
    if (count > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("model too large: " + count + " parameters");
    }
  }

  /** The reference code's settings (chaotic-RNN run), with the brief's benchmark sizes and the controller off. */
  public static Builder builder(int nIn, int nOut) {
    return new Builder(nIn, nOut);
  }

  public boolean controllerOn() {
    return controllerDim > 0;
  }

  public boolean coordinatedDropoutOn() {
    return coordinatedDropout > 0;
  }

  /** The length of {@code parameters()} of the model this spec builds. */
  @Override
  public long parameterCount() {
    return ParameterLayout.count(nIn, nOut, icEncDim, g0Dim, genDim, factors, ciEncDim, controllerDim, inputDim);
  }

  /** KL weight at optimizer step {@code step}: 0 before the start, then linear to {@code klScale}. */
  public double klWeight(long step) {
    return klScale * ramp(step, klStartStep, klIncreaseSteps);
  }

  /** L2 weight at optimizer step {@code step}: 0 before the start, then linear to 1. */
  public double l2Weight(long step) {
    return ramp(step, l2StartStep, l2IncreaseSteps);
  }

  private static double ramp(long step, long start, long increase) {
    if (step < start) {
      return 0.0;
    }
    return increase == 0 ? 1.0 : Math.min(1.0, (double) (step - start) / increase);
  }

  public Builder toBuilder() {
    Builder b = new Builder(nIn, nOut);
    b.icEncDim = icEncDim;
    b.g0Dim = g0Dim;
    b.genDim = genDim;
    b.factors = factors;
    b.ciEncDim = ciEncDim;
    b.controllerDim = controllerDim;
    b.inputDim = inputDim;
    b.controllerLag = controllerLag;
    b.keepProb = keepProb;
    b.coordinatedDropout = coordinatedDropout;
    b.cellClip = cellClip;
    b.g0PriorVar = g0PriorVar;
    b.g0PostVarMin = g0PostVarMin;
    b.arTau = arTau;
    b.arNoiseVar = arNoiseVar;
    b.klStartStep = klStartStep;
    b.klIncreaseSteps = klIncreaseSteps;
    b.klScale = klScale;
    b.l2StartStep = l2StartStep;
    b.l2IncreaseSteps = l2IncreaseSteps;
    b.l2GenScale = l2GenScale;
    b.l2ConScale = l2ConScale;
    b.learningRate = learningRate;
    b.adamBeta1 = adamBeta1;
    b.adamBeta2 = adamBeta2;
    b.adamEpsilon = adamEpsilon;
    b.maxGradNorm = maxGradNorm;
    b.seed = seed;
    b.compute = compute;
    return b;
  }


  @Override
  public LfadsModel build() {
    return new LfadsModel(this);
  }

  /** Mutable builder; {@link #build()} validates through the record's constructor. */
  public static final class Builder {
    private final int nIn;
    private final int nOut;
    private int icEncDim = 64;
    private int g0Dim = 64;
    private int genDim = 64;
    private int factors = 16;
    private int ciEncDim = 0;
    private int controllerDim = 0;
    private int inputDim = 0;
    private int controllerLag = 1;
    private double keepProb = 0.95;
    private double coordinatedDropout = DEFAULT_COORDINATED_DROPOUT;
    private double cellClip = 5.0;
    private double g0PriorVar = 0.1;
    private double g0PostVarMin = 1e-4;
    private double arTau = 10.0;
    private double arNoiseVar = 0.1;
    private long klStartStep = 0;
    private long klIncreaseSteps = 2000;
    private double klScale = DEFAULT_KL_SCALE;
    private long l2StartStep = 0;
    private long l2IncreaseSteps = 2000;
    private double l2GenScale = 2000.0;
    private double l2ConScale = 0.0;
    private double learningRate = 0.01;
    private double adamBeta1 = 0.9;
    private double adamBeta2 = 0.999;
    private double adamEpsilon = 0.1;
    private double maxGradNorm = 200.0;
    private long seed = 0;
    private ComputePath compute = DEFAULT_COMPUTE;

    private Builder(int nIn, int nOut) {
      this.nIn = nIn;
      this.nOut = nOut;
    }

    public Builder icEncDim(int v) {
      icEncDim = v;
      return this;
    }

    public Builder g0Dim(int v) {
      g0Dim = v;
      return this;
    }

    public Builder genDim(int v) {
      genDim = v;
      return this;
    }

    public Builder factors(int v) {
      factors = v;
      return this;
    }

    /** Switches the controller on (all three > 0) or off (all three 0). */
    public Builder controller(int ciEncDim, int controllerDim, int inputDim) {
      this.ciEncDim = ciEncDim;
      this.controllerDim = controllerDim;
      this.inputDim = inputDim;
      return this;
    }

    public Builder controllerLag(int v) {
      controllerLag = v;
      return this;
    }

    public Builder keepProb(double v) {
      keepProb = v;
      return this;
    }

    /** Coordinated-dropout rate in [0, 1); 0 (the default) switches it off. */
    public Builder coordinatedDropout(double v) {
      coordinatedDropout = v;
      return this;
    }

    public Builder cellClip(double v) {
      cellClip = v;
      return this;
    }

    public Builder g0Prior(double priorVar, double postVarMin) {
      g0PriorVar = priorVar;
      g0PostVarMin = postVarMin;
      return this;
    }

    public Builder arPrior(double tau, double noiseVar) {
      arTau = tau;
      arNoiseVar = noiseVar;
      return this;
    }

    public Builder klRamp(long start, long increaseSteps) {
      klStartStep = start;
      klIncreaseSteps = increaseSteps;
      return this;
    }

    /** Factor on both KL terms after the ramp, {@code > 0}; 1 (the default) is the reference's weighting. */
    public Builder klScale(double v) {
      klScale = v;
      return this;
    }

    public Builder l2Ramp(long start, long increaseSteps) {
      l2StartStep = start;
      l2IncreaseSteps = increaseSteps;
      return this;
    }

    public Builder l2Scales(double gen, double con) {
      l2GenScale = gen;
      l2ConScale = con;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder adam(double beta1, double beta2, double epsilon) {
      adamBeta1 = beta1;
      adamBeta2 = beta2;
      adamEpsilon = epsilon;
      return this;
    }

    public Builder maxGradNorm(double v) {
      maxGradNorm = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Which implementation computes the model; see {@link ComputePath}. */
    public Builder compute(ComputePath v) {
      compute = java.util.Objects.requireNonNull(v, "compute");
      return this;
    }

    public LfadsSpec build() {
      return new LfadsSpec(nIn, nOut, icEncDim, g0Dim, genDim, factors, ciEncDim, controllerDim, inputDim,
          controllerLag, keepProb, coordinatedDropout, cellClip, g0PriorVar, g0PostVarMin, arTau, arNoiseVar, klStartStep,
          klIncreaseSteps, klScale, l2StartStep, l2IncreaseSteps, l2GenScale, l2ConScale, learningRate, adamBeta1,
          adamBeta2, adamEpsilon, maxGradNorm, seed, compute);
    }
  }
}
