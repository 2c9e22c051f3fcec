package org.neurolake.model.vae;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.neurolake.model.api.Batch;

/**
 * The paper's per-sentence metrics of a model over a list of sentences, in nats:
 * <ul>
 *   <li>{@code nll}: the ELBO's bound, mean over sentences of recon + KL (recon at one posterior
 *       sample, noise seeded by {@code seed} and the batch); {@code recon}, {@code kl} its terms;</li>
 *   <li>{@code ppl}: exp(total bound / total tokens, {@code <eos>} included);</li>
 *   <li>{@code nll_is}, {@code ppl_is}: the same from the importance-sampled log-likelihood with
 *       {@code samples} posterior samples (skipped when samples is 0);</li>
 *   <li>{@code active_units}: latent dimensions whose posterior mean varies over the sentences by
 *       more than {@value #ACTIVE_VARIANCE} (population variance);</li>
 *   <li>{@code sentences}, {@code tokens}.</li>
 * </ul>
 * For the RNNLM (no latent), recon is the exact NLL, KL 0, nll_is = nll, active_units 0.
 */
public final class SentenceVaeEvaluation {
  /** Burda et al.'s activity threshold on the posterior mean's variance. */
  public static final double ACTIVE_VARIANCE = 0.01;

  private final int batchSize;
  private final int samples;
  private final long seed;

  /**
   * @param batchSize sentences per pass
   * @param samples k of the importance-sampled estimate; 0 = skip it
   * @param seed the noise of the bound's sample and of the importance samples (mixed with the batch index)
   */
  public SentenceVaeEvaluation(int batchSize, int samples, long seed) {
    if (batchSize < 1 || samples < 0) {
      throw new IllegalArgumentException("need batchSize >= 1 and samples >= 0, got " + batchSize + ", " + samples);
    }
    this.batchSize = batchSize;
    this.samples = samples;
    this.seed = seed;
  }

  /** The metrics by name, in the order of the class comment. */
  public Map<String, Double> evaluate(SentenceVaeModel model, List<int[]> sentences) {
    if (sentences.isEmpty()) {
      throw new IllegalArgumentException("no sentences to evaluate");
    }
    int z = model.vaeSpec().hasLatent() ? model.vaeSpec().latentSize() : 0;
    double[][] means = new double[z][sentences.size()];
    double recon = 0;
    double kl = 0;
    double logLikelihoodIs = 0;
    long tokens = 0;
    for (int from = 0, batchIndex = 0; from < sentences.size(); from += batchSize, batchIndex++) {
      int n = Math.min(batchSize, sentences.size() - from);
      Batch batch = SentenceShard.batchOf(sentences.subList(from, from + n).toArray(new int[0][]));
      long batchSeed = seed * 0x9E3779B97F4A7C15L + batchIndex;
      SentenceScores s = model.score(batch, batchSeed);
      for (int b = 0; b < n; b++) {
        recon += s.recon()[b];
        kl += s.kl()[b];
        for (int j = 0; j < z; j++) {
          means[j][from + b] = s.mu()[b][j];
        }
      }
      tokens += s.tokens();
      if (samples > 0) {
        for (double ll : model.importanceSampledLogLikelihood(batch, samples, batchSeed ^ 0x5DEECE66DL)) {
          logLikelihoodIs += ll;
        }
      }
    }
    int n = sentences.size();
    int active = 0;
    Variance variance = new Variance(false);
    for (int j = 0; j < z; j++) {
      if (variance.evaluate(means[j]) > ACTIVE_VARIANCE) {
        active++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("nll", (recon + kl) / n);
    m.put("recon", recon / n);
    m.put("kl", kl / n);
    m.put("ppl", Math.exp((recon + kl) / tokens));
    if (samples > 0) {
      m.put("nll_is", -logLikelihoodIs / n);
      m.put("ppl_is", Math.exp(-logLikelihoodIs / tokens));
    }
    m.put("active_units", (double) active);
    m.put("sentences", (double) n);
    m.put("tokens", (double) tokens);
    return m;
  }
}
