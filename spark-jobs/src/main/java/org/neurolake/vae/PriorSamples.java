package org.neurolake.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.neurolake.model.vae.SentenceVaeModel;

/**
 * Sentences decoded from latent codes drawn from the prior N(0, I) of a sentence VAE. Sample k uses
 * the generator seeded by {@code seed + k}: first its Z standard normals (z), then, at temperature
 * > 0, one number per decoded word; equal settings give equal samples.
 */
public final class PriorSamples {
  /** One sample: its seed, z, and the decoded ids ({@code <eos>} last when it was decoded). */
  public record Sample(long seed, float[] z, int[] ids) {}

  private final int maxLength;
  private final double temperature;

  /**
   * @param maxLength tokens per decode at most
   * @param temperature 0 = greedy decoding, else the softmax temperature of sampled decoding
   */
  public PriorSamples(int maxLength, double temperature) {
    if (maxLength < 1 || !(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("need maxLength >= 1 and a finite temperature >= 0, got " + maxLength + ", "
          + temperature);
    }
    this.maxLength = maxLength;
    this.temperature = temperature;
  }

  public List<Sample> draw(SentenceVaeModel model, int count, long seed) {
    if (!model.vaeSpec().hasLatent()) {
      throw new IllegalArgumentException("the run is the RNNLM baseline (no latent): nothing to draw z for");
    }
    int latent = model.vaeSpec().latentSize();
    List<Sample> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      SplittableRandom random = new SplittableRandom(seed + k);
      double[] z = new double[latent];
      float[] zf = new float[latent];
      for (int j = 0; j < latent; j++) {
        z[j] = random.nextGaussian();
        zf[j] = (float) z[j];
      }
      int[] ids = model.decode(new double[][] {z}, maxLength, SentenceTables.EOS, null, temperature, random)[0];
      out.add(new Sample(seed + k, zf, ids));
    }
    return out;
  }
}
