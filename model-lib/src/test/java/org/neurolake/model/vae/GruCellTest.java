package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.lm.Gradients;
import org.neurolake.model.lm.ParameterLayout;
import org.neurolake.model.lm.Parameters;

/**
 * The GRU cell: one step against the formula h = (1 - u) n + u h' at chosen biases, the GRU spec's
 * parameter shapes (3 gate blocks, a state of H values), specs written before the option read as
 * LSTM, and a GRU sentence VAE learns a tiny batch.
 */
class GruCellTest {
  @Test
  void oneStepFollowsTheGruFormula() {
    ParameterLayout.Builder b = ParameterLayout.builder();
    b.add("g_wx", 1, 6, false);
    b.add("g_wr", 2, 6, false);
    b.add("g_bias", 1, 6, false);
    ParameterLayout layout = b.build();
    Parameters p = new Parameters(layout, DataType.DOUBLE);
    double[] v = new double[(int) layout.size()];
    int bias = layout.group("g_bias").offset();
    // reset 0 (r = 1/2), update ln 3 (u = 3/4), candidate 1 + 0.5 x for unit 0 (x = 2: n = tanh 2).
    v[bias + 2] = Math.log(3);
    v[bias + 3] = Math.log(3);
    v[bias + 4] = 1;
    v[bias + 5] = 1;
    v[layout.group("g_wx").offset() + 4] = 0.5;
    p.set(v);
    GruLayer gru = new GruLayer("g", 2, p);
    INDArray x = Nd4j.createFromArray(new double[][] {{2}});
    INDArray h0 = Nd4j.createFromArray(new double[][] {{1, -2}});
    RecurrentLayer.Pass pass = gru.forward(x, h0, 1, 1);
    double[] h = pass.finalState().toDoubleVector();
    assertEquals(0.25 * Math.tanh(2) + 0.75 * 1, h[0], 1e-12);
    assertEquals(0.25 * Math.tanh(1) + 0.75 * -2, h[1], 1e-12);
    pass.backward(Nd4j.ones(DataType.DOUBLE, 1, 2), new Gradients());
    // dh/dh' = u at zero recurrent weights.
    assertEquals(0.75, pass.dInitialState().getDouble(0, 1), 1e-12);
  }

  @Test
  void gruSpecShapesAndOlderSpecsReadAsLstm() {
    SentenceVaeSpec gru = SentenceVaeSpec.builder(10).sizes(4, 3, 5, 2).cell(SentenceVaeSpec.Cell.GRU).build();
    ParameterLayout l = gru.layout();
    assertEquals(4 * 9, l.group("encoder_wx").size());
    assertEquals(5 * 15, l.group("decoder_wr").size());
    assertEquals(2 * 5, l.group("latent_to_state").size());
    assertEquals(gru, ModelSpecs.fromJson(ModelSpecs.toJson(gru)));
    ObjectNode old = (ObjectNode) ModelSpecs.toTree(SentenceVaeSpec.builder(10).build());
    old.remove("cell");
    SentenceVaeSpec read = (SentenceVaeSpec) ModelSpecs.fromTree(old);
    assertEquals(SentenceVaeSpec.Cell.LSTM, read.cell());
    assertEquals(2 * SentenceVaeSpec.DEFAULT_HIDDEN, read.decoderStateSize());
  }

  @Test
  void aGruVaeLearnsATinyBatch() {
    SentenceVaeModel model = SentenceVaeSpec.builder(12).sizes(8, 8, 8, 2).cell(SentenceVaeSpec.Cell.GRU)
        .wordKeep(1).learningRate(0.02).seed(2).build().build();
    Batch batch = VaeTestData.batch(12, new int[] {5, 3, 6, 4}, 9);
    double first = model.fit(batch);
    double last = first;
    for (int i = 0; i < 60; i++) {
      last = model.fit(batch);
    }
    assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
  }
}
