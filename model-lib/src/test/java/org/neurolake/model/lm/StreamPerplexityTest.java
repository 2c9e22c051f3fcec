package org.neurolake.model.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

class StreamPerplexityTest {
  @Test
  void oneRowInWindowsEqualsOnePassOverTheWholeSplit() {
    LstmLmSpec spec = LstmLmGradientTest.word().fullSoftmax().dropout(0, 0, 0).build();
    LstmLmModel model = new LstmLmModel(spec);
    model.setParameters(toFloats(LmTestData.randomParameters(spec.layout(), 2)));
    int[] a = {1, 5, 7, 2, 2, 9};
    int[] b = {3, 0, 11, 4};
    float[] x = new float[9];
    float[] y = new float[9];
    int[] all = {1, 5, 7, 2, 2, 9, 3, 0, 11, 4};
    for (int i = 0; i < 9; i++) {
      x[i] = all[i];
      y[i] = all[i + 1];
    }
    Map<String, Double> onePass = model.score(new Batch(Nd4j.create(x, new long[] {1, 9}, 'c'),
        Nd4j.create(y, new long[] {1, 9}, 'c')));
    model.resetState();
    Map<String, Double> windows = new StreamPerplexity(List.of(a, b), 1, 4, null).evaluate(model);
    assertEquals(9.0, windows.get("tokens"));
    assertEquals(onePass.get("log_likelihood"), windows.get("log_likelihood"), 1e-4);
    assertEquals(Math.exp(-onePass.get("log_likelihood") / 9), windows.get("perplexity"), 1e-4);

    model.resetState();
    assertEquals(8.0, new StreamPerplexity(List.of(a, b), 2, 4, null).evaluate(model).get("tokens"));
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
