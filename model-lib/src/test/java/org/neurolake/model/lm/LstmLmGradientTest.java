package org.neurolake.model.lm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.neurolake.model.api.Batch;

/**
 * Finite-difference checks of every parameter group's gradient, computed by the model's own ND4J
 * pass in double precision: word input with LSTMP, two layers, dropout and the full or the sampled
 * softmax; character-CNN input with highway layers. The second batch continues the first's state,
 * which the gradient treats as a constant (truncated BPTT), so the checks cover carried state too.
 */
class LstmLmGradientTest {
  static LstmLmSpec.Builder word() {
    return LstmLmSpec.builder(12).wordInput(5).layers(2).hiddenSize(4).projectionSize(3).dropout(0.2, 0.3, 0.25)
        .clipNorm(0).unrollLength(4).batchStreams(3).seed(5);
  }

  static LstmLmSpec charCnn() {
    CharCnn cnn = new CharCnn(7, 3, List.of(1, 2, 3), List.of(2, 3, 2), 2);
    return LstmLmSpec.builder(10).charCnnInput(cnn, 4).layers(1).hiddenSize(4).projectionSize(0).clipNorm(0)
        .dropout(0.1, 0, 0.1).unrollLength(4).batchStreams(3).seed(6).build();
  }

  @Test
  void wordInputWithProjectionDropoutAndFullSoftmax() {
    check(word().fullSoftmax().build());
  }

  @Test
  void wordInputWithSampledSoftmax() {
    check(word().sampledSoftmax(6).build());
  }

  @Test
  void characterCnnInput() {
    check(charCnn());
  }

  private static void check(LstmLmSpec spec) {
    LstmLmModel model = new LstmLmModel(spec, DataType.DOUBLE);
    ParameterLayout l = model.layout();
    double[] p = LmTestData.randomParameters(l, 3);
    model.setParameters(p);
    model.setStep(7);
    // The first batch leaves a state; rows 0 and 2 of the second continue from it.
    model.lossAndGradient(LmTestData.batch(spec, 3, 4, 1, false, null));
    Batch second = LmTestData.batch(spec, 3, 4, 2, true, new boolean[] {true, false, true});
    double eps = 1e-6;
    double[] numeric = new double[p.length];
    double[] analyticFirst = null;
    for (ParameterLayout.Group g : l.groups()) {
      for (int i : indices(g)) {
        double keep = p[i];
        p[i] = keep + eps;
        model.net().params.set(p);
        double up = model.trainingLoss(second);
        p[i] = keep - eps;
        model.net().params.set(p);
        double down = model.trainingLoss(second);
        p[i] = keep;
        numeric[i] = (up - down) / (2 * eps);
      }
    }
    model.net().params.set(p);
    double[] analytic = model.lossAndGradient(second).gradient();
    for (ParameterLayout.Group g : l.groups()) {
      double worst = 0;
      double largest = 0;
      for (int i : indices(g)) {
        worst = Math.max(worst, Math.abs(numeric[i] - analytic[i]));
        largest = Math.max(largest, Math.abs(analytic[i]));
      }
      assertTrue(largest > 1e-5, g.name() + " has no gradient to check (largest " + largest + ")");
      assertTrue(worst < 1e-8 + 1e-5 * largest, g.name() + ": finite differences differ by " + worst
          + " (largest gradient " + largest + ")");
    }
  }

  /** A group's indices: all of a small one, 25 at random of a large one. */
  static int[] indices(ParameterLayout.Group g) {
    if (g.size() <= 30) {
      return IntStream.range(g.offset(), g.end()).toArray();
    }
    return new SplittableRandom(g.offset()).ints(25, g.offset(), g.end()).distinct().toArray();
  }
}
