package org.neurolake.model.lfads;

/**
 * The LFADS computation for one batch shape: the forward pass (cost and every activation, kept)
 * and its hand-derived backward pass into the gradient buffer. Data are time-major: row
 * {@code t * B + b} of a [T*B, D] buffer is trial b at bin t. Matrix products go through
 * {@link Blas}, element-wise work is plain Java over off-heap buffers. Not thread-safe.
 */
final class LfadsGraph {
  private static final int LOG_FACTORIAL_TABLE = 1024;
  private static final double[] LOG_FACTORIAL = logFactorials();

  private final LfadsSpec spec;
  private final Buf theta;
  private final Buf grad;
  private final int nIn;
  private final int nOut;
  private final int encIc;
  private final int dimG0;
  private final int dimGen;
  private final int nFac;
  private final int encCi;
  private final int dimCon;
  private final int dimU;
  private final int lag;
  private final boolean controller;
  private final float postVarMin;

  private final int g0PostW;
  private final int g0PostB;
  private final int g0PriorMean;
  private final int g0PriorLogVar;
  private final int g0GenW;
  private final int g0GenB;
  private final int facW;
  private final int outW;
  private final int outB;
  private final int uPostW;
  private final int uPostB;
  private final int logTau;
  private final int logNoiseVar;

  private final Gru icFwd;
  private final Gru icBwd;
  private final Gru gen;
  private final Gru ciFwd;
  private final Gru ciBwd;
  private final Gru con;

  private int batch = -1;
  /** Generator steps of the last forward pass: the observed bins, then the forward ones. */
  private int steps = -1;
  /** Bins of data the encoders read and the likelihood scores in the last forward pass. */
  private int observed = -1;
  private PassNoise noise;
  private float[] counts;
  private double klWeight;
  private double l2Weight;

  private Buf xd;
  private Buf xdRev;
  private Buf icCat;
  private Buf g0Post;
  private float[] g0LogVar;
  private Buf g0;
  private final Buf wfn;
  private final double[] facNorm;
  private Buf hd;
  private Buf fac;
  private Buf logRates;
  private Buf ciIn;
  private Buf fin;
  private Buf fInit;
  private Buf uPost;
  private Buf uSample;

  private Buf dLogRates;
  private Buf dFac;
  private Buf dHd;
  private final Buf dWfn;
  private Buf dUPost;
  private Buf dU;
  private Buf dFacCon;
  private Buf dCiIn;
  private Buf extFwd;
  private Buf extBwd;
  private Buf dG0;
  private Buf dG0Post;
  private Buf dIcCat;
  private double[] dUKl;
  private double[] seq;
  private double[] dSeq;

  LfadsGraph(LfadsSpec spec, ParameterLayout layout, Buf theta, Buf grad) {
    this.spec = spec;
    this.theta = theta;
    this.grad = grad;
    nIn = spec.nIn();
    nOut = spec.nOut();
    encIc = spec.icEncDim();
    dimG0 = spec.g0Dim();
    dimGen = spec.genDim();
    nFac = spec.factors();
    encCi = spec.ciEncDim();
    dimCon = spec.controllerDim();
    dimU = spec.inputDim();
    lag = spec.controllerLag();
    controller = spec.controllerOn();
    postVarMin = (float) spec.g0PostVarMin();
    g0PostW = layout.block("g0_post/w").offset();
    g0PostB = layout.block("g0_post/b").offset();
    g0PriorMean = layout.block("g0_prior/mean").offset();
    g0PriorLogVar = layout.block("g0_prior/logvar").offset();
    g0GenW = layout.block("g0_to_gen/w").offset();
    g0GenB = layout.block("g0_to_gen/b").offset();
    facW = layout.block("factors/w").offset();
    outW = layout.block("readout/w").offset();
    outB = layout.block("readout/b").offset();
    double clip = spec.cellClip();
    icFwd = new Gru(layout, "ic_enc_fwd", nIn, encIc, clip, theta, grad);
    icBwd = new Gru(layout, "ic_enc_bwd", nIn, encIc, clip, theta, grad);
    gen = new Gru(layout, "gen", dimU, dimGen, clip, theta, grad);
    if (controller) {
      uPostW = layout.block("u_post/w").offset();
      uPostB = layout.block("u_post/b").offset();
      logTau = layout.block("u_prior/log_tau").offset();
      logNoiseVar = layout.block("u_prior/log_noise_var").offset();
      ciFwd = new Gru(layout, "ci_enc_fwd", nIn, encCi, clip, theta, grad);
      ciBwd = new Gru(layout, "ci_enc_bwd", nIn, encCi, clip, theta, grad);
      con = new Gru(layout, "con", 2 * encCi + nFac, dimCon, clip, theta, grad);
    } else {
      uPostW = uPostB = logTau = logNoiseVar = -1;
      ciFwd = ciBwd = con = null;
    }
    wfn = new Buf(dimGen * nFac);
    dWfn = new Buf(dimGen * nFac);
    facNorm = new double[nFac];
  }

  /**
   * Sizes the buffers for b trials of t generator steps, the first {@code obs} of them observed;
   * they only grow (see {@link Gru#allocate}).
   */
  private void allocate(int b, int t, int obs) {
    batch = b;
    steps = t;
    observed = obs;
    int rows = b * t;
    xd = Buf.atLeast(xd, rows * nIn);
    xdRev = Buf.atLeast(xdRev, rows * nIn);
    icCat = Buf.atLeast(icCat, b * 2 * encIc);
    g0Post = Buf.atLeast(g0Post, b * 2 * dimG0);
    g0LogVar = g0LogVar != null && g0LogVar.length >= b * dimG0 ? g0LogVar : new float[b * dimG0];
    g0 = Buf.atLeast(g0, b * dimG0);
    hd = Buf.atLeast(hd, rows * dimGen);
    fac = Buf.atLeast(fac, rows * nFac);
    logRates = Buf.atLeast(logRates, rows * nOut);
    dLogRates = Buf.atLeast(dLogRates, rows * nOut);
    dFac = Buf.atLeast(dFac, rows * nFac);
    dHd = Buf.atLeast(dHd, rows * dimGen);
    dG0 = Buf.atLeast(dG0, b * dimG0);
    dG0Post = Buf.atLeast(dG0Post, b * 2 * dimG0);
    dIcCat = Buf.atLeast(dIcCat, b * 2 * encIc);
    icFwd.allocate(b, obs);
    icBwd.allocate(b, obs);
    gen.allocate(b, t);
    if (controller) {
      ciFwd.allocate(b, obs);
      ciBwd.allocate(b, obs);
      con.allocate(b, t);
      ciIn = Buf.atLeast(ciIn, rows * 2 * encCi);
      fin = Buf.atLeast(fin, rows * nFac);
      fInit = Buf.atLeast(fInit, b * nFac);
      uPost = Buf.atLeast(uPost, rows * 2 * dimU);
      uSample = Buf.atLeast(uSample, rows * dimU);
      dUPost = Buf.atLeast(dUPost, rows * 2 * dimU);
      dU = Buf.atLeast(dU, b * dimU);
      dFacCon = Buf.atLeast(dFacCon, b * nFac);
      dCiIn = Buf.atLeast(dCiIn, rows * 2 * encCi);
      extFwd = Buf.atLeast(extFwd, rows * encCi);
      extBwd = Buf.atLeast(extBwd, rows * encCi);
      dUKl = dUKl != null && dUKl.length >= rows * dimU ? dUKl : new double[rows * dimU];
      if (seq == null || seq.length < t) {
        seq = new double[t];
        dSeq = new double[t];
      }
    }
  }

  int batch() {
    return batch;
  }

  int steps() {
    return steps;
  }

  /**
   * Runs the model on {@code b} trials of {@code t} bins: {@code x} the encoder input [T*B, nIn],
   * {@code y} the counts of the likelihood [T*B, nOut], both time-major.
   */
  CostTerms forward(float[] x, float[] y, int b, int t, PassNoise passNoise, double klW, double l2W) {
    return forward(x, y, b, t, 0, passNoise, klW, l2W);
  }

  /**
   * {@link #forward(float[], float[], int, int, PassNoise, double, double)}, then {@code ahead} more
   * generator steps past the data (forward prediction): the encoders and the likelihood see only
   * the {@code t} observed bins, so the cost is that of the observed bins alone; at the steps ahead
   * the generator runs on from its state with inferred input u = 0 (the mean of the inputs' AR(1)
   * prior: nothing is observed there to infer an input from), and rates and factors are computed
   * as at any step. {@code passNoise} must be drawn for {@code t + ahead} steps. {@link #backward}
   * needs {@code ahead = 0}.
   */
  CostTerms forward(float[] x, float[] y, int b, int t, int ahead, PassNoise passNoise, double klW, double l2W) {
    if (ahead < 0) {
      throw new IllegalArgumentException("steps ahead must be >= 0: " + ahead);
    }
    allocate(b, t + ahead, t);
    noise = passNoise;
    counts = y;
    klWeight = klW;
    l2Weight = l2W;
    int rows = b * t;
    float[] maskX = passNoise.maskX;
    float[] maskCd = passNoise.maskCd;
    for (int i = 0; i < rows * nIn; i++) {
      float v = maskX == null ? x[i] : x[i] * maskX[i];
      xd.set(i, maskCd == null ? v : v * maskCd[i]);
    }
    for (int s = 0; s < t; s++) {
      for (int i = 0; i < b * nIn; i++) {
        xdRev.set((t - 1 - s) * b * nIn + i, xd.get(s * b * nIn + i));
      }
    }
    runEncoder(icFwd, xd);
    runEncoder(icBwd, xdRev);
    double klG0 = g0Posterior();
    Blas.mul(b, dimGen, dimG0, g0, 0, dimG0, theta, g0GenW, dimGen, gen.states, 0, dimGen, false);
    addBias(gen.states, 0, b, dimGen, g0GenB);
    normalizeFactorWeights();
    if (controller) {
      runEncoder(ciFwd, xd);
      runEncoder(ciBwd, xdRev);
      controllerInputs();
      con.initialStateFromParameter();
      con.projectAll(ciIn, 0, 2 * encCi, 0, 2 * encCi, false);
      Blas.mul(b, nFac, dimGen, gen.states, 0, dimGen, wfn, 0, nFac, fInit, 0, nFac, false);
    }
    float[] maskGen = passNoise.maskGen;
    int all = b * steps;
    for (int s = 0; s < steps; s++) {
      if (controller) {
        if (s < t) {
          controllerStep(s);
        } else {
          noInputStep(s);
        }
      }
      gen.forwardStep(s);
      int so = gen.stateOffset(s + 1);
      int ho = s * b * dimGen;
      for (int i = 0; i < b * dimGen; i++) {
        float v = gen.states.get(so + i);
        hd.set(ho + i, maskGen == null ? v : v * maskGen[ho + i]);
      }
      if (controller) {
        Blas.mul(b, nFac, dimGen, hd, ho, dimGen, wfn, 0, nFac, fac, (long) s * b * nFac, nFac, false);
      }
    }
    if (!controller) {
      Blas.mul(all, nFac, dimGen, hd, 0, dimGen, wfn, 0, nFac, fac, 0, nFac, false);
    }
    Blas.mul(all, nOut, nFac, fac, 0, nFac, theta, outW, nOut, logRates, 0, nOut, false);
    addBias(logRates, 0, all, nOut, outB);
    double ll = 0;
    float[] reconWeight = passNoise.reconWeight;
    for (int i = 0; i < rows * nOut; i++) {
      if (reconWeight == null || reconWeight[i] != 0f) {
        double lr = logRates.get(i);
        ll += y[i] * lr - Math.exp(lr) - logFactorial(y[i]);
      }
    }
    double klU = controller ? inputKl(false) : 0.0;
    double l2 = l2Cost();
    double nll = -ll / b;
    klG0 /= b;
    klU /= b;
    return new CostTerms(nll + klW * (klG0 + klU) + l2W * l2, nll, klG0, klU, l2, klW, l2W);
  }

  private void runEncoder(Gru gru, Buf input) {
    gru.initialStateFromParameter();
    gru.projectAll(input, 0, nIn, 0, nIn, false);
    for (int k = 0; k < observed; k++) {
      gru.forwardStep(k);
    }
  }

  /** The g0 posterior from the encoders' final states, its sample, and the summed KL to the prior. */
  private double g0Posterior() {
    int b = batch;
    int lastF = icFwd.stateOffset(observed);
    int lastB = icBwd.stateOffset(observed);
    float[] mask = noise.maskIc;
    for (int r = 0; r < b; r++) {
      for (int j = 0; j < encIc; j++) {
        int i = r * 2 * encIc + j;
        float vf = icFwd.states.get(lastF + r * encIc + j);
        float vb = icBwd.states.get(lastB + r * encIc + j);
        icCat.set(i, mask == null ? vf : vf * mask[i]);
        icCat.set(i + encIc, mask == null ? vb : vb * mask[i + encIc]);
      }
    }
    Blas.mul(b, 2 * dimG0, 2 * encIc, icCat, 0, 2 * encIc, theta, g0PostW, 2 * dimG0, g0Post, 0, 2 * dimG0, false);
    addBias(g0Post, 0, b, 2 * dimG0, g0PostB);
    double kl = 0;
    for (int r = 0; r < b; r++) {
      for (int z = 0; z < dimG0; z++) {
        double m = g0Post.get(r * 2 * dimG0 + z);
        double lv = FastMath.floorLogVar(g0Post.get(r * 2 * dimG0 + dimG0 + z), postVarMin);
        g0LogVar[r * dimG0 + z] = (float) lv;
        g0.set(r * dimG0 + z, (float) (m + Math.exp(0.5 * lv) * noise.epsG0[r * dimG0 + z]));
        kl += GaussianKl.kl(m, lv, theta.get(g0PriorMean + z), theta.get(g0PriorLogVar + z));
      }
    }
    return kl;
  }

  private void normalizeFactorWeights() {
    for (int j = 0; j < nFac; j++) {
      double s = 0;
      for (int i = 0; i < dimGen; i++) {
        double w = theta.get(facW + i * nFac + j);
        s += w * w;
      }
      facNorm[j] = Math.sqrt(Math.max(s, 1e-12));
      for (int i = 0; i < dimGen; i++) {
        wfn.set(i * nFac + j, (float) (theta.get(facW + i * nFac + j) / facNorm[j]));
      }
    }
  }

  /**
   * The controller's encoder inputs at every observed t: forward encoder at t - lag, backward at
   * t + lag (zero outside the observed bins, and at the steps ahead, where the controller does not run).
   */
  private void controllerInputs() {
    int b = batch;
    int width = 2 * encCi + nFac;
    float[] mask = noise.maskCon;
    for (int t = 0; t < steps; t++) {
      int tf = t - lag;
      int tb = t + lag;
      boolean seen = t < observed;
      for (int r = 0; r < b; r++) {
        int row = t * b + r;
        for (int j = 0; j < encCi; j++) {
          float vf = seen && tf >= 0 ? ciFwd.states.get(ciFwd.stateOffset(tf + 1) + r * encCi + j) : 0f;
          float vb = seen && tb < observed ? ciBwd.states.get(ciBwd.stateOffset(observed - tb) + r * encCi + j) : 0f;
          if (mask != null) {
            vf *= mask[row * width + j];
            vb *= mask[row * width + encCi + j];
          }
          ciIn.set(row * 2 * encCi + j, vf);
          ciIn.set(row * 2 * encCi + encCi + j, vb);
        }
      }
    }
  }

  /** Controller step t: its input gets f_{t-1}, it emits the u_t posterior and a sample into the generator. */
  private void controllerStep(int t) {
    int b = batch;
    int width = 2 * encCi + nFac;
    float[] mask = noise.maskCon;
    for (int r = 0; r < b; r++) {
      int row = t * b + r;
      for (int j = 0; j < nFac; j++) {
        float v = t == 0 ? fInit.get(r * nFac + j) : fac.get(((t - 1) * b + r) * nFac + j);
        fin.set(row * nFac + j, mask == null ? v : v * mask[row * width + 2 * encCi + j]);
      }
    }
    con.projectStep(t, fin, t * b * nFac, nFac, 2 * encCi, nFac, true);
    con.forwardStep(t);
    Blas.mul(b, 2 * dimU, dimCon, con.states, con.stateOffset(t + 1), dimCon, theta, uPostW, 2 * dimU, uPost,
        (long) t * b * 2 * dimU, 2 * dimU, false);
    addBias(uPost, t * b * 2 * dimU, b, 2 * dimU, uPostB);
    for (int r = 0; r < b; r++) {
      int row = t * b + r;
      for (int d = 0; d < dimU; d++) {
        float mean = uPost.get(row * 2 * dimU + d);
        float lv = uPost.get(row * 2 * dimU + dimU + d);
        uSample.set(row * dimU + d, (float) (mean + Math.exp(0.5 * lv) * noise.epsU[row * dimU + d]));
      }
    }
    gen.projectStep(t, uSample, t * b * dimU, dimU, 0, dimU, false);
  }

  /** A step ahead of the data: inferred input 0 (posterior mean and sample), the generator's input projected. */
  private void noInputStep(int t) {
    int b = batch;
    for (int i = 0; i < b * dimU; i++) {
      uSample.set(t * b * dimU + i, 0f);
    }
    for (int i = 0; i < b * 2 * dimU; i++) {
      uPost.set(t * b * 2 * dimU + i, 0f);
    }
    gen.projectStep(t, uSample, t * b * dimU, dimU, 0, dimU, false);
  }

  /**
   * Summed over trials: log q(u) - log p(u) at the posterior sample (the reference's sampled KL).
   * With {@code gradient}, fills dUKl with d(klWeight / B * KL)/du and adds the prior's gradients.
   */
  private double inputKl(boolean gradient) {
    int b = batch;
    double scale = klWeight / b;
    double total = 0;
    double[] dParams = new double[2];
    for (int d = 0; d < dimU; d++) {
      double lt = theta.get(logTau + d);
      double ln = theta.get(logNoiseVar + d);
      dParams[0] = 0;
      dParams[1] = 0;
      for (int r = 0; r < b; r++) {
        double logQ = 0;
        for (int t = 0; t < observed; t++) {
          int row = t * b + r;
          seq[t] = uSample.get(row * dimU + d);
          double e = noise.epsU[row * dimU + d];
          logQ += -0.5 * (FastMath.LOG_2PI + uPost.get(row * 2 * dimU + dimU + d) + e * e);
          dSeq[t] = 0;
        }
        double logP = Ar1Prior.logDensity(seq, observed, lt, ln, -scale, gradient ? dSeq : null, dParams);
        total += logQ - logP;
        if (gradient) {
          for (int t = 0; t < observed; t++) {
            dUKl[(t * b + r) * dimU + d] = dSeq[t];
          }
        }
      }
      if (gradient) {
        grad.add(logTau + d, (float) dParams[0]);
        grad.add(logNoiseVar + d, (float) dParams[1]);
      }
    }
    return total;
  }

  private int l2Count() {
    return gen.recurrentWeightCount() + (controller ? con.recurrentWeightCount() : 0);
  }

  /** The reference's L2 cost: sum of scale/2 ||W||^2 over regularized recurrent weights, divided by their count. */
  private double l2Cost() {
    double s = 0.5 * spec.l2GenScale() * gen.recurrentSquaredNorm();
    if (controller) {
      s += 0.5 * spec.l2ConScale() * con.recurrentSquaredNorm();
    }
    return s / l2Count();
  }

  /** Fills the gradient buffer with d total / d parameters of the last {@link #forward}. */
  void backward() {
    if (batch < 0) {
      throw new IllegalStateException("backward() before forward()");
    }
    if (observed != steps) {
      throw new IllegalStateException("backward() after a forward pass " + (steps - observed) + " steps past the data");
    }
    grad.zero();
    for (Gru gru : new Gru[] {icFwd, icBwd, gen, ciFwd, ciBwd, con}) {
      if (gru != null) {
        gru.prepareBackward();
      }
    }
    int b = batch;
    int rows = b * steps;
    float inv = 1f / b;
    float[] reconWeight = noise.reconWeight;
    for (int i = 0; i < rows * nOut; i++) {
      float w = reconWeight == null ? inv : inv * reconWeight[i];
      dLogRates.set(i, (float) ((Math.exp(logRates.get(i)) - counts[i]) * w));
    }
    Blas.mulTransA(nFac, nOut, rows, fac, 0, nFac, dLogRates, 0, nOut, grad, outW, nOut, true);
    addColumnSums(dLogRates, 0, rows, nOut, outB);
    Blas.mulTransB(rows, nFac, nOut, dLogRates, 0, nOut, theta, outW, nOut, dFac, 0, nFac, false);
    gen.clearCarry();
    float[] maskGen = noise.maskGen;
    if (!controller) {
      Blas.mulTransB(rows, dimGen, nFac, dFac, 0, nFac, wfn, 0, nFac, dHd, 0, dimGen, false);
      for (int t = steps - 1; t >= 0; t--) {
        int ho = t * b * dimGen;
        for (int i = 0; i < b * dimGen; i++) {
          float d = dHd.get(ho + i);
          gen.carry.add(i, maskGen == null ? d : d * maskGen[ho + i]);
        }
        gen.backwardStep(t);
      }
      Blas.mulTransA(dimGen, nFac, rows, hd, 0, dimGen, dFac, 0, nFac, dWfn, 0, nFac, false);
    } else {
      backwardThroughController(maskGen);
    }
    gen.recurrentGradients();
    if (controller) {
      gen.inputWeightGradient(uSample, 0, dimU, 0, dimU);
    }
    // gen.carry now holds dL/d(generator initial state) = dL/d(g0 W + b).
    Blas.mulTransA(dimG0, dimGen, b, g0, 0, dimG0, gen.carry, 0, dimGen, grad, g0GenW, dimGen, true);
    addColumnSums(gen.carry, 0, b, dimGen, g0GenB);
    Blas.mulTransB(b, dimG0, dimGen, gen.carry, 0, dimGen, theta, g0GenW, dimGen, dG0, 0, dimG0, false);
    g0PosteriorBackward();
    backEncoderFromFinal(icFwd, dIcCat, 0, xd);
    backEncoderFromFinal(icBwd, dIcCat, encIc, xdRev);
    factorNormalizationBackward();
    if (l2Weight > 0) {
      int n = l2Count();
      gen.addRecurrentL2Gradient((float) (l2Weight * spec.l2GenScale() / n));
      if (controller) {
        con.addRecurrentL2Gradient((float) (l2Weight * spec.l2ConScale() / n));
      }
    }
  }

  private void backwardThroughController(float[] maskGen) {
    int b = batch;
    int rows = b * steps;
    int width = 2 * encCi + nFac;
    float[] maskCon = noise.maskCon;
    inputKl(true);
    float logVarKl = (float) (-0.5 * klWeight / b);
    con.clearCarry();
    dFacCon.zero();
    for (int t = steps - 1; t >= 0; t--) {
      int fo = t * b * nFac;
      for (int i = 0; i < b * nFac; i++) {
        dFac.add(fo + i, dFacCon.get(i));
      }
      int ho = t * b * dimGen;
      Blas.mulTransB(b, dimGen, nFac, dFac, fo, nFac, wfn, 0, nFac, dHd, ho, dimGen, false);
      for (int i = 0; i < b * dimGen; i++) {
        float d = dHd.get(ho + i);
        gen.carry.add(i, maskGen == null ? d : d * maskGen[ho + i]);
      }
      gen.backwardStep(t);
      gen.inputGradientStep(t, 0, dimU, dU, 0, dimU, false);
      for (int r = 0; r < b; r++) {
        int row = t * b + r;
        for (int d = 0; d < dimU; d++) {
          float g = (float) (dU.get(r * dimU + d) + dUKl[row * dimU + d]);
          float lv = uPost.get(row * 2 * dimU + dimU + d);
          float e = noise.epsU[row * dimU + d];
          dUPost.set(row * 2 * dimU + d, g);
          dUPost.set(row * 2 * dimU + dimU + d, (float) (g * e * 0.5 * Math.exp(0.5 * lv)) + logVarKl);
        }
      }
      Blas.mulTransB(b, dimCon, 2 * dimU, dUPost, (long) t * b * 2 * dimU, 2 * dimU, theta, uPostW, 2 * dimU,
          con.carry, 0, dimCon, true);
      con.backwardStep(t);
      con.inputGradientStep(t, 2 * encCi, nFac, dFacCon, 0, nFac, false);
      if (maskCon != null) {
        for (int r = 0; r < b; r++) {
          int row = t * b + r;
          for (int j = 0; j < nFac; j++) {
            dFacCon.set(r * nFac + j, dFacCon.get(r * nFac + j) * maskCon[row * width + 2 * encCi + j]);
          }
        }
      }
    }
    // dFacCon now holds dL/d f_{-1}, the factors of the generator's initial state.
    Blas.mulTransA(dimGen, nFac, rows, hd, 0, dimGen, dFac, 0, nFac, dWfn, 0, nFac, false);
    Blas.mulTransA(dimGen, nFac, b, gen.states, 0, dimGen, dFacCon, 0, nFac, dWfn, 0, nFac, true);
    Blas.mulTransB(b, dimGen, nFac, dFacCon, 0, nFac, wfn, 0, nFac, gen.carry, 0, dimGen, true);
    Blas.mulTransA(dimCon, 2 * dimU, rows, con.states, con.stateOffset(1), dimCon, dUPost, 0, 2 * dimU, grad, uPostW,
        2 * dimU, true);
    addColumnSums(dUPost, 0, rows, 2 * dimU, uPostB);
    con.recurrentGradients();
    con.inputWeightGradient(ciIn, 0, 2 * encCi, 0, 2 * encCi);
    con.inputWeightGradient(fin, 0, nFac, 2 * encCi, nFac);
    con.inputGradientAll(0, 2 * encCi, dCiIn, 0, 2 * encCi);
    extFwd.zero();
    extBwd.zero();
    for (int t = 0; t < steps; t++) {
      int tf = t - lag;
      int tb = t + lag;
      for (int r = 0; r < b; r++) {
        int row = t * b + r;
        for (int j = 0; j < encCi; j++) {
          float gf = dCiIn.get(row * 2 * encCi + j);
          float gb = dCiIn.get(row * 2 * encCi + encCi + j);
          if (maskCon != null) {
            gf *= maskCon[row * width + j];
            gb *= maskCon[row * width + encCi + j];
          }
          if (tf >= 0) {
            extFwd.add((tf * b + r) * encCi + j, gf);
          }
          if (tb < steps) {
            extBwd.add(((steps - 1 - tb) * b + r) * encCi + j, gb);
          }
        }
      }
    }
    backEncoder(ciFwd, extFwd, xd);
    backEncoder(ciBwd, extBwd, xdRev);
  }

  private void g0PosteriorBackward() {
    int b = batch;
    double scale = klWeight / b;
    for (int r = 0; r < b; r++) {
      for (int z = 0; z < dimG0; z++) {
        double m = g0Post.get(r * 2 * dimG0 + z);
        double raw = g0Post.get(r * 2 * dimG0 + dimG0 + z);
        double lv = g0LogVar[r * dimG0 + z];
        double pm = theta.get(g0PriorMean + z);
        double plv = theta.get(g0PriorLogVar + z);
        double dg = dG0.get(r * dimG0 + z);
        double dm = dg + scale * GaussianKl.dMean(m, lv, pm, plv);
        double dlv = dg * noise.epsG0[r * dimG0 + z] * 0.5 * Math.exp(0.5 * lv)
            + scale * GaussianKl.dLogVar(m, lv, pm, plv);
        dG0Post.set(r * 2 * dimG0 + z, (float) dm);
        dG0Post.set(r * 2 * dimG0 + dimG0 + z, (float) (dlv * FastMath.floorLogVarSlope(raw, postVarMin)));
        grad.add(g0PriorMean + z, (float) (-scale * GaussianKl.dMean(m, lv, pm, plv)));
        grad.add(g0PriorLogVar + z, (float) (scale * GaussianKl.dPriorLogVar(m, lv, pm, plv)));
      }
    }
    Blas.mulTransA(2 * encIc, 2 * dimG0, b, icCat, 0, 2 * encIc, dG0Post, 0, 2 * dimG0, grad, g0PostW, 2 * dimG0,
        true);
    addColumnSums(dG0Post, 0, b, 2 * dimG0, g0PostB);
    Blas.mulTransB(b, 2 * encIc, 2 * dimG0, dG0Post, 0, 2 * dimG0, theta, g0PostW, 2 * dimG0, dIcCat, 0, 2 * encIc,
        false);
    float[] mask = noise.maskIc;
    if (mask != null) {
      for (int i = 0; i < b * 2 * encIc; i++) {
        dIcCat.set(i, dIcCat.get(i) * mask[i]);
      }
    }
  }

  /** Backpropagates an encoder whose only consumer is its final state (gradient in columns from {@code col}). */
  private void backEncoderFromFinal(Gru gru, Buf dFinal, int col, Buf input) {
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < gru.h; j++) {
        gru.carry.set(r * gru.h + j, dFinal.get(r * 2 * gru.h + col + j));
      }
    }
    for (int k = steps - 1; k >= 0; k--) {
      gru.backwardStep(k);
    }
    gru.recurrentGradients();
    gru.inputWeightGradient(input, 0, nIn, 0, nIn);
  }

  /** Backpropagates an encoder whose every state has a consumer ({@code ext}: [T*B, H] in processing order). */
  private void backEncoder(Gru gru, Buf ext, Buf input) {
    gru.clearCarry();
    int n = batch * gru.h;
    for (int k = steps - 1; k >= 0; k--) {
      for (int i = 0; i < n; i++) {
        gru.carry.add(i, ext.get(k * n + i));
      }
      gru.backwardStep(k);
    }
    gru.recurrentGradients();
    gru.inputWeightGradient(input, 0, nIn, 0, nIn);
  }

  /** d/dW of W_ij / ||W_.j||: (dWn_ij - Wn_ij sum_k Wn_kj dWn_kj) / ||W_.j||. */
  private void factorNormalizationBackward() {
    for (int j = 0; j < nFac; j++) {
      double s = 0;
      for (int i = 0; i < dimGen; i++) {
        s += (double) wfn.get(i * nFac + j) * dWfn.get(i * nFac + j);
      }
      for (int i = 0; i < dimGen; i++) {
        double g = (dWfn.get(i * nFac + j) - wfn.get(i * nFac + j) * s) / facNorm[j];
        grad.add(facW + i * nFac + j, (float) g);
      }
    }
  }

  private void addBias(Buf target, int off, int rows, int cols, int biasOffset) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        target.add(off + r * cols + j, theta.get(biasOffset + j));
      }
    }
  }

  private void addColumnSums(Buf src, int off, int rows, int cols, int gradOffset) {
    double[] sums = new double[cols];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        sums[j] += src.get(off + r * cols + j);
      }
    }
    for (int j = 0; j < cols; j++) {
      grad.add(gradOffset + j, (float) sums[j]);
    }
  }

  // --- outputs of the last forward pass, for inference ---

  /** Expected count of trial r, bin t, neuron n: exp(log-rate). */
  float rate(int t, int r, int n) {
    return (float) Math.exp(logRates.get((t * batch + r) * nOut + n));
  }

  float factor(int t, int r, int j) {
    return fac.get((t * batch + r) * nFac + j);
  }

  float inputMean(int t, int r, int d) {
    return uPost.get((t * batch + r) * 2 * dimU + d);
  }

  float g0Mean(int r, int z) {
    return g0Post.get(r * 2 * dimG0 + z);
  }

  float normalizedFactorWeight(int i, int j) {
    return wfn.get(i * nFac + j);
  }

  /** Normalizes the factor weights from the current parameters (outside a forward pass). */
  void refreshFactorWeights() {
    normalizeFactorWeights();
  }

  static double logFactorial(float k) {
    int ki = (int) k;
    if (ki == k && ki >= 0 && ki < LOG_FACTORIAL_TABLE) {
      return LOG_FACTORIAL[ki];
    }
    return FastMath.logGamma(k + 1.0);
  }

  private static double[] logFactorials() {
    double[] t = new double[LOG_FACTORIAL_TABLE];
    for (int k = 2; k < t.length; k++) {
      t[k] = t[k - 1] + Math.log(k);
    }
    return t;
  }
}
