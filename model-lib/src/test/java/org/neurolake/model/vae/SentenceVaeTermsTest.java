package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/** The KL term against its closed form and a Monte Carlo estimate, the annealing schedules, word dropout. */
class SentenceVaeTermsTest {
  @Test
  void klMatchesTheClosedFormAndAMonteCarloEstimate() {
    double[][] mu = {{0.3, -1.2, 0.0}, {2.0, 0.5, -0.1}};
    double[][] logvar = {{-0.5, 0.2, 0.0}, {-2.0, 1.0, 0.3}};
    INDArray m = Nd4j.createFromArray(mu);
    INDArray lv = Nd4j.createFromArray(logvar);
    double[] kl = SentenceVaeNetwork.kl(m, lv).toDoubleVector();
    SplittableRandom r = new SplittableRandom(1);
    for (int b = 0; b < 2; b++) {
      double closed = 0;
      for (int j = 0; j < 3; j++) {
        double var = Math.exp(logvar[b][j]);
        closed += 0.5 * (var + mu[b][j] * mu[b][j] - 1 - logvar[b][j]);
      }
      assertEquals(closed, kl[b], 1e-12, "row " + b);
      // E_q[log q(z) - log p(z)] by sampling, through the pass's own log densities.
      int samples = 20000;
      double[][] eps = new double[samples][3];
      for (double[] e : eps) {
        for (int j = 0; j < 3; j++) {
          e[j] = r.nextGaussian();
        }
      }
      INDArray noise = Nd4j.createFromArray(eps);
      INDArray mus = Nd4j.createFromArray(new double[][] {mu[b]}).repeat(0, samples);
      INDArray lvs = Nd4j.createFromArray(new double[][] {logvar[b]}).repeat(0, samples);
      INDArray z = SentenceVaeNetwork.sample(mus, lvs, noise);
      double mc = SentenceVaeNetwork.logPosterior(lvs, noise).sub(SentenceVaeNetwork.logPrior(z)).meanNumber()
          .doubleValue();
      assertEquals(closed, mc, 0.05 * Math.max(1, closed), "Monte Carlo row " + b);
    }
    assertArrayEquals(mu[0], m.getRow(0).toDoubleVector(), 0, "kl leaves mu alone");
    assertArrayEquals(logvar[1], lv.getRow(1).toDoubleVector(), 0, "kl leaves logvar alone");
  }

  @Test
  void annealingSchedules() {
    SentenceVaeSpec logistic = SentenceVaeSpec.builder(10).annealing(Annealing.LOGISTIC, 0.0025, 2500).build();
    assertEquals(0.5, logistic.klWeight(2500), 1e-12);
    assertEquals(1 / (1 + Math.exp(0.0025 * 2500)), logistic.klWeight(0), 1e-12);
    assertEquals(1 / (1 + Math.exp(-0.0025 * 1500)), logistic.klWeight(4000), 1e-12);
    assertTrue(logistic.klWeight(10000) > 0.9999);
    SentenceVaeSpec linear = SentenceVaeSpec.builder(10).annealing(Annealing.LINEAR, 1, 400).build();
    assertEquals(0, linear.klWeight(0), 0);
    assertEquals(0.25, linear.klWeight(100), 1e-12);
    assertEquals(1, linear.klWeight(400), 0);
    assertEquals(1, linear.klWeight(5000), 0);
    assertEquals(1, SentenceVaeSpec.builder(10).annealing(Annealing.NONE, 1, 0).build().klWeight(0), 0);
  }

  @Test
  void wordDropoutRateAndDeterminism() {
    Batch batch = VaeTestData.batch(50, new int[] {40, 25, 60, 3, 55}, 2);
    SentenceWindow w = SentenceWindow.of(batch, 50, DataType.FLOAT);
    int[] inputs = w.decoderInputs(2);
    int[] a = WordDropout.apply(w, inputs, 0.7, 0, new SplittableRandom(9));
    int[] b = WordDropout.apply(w, inputs, 0.7, 0, new SplittableRandom(9));
    int[] c = WordDropout.apply(w, inputs, 0.7, 0, new SplittableRandom(10));
    assertArrayEquals(a, b, "same seed, same drops");
    assertFalse(java.util.Arrays.equals(a, c), "another seed, other drops");
    int eligible = 0;
    int dropped = 0;
    for (int t = 0; t < w.steps(); t++) {
      for (int row = 0; row < w.rows(); row++) {
        int q = t * w.rows() + row;
        if (t == 0 || t >= w.lengths()[row]) {
          assertEquals(inputs[q], a[q], "<s> and padding stay at " + q);
          continue;
        }
        eligible++;
        if (a[q] != inputs[q]) {
          assertEquals(0, a[q], "a dropped word becomes <unk>");
          dropped++;
        }
      }
    }
    // 178 eligible words (inputs after <s>, ids >= 3 so never <unk> already): drop rate 0.3 +- 4 sd.
    double rate = dropped / (double) eligible;
    assertEquals(0.3, rate, 4 * Math.sqrt(0.3 * 0.7 / eligible), "drop rate " + rate + " of " + eligible);
    int[] none = WordDropout.apply(w, inputs, 0, 0, new SplittableRandom(9));
    for (int t = 1; t < w.steps(); t++) {
      for (int row = 0; row < w.rows(); row++) {
        if (t < w.lengths()[row]) {
          assertEquals(0, none[t * w.rows() + row], "keep 0 replaces every word after <s>");
        }
      }
    }
    assertArrayEquals(inputs, WordDropout.apply(w, inputs, 1, 0, new SplittableRandom(9)));
  }

  @Test
  void trainingLowersTheLossOnABatch() {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(12).sizes(8, 8, 8, 3).wordKeep(1)
        .annealing(Annealing.LINEAR, 1, 20).learningRate(0.01).seed(2).build();
    SentenceVaeModel model = spec.build();
    Batch batch = VaeTestData.batch(12, new int[] {5, 7, 3, 6}, 3);
    double first = model.evaluate(batch).get("loss");
    for (int s = 0; s < 60; s++) {
      model.fit(batch);
    }
    double last = model.evaluate(batch).get("loss");
    assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
  }
}
