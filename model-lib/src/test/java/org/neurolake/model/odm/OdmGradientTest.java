package org.neurolake.model.odm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.neurolake.model.api.Batch;

/**
 * Finite-difference checks, in double precision, of both networks' gradients as {@link OdmModel}
 * computes them: F's (generator) part against F's cost (adversarial + supervised), D's
 * (discriminator) part against D's loss, on a batch with two windows and three labelled rows; F's
 * part also under the n-gram cost.
 */
class OdmGradientTest {
  static OdmSpec spec() {
    return OdmSpec.builder(5, 3).generatorHidden(List.of(4)).discriminatorHidden(List.of(4)).window(3)
        .adversarialWeight(0.7).supervisedWeight(1.3).clipNorm(0).seed(3).build();
  }

  /** Two windows of 3 then three labelled rows: random inputs, random ids. */
  static Batch batch(OdmSpec spec, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int windowRows = 2 * spec.window();
    float[] inputs = new float[windowRows * spec.nIn()];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) r.nextGaussian();
    }
    int[] labels = r.ints(windowRows, 0, spec.nClasses()).toArray();
    float[] labelled = new float[3 * spec.nIn()];
    for (int i = 0; i < labelled.length; i++) {
      labelled[i] = (float) r.nextGaussian();
    }
    int[] classes = r.ints(3, 0, spec.nClasses()).toArray();
    return new OdmShard(inputs, labels, labelled, classes, spec.nIn(), spec.nClasses(), spec.window(), 3)
        .batch(0, 2);
  }

  @Test
  void generatorGradientMatchesFiniteDifferences() {
    OdmSpec spec = spec();
    OdmModel model = new OdmModel(spec, DataType.DOUBLE);
    check(model, batch(spec, 7), 0, model.generatorParameterCount(), t -> t.generatorCost(spec));
  }

  @Test
  void ngramCostGradientMatchesFiniteDifferences() {
    OdmSpec spec = spec().toBuilder().cost(OdmCost.NGRAM).entropyWeight(0.4).build();
    OdmModel model = new OdmModel(spec, DataType.DOUBLE);
    check(model, batch(spec, 9), 0, model.generatorParameterCount(), t -> t.generatorCost(spec));
  }

  @Test
  void discriminatorGradientMatchesFiniteDifferences() {
    OdmSpec spec = spec();
    OdmModel model = new OdmModel(spec, DataType.DOUBLE);
    check(model, batch(spec, 8), model.generatorParameterCount(), (int) spec.parameterCount(),
        OdmModel.Terms::discriminatorLoss);
  }

  private static void check(OdmModel model, Batch batch, int from, int to, ToDoubleFunction<OdmModel.Terms> cost) {
    double[] p = model.parameterValues();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < p.length; i++) {
      p[i] += 0.3 * r.nextGaussian(); // nonzero biases too
    }
    model.setParameters(p);
    double[] analytic = model.terms(batch, true).gradient();
    double eps = 1e-6;
    double worst = 0;
    double largest = 0;
    for (int i = from; i < to; i++) {
      double keep = p[i];
      p[i] = keep + eps;
      model.setParameters(p);
      double up = cost.applyAsDouble(model.terms(batch, false));
      p[i] = keep - eps;
      model.setParameters(p);
      double down = cost.applyAsDouble(model.terms(batch, false));
      p[i] = keep;
      double numeric = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]));
      largest = Math.max(largest, Math.abs(analytic[i]));
    }
    assertTrue(largest > 1e-4, "no gradient to check (largest " + largest + ")");
    assertTrue(worst < 1e-7 + 1e-5 * largest, "finite differences differ by " + worst + " (largest " + largest + ")");
  }
}
