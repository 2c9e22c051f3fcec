package org.neurolake.model.mlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The step's product list (which the mlstm-step benchmark times GEMM on, and its FLOP figure sums)
 * is the list of products a training step really executes, counted as they run.
 */
class MlstmTrainingProductsTest {
  @Test
  void theFormulaListsExactlyTheProductsAStepExecutes() {
    MlstmSpec spec = new MlstmSpec(24, 8, 1e-2, 0.9, 0.999, 1e-8, 5.0, 7, 3);
    Map<MatrixProduct, Integer> counted = new LinkedHashMap<>();
    MlstmModel model = new MlstmModel(spec, new Gemm(p -> counted.merge(p, 1, Integer::sum)));
    String[] rows = {"a training step counts", "its products as they r", "un through the observ"};
    model.fit(MlstmModelTest.batch(rows, 7, new int[] {7, 7, 7}, new boolean[3]));
    assertEquals(MlstmModel.trainingProducts(spec, 3, 7), counted);
    double flops = counted.entrySet().stream().mapToDouble(e -> e.getKey().flops() * e.getValue()).sum();
    assertEquals(flops, MlstmModel.trainingFlops(spec, 3, 7), 0.0);
  }
}
