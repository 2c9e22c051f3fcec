package org.neurolake.model.vae;

/**
 * Per-sentence terms of a batch, nats: {@code recon} = -log p(x | z) at one posterior sample,
 * {@code kl} = KL(q(z | x) || p(z)) (0 for the RNNLM, whose recon is then the exact -log p(x)),
 * {@code lengths} = tokens incl. {@code <eos>}, {@code mu} = posterior means [n][Z].
 */
public record SentenceScores(double[] recon, double[] kl, int[] lengths, double[][] mu) {
  public int sentences() {
    return recon.length;
  }

  /** The ELBO's NLL bound of sentence b: recon + KL. */
  public double nllBound(int b) {
    return recon[b] + kl[b];
  }

  public long tokens() {
    long t = 0;
    for (int l : lengths) {
      t += l;
    }
    return t;
  }
}
