package org.neurolake.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalLong;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.ParameterBufferAssertions;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.model.mlp.MlpSpec;

class Dl4jNetworkSpecTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GRAPH = Dl4jTestNetworks.residual(8, 16, 3, new Adam(0.01), 42).toJson();
  static final String STACK = Dl4jTestNetworks.stack(8, 16, 3, new Adam(0.01), 42).toJson();

  @Test
  void roundTripsThroughModelSpecsWithTheConfigurationEmbedded() throws Exception {
    assertTrue(ModelSpecs.kinds().contains(Dl4jNetworkSpecType.KIND), ModelSpecs.kinds().toString());
    for (String dl4j : List.of(GRAPH, STACK)) {
      Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(dl4j, 7);
      String json = ModelSpecs.toJson(spec);
      JsonNode tree = JSON.readTree(json);
      assertEquals("DL4J_NETWORK", tree.path("kind").asText(), json);
      assertEquals(spec.network().name(), tree.path("network").asText());
      assertTrue(tree.path("configuration").isObject(), "the network is embedded as JSON, not as a string");
      assertEquals(7, tree.path("seed").asLong());
      assertEquals(spec, ModelSpecs.fromJson(json));
      assertEquals(spec, ModelSpecs.fromTree(ModelSpecs.toTree(spec)));
      assertEquals(json, ModelSpecs.toJson(ModelSpecs.fromJson(json)), "the stored form is a fixed point");
    }
  }

  @Test
  void theStoredFormIgnoresFormattingCountersAndTheJsonsOwnSeed() throws Exception {
    ObjectNode reformatted = (ObjectNode) JSON.readTree(GRAPH);
    reformatted.put("iterationCount", 120).put("epochCount", 3);
    Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(GRAPH, 5);
    assertEquals(spec, Dl4jNetworkSpec.of(reformatted.toString(), 5), "compact JSON, a trained network's counters");
    assertEquals(spec, new Dl4jNetworkSpec(Dl4jNetworkType.COMPUTATION_GRAPH, GRAPH, 5), "explicit type");
    assertTrue(spec.configuration().contains("\"seed\" : 5") && !spec.configuration().contains("\"seed\" : 42"),
        "the spec's seed replaces the JSON's");
    assertNotEquals(spec, Dl4jNetworkSpec.of(GRAPH, 6));
  }

  @Test
  void detectsTheTypeAndRefusesTheOtherOne() {
    assertEquals(Dl4jNetworkType.COMPUTATION_GRAPH, Dl4jNetworkSpec.of(GRAPH, 1).network());
    assertEquals(Dl4jNetworkType.MULTI_LAYER, Dl4jNetworkSpec.of(STACK, 1).network());
    assertInstanceOf(Dl4jNetworkModel.OfGraph.class, Dl4jNetworkSpec.of(GRAPH, 1).build());
    assertInstanceOf(Dl4jNetworkModel.OfMultiLayer.class, Dl4jNetworkSpec.of(STACK, 1).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dl4jNetworkSpec(Dl4jNetworkType.MULTI_LAYER, GRAPH, 1));
    assertEquals("the configuration is the JSON of a ComputationGraphConfiguration, not of a"
        + " MultiLayerConfiguration", e.getMessage());
  }

  @Test
  void whatIsNotADl4jConfigurationIsRefusedClearly() {
    String mlp = ModelSpecs.toJson(MlpSpec.of(8, List.of(16), 3, 0.01, 1));
    for (String bad : List.of("not json {", "[1, 2]", "{\"layers\": []}", mlp)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworkSpec.of(bad, 1));
      assertTrue(e.getMessage().startsWith("not a DL4J network configuration: "), e.getMessage());
    }
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> Dl4jNetworkSpec.of("{\"confs\": 5}", 1));
    assertTrue(broken.getMessage().startsWith("not a DL4J MultiLayerConfiguration: "), broken.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dl4jNetworkSpec.of("  ", 1));
    // Through ModelSpecs too: a checkpoint whose configuration is not DL4J's is one error naming the cause.
    IllegalArgumentException stored = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.fromJson(
        "{\"kind\": \"DL4J_NETWORK\", \"network\": \"COMPUTATION_GRAPH\", \"configuration\": {\"a\": 1}, \"seed\": 1}"));
    assertTrue(stored.getMessage().contains("not a DL4J network configuration"), stored.getMessage());
  }

  @Test
  void networksTheEngineCannotTrainAreRefusedWithTheReason() {
    ComputationGraphConfiguration twoInputs = new NeuralNetConfiguration.Builder().graphBuilder()
        .addInputs("a", "b")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
            .activation(Activation.SOFTMAX).build(), "a", "b")
        .setOutputs("out").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dl4jNetworkSpec.of(twoInputs.toJson(), 1));
    assertTrue(e.getMessage().contains("exactly one of each"), e.getMessage());

    MultiLayerConfiguration doubles = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
    e = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworkSpec.of(doubles.toJson(), 1));
    assertTrue(e.getMessage().contains("32-bit floats"), e.getMessage());

    MultiLayerConfiguration noOutput = new NeuralNetConfiguration.Builder().list()
        .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(4).nOut(2).build())
        .build();
    e = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworkSpec.of(noOutput.toJson(), 1));
    assertTrue(e.getMessage().contains("not an output layer"), e.getMessage());
  }

  @Test
  void parameterCountAndWidthsComeFromTheConfiguration() {
    for (String dl4j : List.of(GRAPH, STACK)) {
      Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(dl4j, 1);
      Dl4jNetworkModel m = spec.build();
      assertEquals(m.parameterCount(), spec.parameterCount());
      assertEquals(m.parameters().length, spec.parameterCount());
      assertEquals(OptionalLong.of(8), spec.inputWidth());
      assertEquals(OptionalLong.of(3), spec.outputWidth());
    }
    // stem 8x16+16, two 16x16+16 branches, output 16x3+3; the Add vertex has none.
    assertEquals(8 * 16 + 16 + 2 * (16 * 16 + 16) + 16 * 3 + 3, Dl4jNetworkSpec.of(GRAPH, 1).parameterCount());
  }

  @Test
  void theSeedDecidesTheInitialParameters() {
    assertArrayEquals(Dl4jNetworkSpec.of(GRAPH, 3).build().parameters(),
        Dl4jNetworkSpec.of(GRAPH, 3).build().parameters());
    assertFalse(java.util.Arrays.equals(Dl4jNetworkSpec.of(GRAPH, 3).build().parameters(),
        Dl4jNetworkSpec.of(GRAPH, 4).build().parameters()));
  }

  @Test
  void parametersOptimizerStateAndStepSetAndGetRoundTrip() {
    DenseShard data = Dl4jTestNetworks.blobs(200, 2);
    for (String dl4j : List.of(GRAPH, STACK)) {
      Dl4jNetworkModel a = Dl4jNetworkSpec.of(dl4j, 1).build();
      for (int s = 0; s < 5; s++) {
        a.fit(data.batch(s * 16, 16));
      }
      assertEquals(5, a.step());
      float[] state = a.optimizerState();
      assertEquals(2 * a.parameterCount(), state.length, "Adam's m and v for every parameter");
      assertTrue(maxAbs(state) > 0, "the moments moved");

      Dl4jNetworkModel b = Dl4jNetworkSpec.of(dl4j, 99).build(); // another initialization, overwritten below
      b.setParameters(a.parameters());
      b.setOptimizerState(state);
      b.setStep(a.step());
      assertArrayEquals(a.parameters(), b.parameters());
      assertArrayEquals(state, b.optimizerState());
      assertEquals(5, b.step());
      for (int s = 5; s < 10; s++) {
        Batch batch = data.batch(s * 16, 16);
        assertEquals(a.fit(batch), b.fit(batch), 1e-6);
      }
      assertArrayEquals(a.parameters(), b.parameters(), 1e-6f);
      assertArrayEquals(a.optimizerState(), b.optimizerState(), 1e-6f);
      ParameterBufferAssertions.assertBufferIsParameters(b);

      assertThrows(IllegalArgumentException.class, () -> b.setParameters(new float[3]));
      assertThrows(IllegalArgumentException.class, () -> b.setOptimizerState(new float[3]));
      assertThrows(IllegalArgumentException.class, () -> b.setStep(-1));
    }
  }

  @Test
  void aStatelessUpdaterHasNoOptimizerStateAndTheEnginesLearningRateRules() {
    Dl4jNetworkModel m = Dl4jNetworkSpec.of(Dl4jTestNetworks.residual(8, 16, 3, new Sgd(0.5), 1).toJson(), 1)
        .build();
    assertEquals(0, m.optimizerState().length);
    m.setOptimizerState(new float[0]);
    DenseShard data = Dl4jTestNetworks.blobs(64, 3);
    float[] before = m.parameters();
    m.setLearningRate(0.0);
    m.fit(data.batch(0, 32));
    assertArrayEquals(before, m.parameters(), "a zero learning rate replaces the JSON's 0.5");
    m.setLearningRate(0.1);
    m.fit(data.batch(0, 32));
    assertFalse(java.util.Arrays.equals(before, m.parameters()));
  }

  @Test
  void aResidualGraphLearnsASeparableSet() {
    Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(GRAPH, 1);
    assertTrue(spec.configuration().contains("ElementWiseVertex") && spec.configuration().contains("\"Add\""));
    Dl4jNetworkModel m = spec.build();
    m.setLearningRate(0.01);
    DenseShard data = Dl4jTestNetworks.blobs(600, 1);
    Batch all = data.batch(0, data.size());
    double first = m.evaluate(all).get("loss");
    double firstFit = m.fit(data.batch(0, 32));
    for (int step = 1; step < 150; step++) {
      m.fit(data.batch(step * 32, 32));
    }
    var after = m.evaluate(all);
    assertTrue(after.get("loss") < 0.3 * first, "loss " + first + " -> " + after.get("loss"));
    assertTrue(after.get("accuracy") > 0.9, "accuracy " + after.get("accuracy"));
    assertTrue(firstFit > after.get("loss"), "fit's loss " + firstFit);
    assertEquals(150, m.step());
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
