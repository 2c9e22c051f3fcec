package org.neurolake.model.lfads;

import org.apache.commons.math3.special.Gamma;

/**
 * A straightforward double-precision LFADS forward pass, trial by trial and step by step, written
 * from the equations (the reference implementation's GRU with its forget bias and state clip, the
 * g0 posterior with its variance floor, the controller with its lagged encoders and the previous
 * factors, the sampled inferred-input KL under the AR(1) prior, the normalized factor weights, the
 * Poisson readout and the L2 penalty) with no batching, buffers or BLAS: the yardstick the fast
 * float model is tested against. It reads parameters in {@link ParameterLayout} order and takes a
 * pass's dropout masks (coordinated dropout's input mask included; from it the reference decides
 * itself which entries the reconstruction cost counts) and posterior noise from a {@link
 * PassNoise}. Its gradient is taken by central differences, which in double precision are exact
 * to about 1e-8 on these tiny models.
 */
final class LfadsReference {
  /** The four cost terms, averaged over trials as {@link CostTerms}. */
  record Terms(double nll, double klG0, double klU, double l2) {}

  private final LfadsSpec spec;
  private final ParameterLayout layout;

  LfadsReference(LfadsSpec spec) {
    this.spec = spec;
    this.layout = new ParameterLayout(spec);
  }

  ParameterLayout layout() {
    return layout;
  }

  /** The cost terms of one pass over {@code tb}'s trials at parameters {@code p}. */
  Terms forward(double[] p, TrialBatch tb, PassNoise noise) {
    int b = tb.trials();
    double nll = 0;
    double klG0 = 0;
    double klU = 0;
    for (int r = 0; r < b; r++) {
      double[] trial = trial(p, tb, noise, r);
      nll += trial[0];
      klG0 += trial[1];
      klU += trial[2];
    }
    return new Terms(nll / b, klG0 / b, klU / b, l2(p));
  }

  /** Trial r's -log-likelihood, g0 KL and inferred-input KL. */
  private double[] trial(double[] p, TrialBatch tb, PassNoise noise, int r) {
    int b = tb.trials();
    int steps = tb.bins();
    int nIn = spec.nIn();
    int nOut = spec.nOut();
    int enc = spec.icEncDim();
    int z = spec.g0Dim();
    int gen = spec.genDim();
    int nFac = spec.factors();
    boolean controller = spec.controllerOn();
    double[][] x = new double[steps][nIn];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < nIn; i++) {
        int at = (t * b + r) * nIn + i;
        x[t][i] = tb.x()[at] * keep(noise.maskX, at) * keep(noise.maskCd, at);
      }
    }
    double[][] xRev = new double[steps][];
    for (int t = 0; t < steps; t++) {
      xRev[t] = x[steps - 1 - t];
    }

    // Initial condition: both encoders' final states, dropout, the posterior and its sample.
    double[] fwdFinal = encode(p, "ic_enc_fwd", x)[steps];
    double[] bwdFinal = encode(p, "ic_enc_bwd", xRev)[steps];
    double[] icCat = new double[2 * enc];
    for (int j = 0; j < enc; j++) {
      icCat[j] = fwdFinal[j] * keep(noise.maskIc, r * 2 * enc + j);
      icCat[enc + j] = bwdFinal[j] * keep(noise.maskIc, r * 2 * enc + enc + j);
    }
    double[] post = affine(p, icCat, "g0_post/w", "g0_post/b");
    double[] g0 = new double[z];
    double klG0 = 0;
    for (int k = 0; k < z; k++) {
      double mean = post[k];
      double logVar = floorLogVar(post[z + k], spec.g0PostVarMin());
      g0[k] = mean + Math.exp(0.5 * logVar) * noise.epsG0[r * z + k];
      klG0 += gaussianKl(mean, logVar, at(p, "g0_prior/mean", k), at(p, "g0_prior/logvar", k));
    }
    double[] state = affine(p, g0, "g0_to_gen/w", "g0_to_gen/b");
    double[][] wfn = normalizedFactorWeights(p);

    // The controller's encoders: forward output at t - lag, backward output at t + lag.
    double[][] ciFwd = null;
    double[][] ciBwd = null;
    double[] conState = null;
    double[] prevFactors = null;
    int ci = spec.ciEncDim();
    int width = 2 * ci + nFac;
    int u = spec.inputDim();
    double[][] uSample = controller ? new double[steps][u] : null;
    double logQ = 0;
    if (controller) {
      ciFwd = encode(p, "ci_enc_fwd", x);
      ciBwd = encode(p, "ci_enc_bwd", xRev);
      conState = vector(p, "con/h0");
      prevFactors = times(state, wfn);
    }

    double ll = 0;
    for (int t = 0; t < steps; t++) {
      int row = t * b + r;
      double[] genInput = new double[0];
      if (controller) {
        double[] conIn = new double[width];
        int tf = t - spec.controllerLag();
        int tb2 = t + spec.controllerLag();
        for (int j = 0; j < ci; j++) {
          conIn[j] = (tf >= 0 ? ciFwd[tf + 1][j] : 0) * keep(noise.maskCon, row * width + j);
          conIn[ci + j] = (tb2 < steps ? ciBwd[steps - tb2][j] : 0) * keep(noise.maskCon, row * width + ci + j);
        }
        for (int j = 0; j < nFac; j++) {
          conIn[2 * ci + j] = prevFactors[j] * keep(noise.maskCon, row * width + 2 * ci + j);
        }
        conState = gruStep(p, "con", conIn, conState);
        double[] uPost = affine(p, conState, "u_post/w", "u_post/b");
        genInput = new double[u];
        for (int d = 0; d < u; d++) {
          double e = noise.epsU[row * u + d];
          genInput[d] = uPost[d] + Math.exp(0.5 * uPost[u + d]) * e;
          uSample[t][d] = genInput[d];
          logQ += -0.5 * (Math.log(2 * Math.PI) + uPost[u + d] + e * e);
        }
      }
      state = gruStep(p, "gen", genInput, state);
      double[] dropped = new double[gen];
      for (int i = 0; i < gen; i++) {
        dropped[i] = state[i] * keep(noise.maskGen, row * gen + i);
      }
      double[] factors = times(dropped, wfn);
      prevFactors = factors;
      double[] logRates = affine(p, factors, "readout/w", "readout/b");
      for (int n = 0; n < nOut; n++) {
        double count = tb.y()[row * nOut + n];
        // Coordinated dropout: the held-in neurons' cost only where their input was dropped.
        boolean counted = noise.maskCd == null || n >= nIn || noise.maskCd[row * nIn + n] == 0f;
        if (counted) {
          ll += count * logRates[n] - Math.exp(logRates[n]) - Gamma.logGamma(count + 1.0);
        }
      }
    }
    double klU = 0;
    if (controller) {
      double logP = 0;
      for (int d = 0; d < u; d++) {
        double[] seq = new double[steps];
        for (int t = 0; t < steps; t++) {
          seq[t] = uSample[t][d];
        }
        logP += ar1LogDensity(seq, at(p, "u_prior/log_tau", d), at(p, "u_prior/log_noise_var", d));
      }
      klU = logQ - logP;
    }
    return new double[] {-ll, klG0, klU};
  }

  /** A GRU with a learnable initial state over the inputs: states[0] the initial state, states[k+1] after step k. */
  private double[][] encode(double[] p, String prefix, double[][] inputs) {
    double[][] states = new double[inputs.length + 1][];
    states[0] = vector(p, prefix + "/h0");
    for (int k = 0; k < inputs.length; k++) {
      states[k + 1] = gruStep(p, prefix, inputs[k], states[k]);
    }
    return states;
  }

  /**
   * r = sigmoid(x Wxr + h Whr + br), u = sigmoid(x Wxu + h Whu + bu + 1), c = tanh(x Wxc + (r h)
   * Whc + bc), h' = clip(u h + (1 - u) c).
   */
  private double[] gruStep(double[] p, String prefix, double[] x, double[] h) {
    int n = h.length;
    double[] pre = new double[3 * n];
    if (x.length > 0) {
      ParameterLayout.Block wx = layout.block(prefix + "/wx");
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < 3 * n; j++) {
          pre[j] += x[i] * p[wx.offset() + i * 3 * n + j];
        }
      }
    }
    ParameterLayout.Block whRu = layout.block(prefix + "/wh_ru");
    for (int j = 0; j < 2 * n; j++) {
      double s = at(p, prefix + "/b_ru", j) + (j >= n ? 1.0 : 0.0);
      for (int i = 0; i < n; i++) {
        s += h[i] * p[whRu.offset() + i * 2 * n + j];
      }
      pre[j] += s;
    }
    double[] reset = new double[n];
    double[] update = new double[n];
    for (int j = 0; j < n; j++) {
      reset[j] = 1 / (1 + Math.exp(-pre[j]));
      update[j] = 1 / (1 + Math.exp(-pre[n + j]));
    }
    ParameterLayout.Block whC = layout.block(prefix + "/wh_c");
    double clip = spec.cellClip();
    double[] next = new double[n];
    for (int j = 0; j < n; j++) {
      double s = pre[2 * n + j] + at(p, prefix + "/b_c", j);
      for (int i = 0; i < n; i++) {
        s += reset[i] * h[i] * p[whC.offset() + i * n + j];
      }
      double c = Math.tanh(s);
      double v = update[j] * h[j] + (1 - update[j]) * c;
      next[j] = Math.max(-clip, Math.min(clip, v));
    }
    return next;
  }

  /** W_ij / ||W_.j|| of factors/w. */
  private double[][] normalizedFactorWeights(double[] p) {
    ParameterLayout.Block w = layout.block("factors/w");
    double[][] out = new double[w.rows()][w.cols()];
    for (int j = 0; j < w.cols(); j++) {
      double s = 0;
      for (int i = 0; i < w.rows(); i++) {
        s += p[w.offset() + i * w.cols() + j] * p[w.offset() + i * w.cols() + j];
      }
      double norm = Math.sqrt(Math.max(s, 1e-12));
      for (int i = 0; i < w.rows(); i++) {
        out[i][j] = p[w.offset() + i * w.cols() + j] / norm;
      }
    }
    return out;
  }

  /** (scaleGen/2 ||gen recurrent||^2 + scaleCon/2 ||con recurrent||^2) / their element count. */
  private double l2(double[] p) {
    double gen = squaredNorm(p, "gen/wh_ru") + squaredNorm(p, "gen/wh_c");
    double count = 3.0 * spec.genDim() * spec.genDim();
    double cost = 0.5 * spec.l2GenScale() * gen;
    if (spec.controllerOn()) {
      cost += 0.5 * spec.l2ConScale() * (squaredNorm(p, "con/wh_ru") + squaredNorm(p, "con/wh_c"));
      count += 3.0 * spec.controllerDim() * spec.controllerDim();
    }
    return cost / count;
  }

  /** log N(z_0; 0, v/(1-phi^2)) + sum_t log N(z_t; phi z_{t-1}, v), phi = exp(-1/tau). */
  private static double ar1LogDensity(double[] z, double logTau, double logNoiseVar) {
    double phi = Math.exp(-Math.exp(-logTau));
    double noiseVar = Math.exp(logNoiseVar);
    double lp = normalLogDensity(z[0], 0, noiseVar / (1 - phi * phi));
    for (int t = 1; t < z.length; t++) {
      lp += normalLogDensity(z[t], phi * z[t - 1], noiseVar);
    }
    return lp;
  }

  private static double normalLogDensity(double v, double mean, double var) {
    double d = v - mean;
    return -0.5 * (Math.log(2 * Math.PI * var) + d * d / var);
  }

  /** KL(N(m, e^lv) || N(pm, e^plv)). */
  private static double gaussianKl(double m, double lv, double pm, double plv) {
    double varRatio = Math.exp(lv) / Math.exp(plv);
    return 0.5 * (Math.log(1 / varRatio) + varRatio + (m - pm) * (m - pm) / Math.exp(plv) - 1);
  }

  /** log(e^raw + floor). */
  private static double floorLogVar(double raw, double floor) {
    return Math.log(Math.exp(raw) + floor);
  }

  private double[] affine(double[] p, double[] in, String w, String bias) {
    ParameterLayout.Block wb = layout.block(w);
    double[] out = vector(p, bias);
    for (int i = 0; i < wb.rows(); i++) {
      for (int j = 0; j < wb.cols(); j++) {
        out[j] += in[i] * p[wb.offset() + i * wb.cols() + j];
      }
    }
    return out;
  }

  private static double[] times(double[] v, double[][] w) {
    double[] out = new double[w[0].length];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < out.length; j++) {
        out[j] += v[i] * w[i][j];
      }
    }
    return out;
  }

  private double[] vector(double[] p, String name) {
    ParameterLayout.Block b = layout.block(name);
    double[] out = new double[b.size()];
    System.arraycopy(p, b.offset(), out, 0, b.size());
    return out;
  }

  private double at(double[] p, String name, int i) {
    return p[layout.block(name).offset() + i];
  }

  private double squaredNorm(double[] p, String name) {
    ParameterLayout.Block b = layout.block(name);
    double s = 0;
    for (int i = b.offset(); i < b.offset() + b.size(); i++) {
      s += p[i] * p[i];
    }
    return s;
  }

  private static double keep(float[] mask, int i) {
    return mask == null ? 1.0 : mask[i];
  }
}
