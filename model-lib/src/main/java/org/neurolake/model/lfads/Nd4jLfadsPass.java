package org.neurolake.model.lfads;

import static org.neurolake.model.lfads.Nd4jGru.rows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.custom.Lgamma;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.neurolake.model.api.Batch;

/**
 * {@link LfadsGraph}'s pass (forward, cost terms and hand-derived backward pass into the
 * gradient) as ND4J operations only: matrix products, row broadcasts and {@link Transforms} on whole
 * blocks, with Java loops only over time steps, so that a CUDA backend runs the whole step on the GPU.
 * Same model, equations, parameter layout ({@link Nd4jBlocks} views of the flat parameter and
 * gradient arrays) and randomness: the dropout masks, coordinated-dropout mask and posterior noise
 * come from the same {@link PassNoise}, uploaded once per pass with the batch. Only the cost terms
 * come back to the host, as scalars.
 *
 * <p>Data are time-major: row {@code t * B + b} of a [T*B, D] array is trial b at bin t. Forward
 * passes can run the generator past the data (forward prediction); {@link #outputs} copies a pass's
 * rates, factors, input means and g0 means to the host for evaluation and inference. Not thread-safe.
 */
final class Nd4jLfadsPass {
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final LfadsSpec spec;
  private final int nIn;
  private final int nOut;
  private final int encIc;
  private final int dimG0;
  private final int dimGen;
  private final int nFac;
  private final int encCi;
  private final int dimU;
  private final int lag;
  private final boolean controller;
  private final double logPostVarMin;

  private final INDArray g0PostW;
  private final INDArray g0PostB;
  private final INDArray g0PriorMean;
  private final INDArray g0PriorLogVar;
  private final INDArray g0GenW;
  private final INDArray g0GenB;
  private final INDArray facW;
  private final INDArray outW;
  private final INDArray outB;
  private final INDArray uPostW;
  private final INDArray uPostB;
  private final INDArray logTau;
  private final INDArray logNoiseVar;
  private final INDArray gG0PostW;
  private final INDArray gG0PostB;
  private final INDArray gG0PriorMean;
  private final INDArray gG0PriorLogVar;
  private final INDArray gG0GenW;
  private final INDArray gG0GenB;
  private final INDArray gFacW;
  private final INDArray gOutW;
  private final INDArray gOutB;
  private final INDArray gUPostW;
  private final INDArray gUPostB;
  private final INDArray gLogTau;
  private final INDArray gLogNoiseVar;
  private final INDArray gradFlat;

  private final Nd4jGru icFwd;
  private final Nd4jGru icBwd;
  private final Nd4jGru gen;
  private final Nd4jGru ciFwd;
  private final Nd4jGru ciBwd;
  private final Nd4jGru con;

  // --- the last forward pass ---
  private int batch = -1;
  /** Observed bins of the last forward pass (the encoders', the likelihood's and the KL's steps). */
  private int steps;
  /** Generator (and controller) steps of the last forward pass: the observed bins, then the ones ahead. */
  private int genSteps;
  private double klWeight;
  private double l2Weight;
  private INDArray y;
  private INDArray reconWeight;
  private INDArray maskIc;
  private INDArray maskCon;
  private INDArray maskGen;
  private INDArray epsG0;
  private INDArray epsU;
  private INDArray xd;
  private INDArray xdRev;
  private INDArray icCat;
  private INDArray g0Mean;
  private INDArray g0Raw;
  private INDArray g0LogVar;
  private INDArray g0;
  private INDArray wfn;
  private INDArray facNorm;
  private INDArray hd;
  private INDArray fac;
  private INDArray logRates;
  private INDArray ciIn;
  private INDArray fin;
  private INDArray uPost;
  private INDArray uSample;

  Nd4jLfadsPass(LfadsSpec spec, ParameterLayout layout, Nd4jBlocks theta, Nd4jBlocks grad) {
    this.spec = spec;
    nIn = spec.nIn();
    nOut = spec.nOut();
    encIc = spec.icEncDim();
    dimG0 = spec.g0Dim();
    dimGen = spec.genDim();
    nFac = spec.factors();
    encCi = spec.ciEncDim();
    dimU = spec.inputDim();
    lag = spec.controllerLag();
    controller = spec.controllerOn();
    logPostVarMin = spec.g0PostVarMin() > 0 ? Math.log(spec.g0PostVarMin()) : Double.NaN;
    g0PostW = theta.view("g0_post/w");
    g0PostB = theta.view("g0_post/b");
    g0PriorMean = theta.view("g0_prior/mean");
    g0PriorLogVar = theta.view("g0_prior/logvar");
    g0GenW = theta.view("g0_to_gen/w");
    g0GenB = theta.view("g0_to_gen/b");
    facW = theta.view("factors/w");
    outW = theta.view("readout/w");
    outB = theta.view("readout/b");
    gG0PostW = grad.view("g0_post/w");
    gG0PostB = grad.view("g0_post/b");
    gG0PriorMean = grad.view("g0_prior/mean");
    gG0PriorLogVar = grad.view("g0_prior/logvar");
    gG0GenW = grad.view("g0_to_gen/w");
    gG0GenB = grad.view("g0_to_gen/b");
    gFacW = grad.view("factors/w");
    gOutW = grad.view("readout/w");
    gOutB = grad.view("readout/b");
    gradFlat = grad.flat();
    double clip = spec.cellClip();
    icFwd = new Nd4jGru(layout, "ic_enc_fwd", nIn, encIc, clip, theta, grad);
    icBwd = new Nd4jGru(layout, "ic_enc_bwd", nIn, encIc, clip, theta, grad);
    gen = new Nd4jGru(layout, "gen", dimU, dimGen, clip, theta, grad);
    if (controller) {
      uPostW = theta.view("u_post/w");
      uPostB = theta.view("u_post/b");
      logTau = theta.view("u_prior/log_tau");
      logNoiseVar = theta.view("u_prior/log_noise_var");
      gUPostW = grad.view("u_post/w");
      gUPostB = grad.view("u_post/b");
      gLogTau = grad.view("u_prior/log_tau");
      gLogNoiseVar = grad.view("u_prior/log_noise_var");
      ciFwd = new Nd4jGru(layout, "ci_enc_fwd", nIn, encCi, clip, theta, grad);
      ciBwd = new Nd4jGru(layout, "ci_enc_bwd", nIn, encCi, clip, theta, grad);
      con = new Nd4jGru(layout, "con", 2 * encCi + nFac, spec.controllerDim(), clip, theta, grad);
    } else {
      uPostW = uPostB = logTau = logNoiseVar = null;
      gUPostW = gUPostB = gLogTau = gLogNoiseVar = null;
      ciFwd = ciBwd = con = null;
    }
  }

  /** Forward and backward pass over {@code tb}: fills the gradient's flat array and returns the cost terms. */
  CostTerms costAndGradient(TrialBatch tb, PassNoise noise, double klW, double l2W) {
    int rows = tb.trials() * tb.bins();
    CostTerms cost = forward(matrix(tb.x(), rows, nIn), matrix(tb.y(), rows, nOut), tb.trials(), tb.bins(), 0, noise,
        klW, l2W);
    backward();
    return cost;
  }

  /**
   * {@link #costAndGradient(TrialBatch, PassNoise, double, double)} on a batch as the engine gives it
   * (features [trials, bins, nIn], labels [trials, bins, nOut], checked by {@link TrialBatch#check}),
   * laid out time-major by ND4J on the arrays' device: the counts are not copied through the host.
   */
  CostTerms costAndGradient(Batch batch, PassNoise noise, double klW, double l2W) {
    TrialBatch.check(batch, spec);
    int b = (int) batch.features().size(0);
    int t = (int) batch.features().size(1);
    CostTerms cost = forward(timeMajor(batch.features()), timeMajor(batch.labels()), b, t, 0, noise, klW, l2W);
    backward();
    return cost;
  }

  /** [trials, bins, width] to time-major [bins * trials, width] float (row t * trials + r). */
  static INDArray timeMajor(INDArray a) {
    long n = a.size(0);
    long bins = a.size(1);
    long width = a.size(2);
    return a.castTo(DataType.FLOAT).permute(1, 0, 2).dup('c').reshape('c', bins * n, width);
  }

  /**
   * The forward pass on time-major input x [T*B, nIn] and counts y [T*B, nOut], every activation
   * kept for {@link #backward}; then, as {@link LfadsGraph}'s forward prediction, {@code ahead} more
   * generator steps past the data with inferred input 0 (the cost covers the T observed bins only;
   * {@code noise} must be drawn for T + ahead steps; {@link #backward} needs ahead = 0).
   */
  CostTerms forward(INDArray x, INDArray counts, int b, int t, int ahead, PassNoise noise, double klW, double l2W) {
    if (ahead < 0) {
      throw new IllegalArgumentException("steps ahead must be >= 0: " + ahead);
    }
    int rows = b * t;
    int all = b * (t + ahead);
    batch = b;
    steps = t;
    genSteps = t + ahead;
    klWeight = klW;
    l2Weight = l2W;
    xd = x.dup();
    if (noise.maskX != null) {
      xd.muli(rows(matrix(noise.maskX, all, nIn), 0, rows));
    }
    if (noise.maskCd != null) {
      xd.muli(rows(matrix(noise.maskCd, all, nIn), 0, rows));
    }
    y = counts;
    reconWeight = noise.reconWeight == null ? null : rows(matrix(noise.reconWeight, all, nOut), 0, rows);
    maskIc = noise.maskIc == null ? null : matrix(noise.maskIc, b, 2 * encIc);
    maskCon = noise.maskCon == null ? null : matrix(noise.maskCon, all, 2 * encCi + nFac);
    maskGen = noise.maskGen == null ? null : matrix(noise.maskGen, all, dimGen);
    epsG0 = matrix(noise.epsG0, b, dimG0);
    epsU = controller ? matrix(noise.epsU, all, dimU) : null;
    xdRev = Nd4j.zeros(DataType.FLOAT, rows, nIn);
    for (int s = 0; s < t; s++) {
      rows(xdRev, (long) (t - 1 - s) * b, b).assign(rows(xd, (long) s * b, b));
    }
    runEncoder(icFwd, xd);
    runEncoder(icBwd, xdRev);
    INDArray klG0 = g0Posterior();
    gen.start(b, genSteps, g0.mmul(g0GenW).addiRowVector(g0GenB));
    facNorm = Transforms.sqrt(Transforms.max(facW.mul(facW).sum(true, 0), 1e-12, false), false);
    wfn = facW.divRowVector(facNorm);
    hd = Nd4j.zeros(DataType.FLOAT, all, dimGen);
    if (controller) {
      runEncoder(ciFwd, xd);
      runEncoder(ciBwd, xdRev);
      controllerInputs();
      con.start(b, genSteps);
      con.projectAll(ciIn, 0);
      fin = Nd4j.zeros(DataType.FLOAT, all, nFac);
      fac = Nd4j.zeros(DataType.FLOAT, all, nFac);
      uPost = Nd4j.zeros(DataType.FLOAT, all, 2L * dimU);
      uSample = Nd4j.zeros(DataType.FLOAT, all, dimU);
    }
    for (int s = 0; s < genSteps; s++) {
      if (controller) {
        if (s < t) {
          controllerStep(s);
        } else {
          // past the data: inferred input 0 (posterior mean and sample stay 0), the generator's input projected
          gen.projectStep(s, rows(uSample, (long) s * b, b), 0, false);
        }
      }
      gen.forwardStep(s);
      INDArray h = gen.state(s + 1);
      INDArray hds = rows(hd, (long) s * b, b).assign(h);
      if (maskGen != null) {
        hds.muli(rows(maskGen, (long) s * b, b));
      }
      if (controller) {
        rows(fac, (long) s * b, b).assign(hds.mmul(wfn));
      }
    }
    if (!controller) {
      fac = hd.mmul(wfn);
    }
    logRates = fac.mmul(outW).addiRowVector(outB);
    // log p(k | rate) = k log-rate - rate - log k!, with log k! = lgamma(k + 1).
    INDArray logFactorial = Nd4j.exec(new Lgamma(y.add(1f)))[0];
    INDArray observed = rows(logRates, 0, rows);
    INDArray ll = y.mul(observed).subi(Transforms.exp(observed, true)).subi(logFactorial);
    if (reconWeight != null) {
      ll.muli(reconWeight);
    }
    double nll = -ll.castTo(DataType.DOUBLE).sumNumber().doubleValue() / b;
    double klg0 = klG0.getDouble(0) / b;
    double klu = controller ? inputKl(false).getDouble(0) / b : 0.0;
    double l2 = l2Cost().getDouble(0);
    return new CostTerms(nll + klW * (klg0 + klu) + l2W * l2, nll, klg0, klu, l2, klW, l2W);
  }

  private static INDArray matrix(float[] values, long rows, long cols) {
    return Nd4j.createFromArray(values).reshape('c', rows, cols);
  }

  private void runEncoder(Nd4jGru gru, INDArray input) {
    gru.start(batch, steps);
    gru.projectAll(input, 0);
    for (int k = 0; k < steps; k++) {
      gru.forwardStep(k);
    }
  }

  /** The g0 posterior from the encoders' final states, its sample, and the summed KL to the prior (a scalar array). */
  private INDArray g0Posterior() {
    icCat = Nd4j.hstack(icFwd.state(steps), icBwd.state(steps));
    if (maskIc != null) {
      icCat.muli(maskIc);
    }
    INDArray post = icCat.mmul(g0PostW).addiRowVector(g0PostB);
    g0Mean = post.get(all(), interval(0, dimG0)).dup();
    g0Raw = post.get(all(), interval(dimG0, 2 * dimG0)).dup();
    g0LogVar = floorLogVar(g0Raw);
    g0 = Transforms.exp(g0LogVar.mul(0.5f), false).muli(epsG0).addi(g0Mean);
    // KL(N(m, e^lv) || N(pm, e^plv)) = 0.5 (plv - lv + e^(lv - plv) + (m - pm)^2 e^-plv - 1)
    INDArray d = g0Mean.subRowVector(g0PriorMean);
    INDArray invPriorVar = Transforms.exp(g0PriorLogVar.neg(), false);
    INDArray kl = Transforms.exp(g0LogVar.subRowVector(g0PriorLogVar), false)
        .addi(d.mul(d).muliRowVector(invPriorVar)).subi(g0LogVar).addiRowVector(g0PriorLogVar).subi(1f);
    return kl.castTo(DataType.DOUBLE).sum().muli(0.5);
  }

  /** log(exp(raw) + floor) = max(raw, lf) + log1p(exp(-|raw - lf|)), lf = log floor; raw itself when floor is 0. */
  private INDArray floorLogVar(INDArray raw) {
    if (Double.isNaN(logPostVarMin)) {
      return raw.dup();
    }
    INDArray shifted = raw.sub(logPostVarMin);
    INDArray soft = Transforms.log1p(Transforms.exp(Transforms.abs(shifted, true).negi(), false), false);
    return Transforms.max(shifted, 0.0, false).addi(soft).addi(logPostVarMin);
  }

  /** d floorLogVar / d raw = sigmoid(raw - lf); 1 when the floor is 0. */
  private INDArray floorLogVarSlope(INDArray raw) {
    if (Double.isNaN(logPostVarMin)) {
      return Nd4j.onesLike(raw);
    }
    return Transforms.sigmoid(raw.sub(logPostVarMin), false);
  }

  /**
   * The controller's encoder inputs [T*B, 2 ciEnc]: forward encoder at t - lag, backward at t + lag
   * (zero outside the bins), times their dropout mask.
   */
  private void controllerInputs() {
    int b = batch;
    ciIn = Nd4j.zeros(DataType.FLOAT, (long) genSteps * b, 2L * encCi);
    if (lag < steps) {
      int n = (steps - lag) * b;
      // forward: rows t >= lag take the state after step t - lag
      rows(ciIn, (long) lag * b, n).get(all(), interval(0, encCi)).assign(rows(ciFwd.outputStates(), 0, n));
      for (int t = 0; t + lag < steps; t++) {
        // backward: the state after the backward encoder's step T - 1 - (t + lag)
        rows(ciIn, (long) t * b, b).get(all(), interval(encCi, 2 * encCi))
            .assign(ciBwd.state(steps - t - lag));
      }
    }
    if (maskCon != null) {
      ciIn.muli(maskCon.get(all(), interval(0, 2 * encCi)));
    }
  }

  /** Controller step t: its input gets f_{t-1}, it emits the u_t posterior and a sample into the generator. */
  private void controllerStep(int t) {
    int b = batch;
    long from = (long) t * b;
    INDArray prev = t == 0 ? gen.state(0).mmul(wfn) : rows(fac, from - b, b);
    INDArray f = rows(fin, from, b).assign(prev);
    if (maskCon != null) {
      f.muli(rows(maskCon, from, b).get(all(), interval(2 * encCi, 2 * encCi + nFac)));
    }
    con.projectStep(t, f, 2 * encCi, true);
    con.forwardStep(t);
    INDArray post = rows(uPost, from, b).assign(con.state(t + 1).mmul(uPostW).addiRowVector(uPostB));
    INDArray mean = post.get(all(), interval(0, dimU));
    INDArray lv = post.get(all(), interval(dimU, 2 * dimU));
    INDArray sample = rows(uSample, from, b)
        .assign(Transforms.exp(lv.mul(0.5f), false).muli(rows(epsU, from, b)).addi(mean));
    gen.projectStep(t, sample, 0, false);
  }

  /**
   * Summed over trials and dimensions: log q(u) - log p(u) at the posterior sample under the AR(1)
   * prior (see {@link Ar1Prior}), a scalar array. With {@code gradient}, returns it too and adds the
   * prior parameters' gradients; the gradient of klWeight / B * KL with respect to the samples
   * is left in {@code dUKl}.
   */
  private INDArray dUKl;

  private INDArray inputKl(boolean gradient) {
    int b = batch;
    long rows = (long) steps * b;
    INDArray lvQ = rows(uPost, 0, rows).get(all(), interval(dimU, 2 * dimU));
    INDArray eps = rows(epsU, 0, rows);
    INDArray logQ = lvQ.add(eps.mul(eps)).addi(LOG_2PI).muli(-0.5f);
    // phi = exp(-exp(-log tau)); log process variance = log noise var - log(1 - phi) - log(1 + phi).
    INDArray lt = logTau.castTo(DataType.DOUBLE);
    INDArray ln = logNoiseVar.castTo(DataType.DOUBLE);
    INDArray phi = Transforms.exp(Transforms.exp(lt.neg(), false).negi(), false);
    INDArray logPv = ln.sub(Transforms.log1p(phi.neg(), false)).subi(Transforms.log1p(phi, true));
    INDArray invPv = Transforms.exp(logPv.neg(), false);
    INDArray invNv = Transforms.exp(ln.neg(), false);
    INDArray z = rows(uSample, 0, rows).castTo(DataType.DOUBLE);
    INDArray z0 = rows(z, 0, b);
    INDArray z0sq = z0.mul(z0);
    INDArray lp0 = z0sq.mulRowVector(invPv).addiRowVector(logPv).addi(LOG_2PI).muli(-0.5);
    double logP = lp0.sumNumber().doubleValue();
    INDArray e = null;
    INDArray zPrev = null;
    if (steps > 1) {
      zPrev = rows(z, 0, rows - b);
      e = rows(z, b, rows - b).sub(zPrev.mulRowVector(phi));
      INDArray lpt = e.mul(e).muliRowVector(invNv).addiRowVector(ln).addi(LOG_2PI).muli(-0.5);
      logP += lpt.sumNumber().doubleValue();
    }
    double total = logQ.castTo(DataType.DOUBLE).sumNumber().doubleValue() - logP;
    if (gradient) {
      double weight = -klWeight / b;
      // d log p / d z, then scaled by -klWeight / B (the KL is minus log p in z).
      INDArray dz = Nd4j.zeros(DataType.DOUBLE, rows, dimU);
      rows(dz, 0, b).assign(z0.mulRowVector(invPv).negi());
      INDArray dLogPv = z0sq.mulRowVector(invPv).rsubi(1.0).muli(-0.5).sum(true, 0);
      INDArray dLogNv = dLogPv.dup();
      INDArray dPhi = dLogPv.mul(phi).muli(2).divi(phi.mul(phi).rsubi(1.0));
      if (steps > 1) {
        INDArray g = e.mulRowVector(invNv);
        rows(dz, b, rows - b).subi(g);
        rows(dz, 0, rows - b).addi(g.mulRowVector(phi));
        dPhi.addi(g.mul(zPrev).sum(true, 0));
        dLogNv.addi(e.mul(e).muliRowVector(invNv).rsubi(1.0).muli(-0.5).sum(true, 0));
      }
      dUKl = dz.muli(weight).castTo(DataType.FLOAT);
      gLogTau.addi(dPhi.muli(phi).muli(Transforms.exp(lt.neg(), false)).muli(weight).castTo(DataType.FLOAT));
      gLogNoiseVar.addi(dLogNv.muli(weight).castTo(DataType.FLOAT));
    }
    return Nd4j.scalar(total);
  }

  private int l2Count() {
    return gen.recurrentWeightCount() + (controller ? con.recurrentWeightCount() : 0);
  }

  /** The L2 cost: sum of scale/2 ||W||^2 over regularized recurrent weights, divided by their count (a scalar array). */
  private INDArray l2Cost() {
    INDArray s = gen.recurrentSquaredNorm().castTo(DataType.DOUBLE).muli(0.5 * spec.l2GenScale());
    if (controller) {
      s.addi(con.recurrentSquaredNorm().castTo(DataType.DOUBLE).muli(0.5 * spec.l2ConScale()));
    }
    return s.divi(l2Count());
  }

  /** Fills the gradient's flat array with d total / d parameters of the last {@link #forward}. */
  void backward() {
    if (batch < 0) {
      throw new IllegalStateException("backward() before forward()");
    }
    if (genSteps != steps) {
      throw new IllegalStateException("backward() after a forward pass " + (genSteps - steps) + " steps past the data");
    }
    gradFlat.assign(0);
    for (Nd4jGru gru : new Nd4jGru[] {icFwd, icBwd, gen, ciFwd, ciBwd, con}) {
      if (gru != null) {
        gru.startBackward();
      }
    }
    int b = batch;
    INDArray dLogRates = Transforms.exp(logRates, true).subi(y).muli(1f / b);
    if (reconWeight != null) {
      dLogRates.muli(reconWeight);
    }
    gOutW.addi(fac.transpose().mmul(dLogRates));
    gOutB.addi(dLogRates.sum(true, 0));
    INDArray dFac = dLogRates.mmul(outW.transpose());
    INDArray dWfn;
    if (!controller) {
      INDArray dHd = dFac.mmul(wfn.transpose());
      if (maskGen != null) {
        dHd.muli(maskGen);
      }
      for (int t = steps - 1; t >= 0; t--) {
        gen.carry().addi(rows(dHd, (long) t * b, b));
        gen.backwardStep(t);
      }
      dWfn = hd.transpose().mmul(dFac);
    } else {
      dWfn = backwardThroughController(dFac);
    }
    gen.recurrentGradients();
    if (controller) {
      gen.inputWeightGradient(uSample, 0);
    }
    // gen.carry() now holds dL/d(generator initial state) = dL/d(g0 W + b).
    INDArray dInit = gen.carry();
    gG0GenW.addi(g0.transpose().mmul(dInit));
    gG0GenB.addi(dInit.sum(true, 0));
    g0PosteriorBackward(dInit.mmul(g0GenW.transpose()));
    // d/dW of W_ij / ||W_.j||: (dWn_ij - Wn_ij sum_k Wn_kj dWn_kj) / ||W_.j||
    INDArray s = wfn.mul(dWfn).sum(true, 0);
    gFacW.addi(dWfn.sub(wfn.mulRowVector(s)).diviRowVector(facNorm));
    if (l2Weight > 0) {
      int n = l2Count();
      gen.addRecurrentL2Gradient((float) (l2Weight * spec.l2GenScale() / n));
      if (controller) {
        con.addRecurrentL2Gradient((float) (l2Weight * spec.l2ConScale() / n));
      }
    }
  }

  /** Backpropagates generator, controller and controller encoders; returns dL/d(normalized factor weights). */
  private INDArray backwardThroughController(INDArray dFac) {
    int b = batch;
    inputKl(true);
    float logVarKl = (float) (-0.5 * klWeight / b);
    INDArray dUPost = Nd4j.zeros(DataType.FLOAT, (long) steps * b, 2L * dimU);
    INDArray dFacCon = Nd4j.zeros(DataType.FLOAT, b, nFac);
    INDArray facMask = maskCon == null ? null : maskCon.get(all(), interval(2 * encCi, 2 * encCi + nFac));
    for (int t = steps - 1; t >= 0; t--) {
      long from = (long) t * b;
      INDArray dFacT = rows(dFac, from, b).addi(dFacCon);
      INDArray dHd = dFacT.mmul(wfn.transpose());
      if (maskGen != null) {
        dHd.muli(rows(maskGen, from, b));
      }
      gen.carry().addi(dHd);
      gen.backwardStep(t);
      INDArray g = gen.inputGradientStep(t, 0, dimU).addi(rows(dUKl, from, b));
      INDArray lv = rows(uPost, from, b).get(all(), interval(dimU, 2 * dimU));
      INDArray dPost = rows(dUPost, from, b);
      dPost.get(all(), interval(0, dimU)).assign(g);
      dPost.get(all(), interval(dimU, 2 * dimU)).assign(
          Transforms.exp(lv.mul(0.5f), false).muli(rows(epsU, from, b)).muli(g).muli(0.5f).addi(logVarKl));
      con.carry().addi(dPost.mmul(uPostW.transpose()));
      con.backwardStep(t);
      dFacCon = con.inputGradientStep(t, 2 * encCi, nFac);
      if (facMask != null) {
        dFacCon.muli(rows(facMask, from, b));
      }
    }
    // dFacCon now holds dL/d f_{-1}, the factors of the generator's initial state.
    INDArray dWfn = hd.transpose().mmul(dFac).addi(gen.state(0).transpose().mmul(dFacCon));
    gen.carry().addi(dFacCon.mmul(wfn.transpose()));
    gUPostW.addi(con.outputStates().transpose().mmul(dUPost));
    gUPostB.addi(dUPost.sum(true, 0));
    con.recurrentGradients();
    con.inputWeightGradient(ciIn, 0);
    con.inputWeightGradient(fin, 2 * encCi);
    INDArray dCiIn = con.inputGradientAll(0, 2 * encCi);
    if (maskCon != null) {
      dCiIn.muli(maskCon.get(all(), interval(0, 2 * encCi)));
    }
    long rows = (long) steps * b;
    INDArray extFwd = Nd4j.zeros(DataType.FLOAT, rows, encCi);
    INDArray extBwd = Nd4j.zeros(DataType.FLOAT, rows, encCi);
    if (lag < steps) {
      long n = (long) (steps - lag) * b;
      rows(extFwd, 0, n).assign(rows(dCiIn, (long) lag * b, n).get(all(), interval(0, encCi)));
      for (int t = 0; t + lag < steps; t++) {
        rows(extBwd, (long) (steps - 1 - t - lag) * b, b)
            .assign(rows(dCiIn, (long) t * b, b).get(all(), interval(encCi, 2 * encCi)));
      }
    }
    backEncoder(ciFwd, extFwd, xd);
    backEncoder(ciBwd, extBwd, xdRev);
    return dWfn;
  }

  private void g0PosteriorBackward(INDArray dG0) {
    double scale = klWeight / batch;
    INDArray d = g0Mean.subRowVector(g0PriorMean);
    INDArray invPriorVar = Transforms.exp(g0PriorLogVar.neg(), false);
    INDArray ratio = Transforms.exp(g0LogVar.subRowVector(g0PriorLogVar), false);
    INDArray klDMean = d.mulRowVector(invPriorVar);
    INDArray dm = klDMean.mul(scale).addi(dG0);
    INDArray dlv = Transforms.exp(g0LogVar.mul(0.5f), false).muli(epsG0).muli(dG0).muli(0.5f)
        .addi(ratio.sub(1f).muli(0.5 * scale));
    INDArray dRaw = dlv.muli(floorLogVarSlope(g0Raw));
    gG0PriorMean.addi(klDMean.sum(true, 0).muli(-scale));
    gG0PriorLogVar.addi(ratio.rsub(1f).subi(d.mul(d).muliRowVector(invPriorVar)).muli(0.5 * scale).sum(true, 0));
    INDArray dPost = Nd4j.hstack(dm, dRaw);
    gG0PostW.addi(icCat.transpose().mmul(dPost));
    gG0PostB.addi(dPost.sum(true, 0));
    INDArray dIcCat = dPost.mmul(g0PostW.transpose());
    if (maskIc != null) {
      dIcCat.muli(maskIc);
    }
    backEncoderFromFinal(icFwd, dIcCat.get(all(), interval(0, encIc)), xd);
    backEncoderFromFinal(icBwd, dIcCat.get(all(), interval(encIc, 2 * encIc)), xdRev);
  }

  /** Backpropagates an encoder whose only consumer is its final state. */
  private void backEncoderFromFinal(Nd4jGru gru, INDArray dFinal, INDArray input) {
    gru.carry().assign(dFinal);
    for (int k = steps - 1; k >= 0; k--) {
      gru.backwardStep(k);
    }
    gru.recurrentGradients();
    gru.inputWeightGradient(input, 0);
  }

  /** Backpropagates an encoder whose every state has a consumer ({@code ext}: [T*B, H] in processing order). */
  private void backEncoder(Nd4jGru gru, INDArray ext, INDArray input) {
    for (int k = steps - 1; k >= 0; k--) {
      gru.carry().addi(rows(ext, (long) k * batch, batch));
      gru.backwardStep(k);
    }
    gru.recurrentGradients();
    gru.inputWeightGradient(input, 0);
  }

  /** The last forward pass's outputs, copied to the host once (for evaluation and inference). */
  PassOutputs outputs() {
    float[] inputMeans = controller ? host(uPost.get(all(), interval(0, dimU))) : new float[0];
    return new PassOutputs(batch, nOut, nFac, dimU, dimG0, host(Transforms.exp(logRates, true)), host(fac), inputMeans,
        host(g0Mean));
  }

  /** A matrix's values in row-major order, on the host. */
  private static float[] host(INDArray m) {
    return m.dup('c').reshape('c', new long[] {m.length()}).toFloatVector();
  }
}
