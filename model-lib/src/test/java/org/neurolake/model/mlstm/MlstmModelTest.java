package org.neurolake.model.mlstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;

class MlstmModelTest {
  static final MlstmSpec SMALL = new MlstmSpec(24, 8, 1e-2, 0.9, 0.999, 1e-8, 5.0, 7, 3);

  static Batch batch(String[] rows, int steps, int[] validLengths, boolean[] continues) {
    int n = rows.length;
    float[] x = new float[n * steps];
    float[] y = new float[n * steps];
    float[] m = new float[n * steps];
    for (int b = 0; b < n; b++) {
      byte[] text = rows[b].getBytes(StandardCharsets.UTF_8);
      for (int t = 0; t < steps; t++) {
        x[b * steps + t] = text[t] & 0xFF;
        y[b * steps + t] = text[t + 1] & 0xFF;
        m[b * steps + t] = validLengths == null || t < validLengths[b] ? 1 : 0;
      }
    }
    long[] shape = {n, steps};
    return new Batch(Nd4j.create(x, shape, 'c'), Nd4j.create(y, shape, 'c'), null, Nd4j.create(m, shape, 'c'),
        continues);
  }

  /** Rows of {@code text} starting at {@code from}, as inputs of {@code steps} bytes (plus the next one for labels). */
  static Batch window(String[] texts, int from, int steps, boolean continues) {
    String[] rows = Arrays.stream(texts).map(t -> t.substring(from, from + steps + 1)).toArray(String[]::new);
    boolean[] c = new boolean[texts.length];
    Arrays.fill(c, continues);
    return batch(rows, steps, null, c);
  }

  static final String[] TEXTS = {"a quick brown fox jumps over the lazy dog", "pack my box with five dozen liquor jugs!"};

  @Test
  void specRoundTripsThroughJsonAndValidates() {
    String json = ModelSpecs.toJson(SMALL);
    assertTrue(json.contains("\"kind\" : \"MLSTM\""), json);
    assertEquals(SMALL, ModelSpecs.fromJson(json));
    assertEquals(MlstmSpecType.KIND, ModelSpecs.kindOf(SMALL));
    assertThrows(IllegalArgumentException.class, () -> new MlstmSpec(0, 64, 1e-3, 0.9, 0.999, 1e-8, 1, 64, 1));
    assertThrows(IllegalArgumentException.class, () -> new MlstmSpec(8, 64, 1e-3, 1.0, 0.999, 1e-8, 1, 64, 1));
    assertThrows(IllegalArgumentException.class, () -> new MlstmSpec(8, 64, 1e-3, 0.9, 0.999, 1e-8, -1, 64, 1));
    assertThrows(IllegalArgumentException.class, () -> new MlstmSpec(8, 64, 1e-3, 0.9, 0.999, 1e-8, 1, 0, 1));
    MlstmSpec paper = MlstmSpec.of(4096, 1);
    assertEquals(64, paper.embeddingSize());
    assertEquals(256, paper.tbpttLength());
    assertEquals(ComputePath.AUTO, paper.compute());
  }

  @Test
  void computePathIsASpecFieldDefaultingToAuto() {
    assertTrue(ModelSpecs.toJson(SMALL).contains("\"compute\" : \"auto\""), ModelSpecs.toJson(SMALL));
    MlstmSpec nd4j = SMALL.withCompute(ComputePath.ND4J);
    String json = ModelSpecs.toJson(nd4j);
    assertTrue(json.contains("\"compute\" : \"nd4j\""), json);
    assertEquals(nd4j, ModelSpecs.fromJson(json));
    assertEquals(ComputePath.FUSED_CPU,
        ((MlstmSpec) ModelSpecs.fromJson(json.replace("\"nd4j\"", "\"fused-cpu\""))).compute());
    String beforeTheField = json.replaceAll(",\\s*\"compute\" : \"nd4j\"", "");
    assertFalse(beforeTheField.contains("compute"), beforeTheField);
    assertEquals(ComputePath.AUTO, ((MlstmSpec) ModelSpecs.fromJson(beforeTheField)).compute(),
        "a spec written before the field computes as auto");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ModelSpecs.fromJson(json.replace("\"nd4j\"", "\"gpu\"")));
    assertTrue(bad.getMessage().contains("gpu"), bad.getMessage());
    // On ND4J's CPU backend auto is the fused path; on any other backend, nd4j.
    assertEquals(ComputePath.FUSED_CPU, new MlstmModel(SMALL).computePath());
    assertEquals(ComputePath.FUSED_CPU, ComputePath.AUTO.resolve(ComputePath.CPU_BACKEND));
    assertEquals(ComputePath.ND4J, ComputePath.AUTO.resolve("JCublasBackend"));
    assertEquals(ComputePath.FUSED_CPU, ComputePath.FUSED_CPU.resolve("JCublasBackend"));
    assertEquals(ComputePath.ND4J, new MlstmModel(nd4j).computePath());
  }

  @Test
  void shapesOfParametersStateAndOutputs() {
    int h = 24;
    int e = 8;
    TrainableModel m = SMALL.build();
    long expected = 256L * e + (e * 4L * h + 4 * h) + (h * 4L * h + 4 * h) + (e * (long) h + h) + (h * (long) h + h)
        + 4 * h + h * 256L + 256;
    assertEquals(expected, m.parameterCount());
    assertEquals(expected, SMALL.parameterCount());
    assertEquals(expected, m.parameters().length);
    assertEquals(2 * expected, m.optimizerState().length);
    assertThrows(IllegalArgumentException.class, () -> m.setParameters(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> m.setOptimizerState(new float[(int) expected]));
    MlstmModel model = (MlstmModel) m;
    float[][] cells = model.finalCellStates(List.of("abc".getBytes(StandardCharsets.UTF_8), new byte[0]));
    assertEquals(2, cells.length);
    assertEquals(h, cells[0].length);
    assertArrayEquals(new float[h], cells[1], "an empty document leaves the zero state");
    assertEquals(17, model.sample("ab".getBytes(StandardCharsets.UTF_8), 17, 1.0, 5, -1, 0).length);
    Map<String, Double> metrics = m.evaluate(window(TEXTS, 0, 6, false));
    assertEquals(Math.log(256), metrics.get("loss"), 0.5, "an untrained model is near uniform");
    assertEquals(metrics.get("loss") / Math.log(2), metrics.get("bits_per_byte"), 1e-12);
    assertEquals(12.0, metrics.get("positions"));
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void badBatchesAreRejectedWithTheirProblem(ComputePath path) {
    MlstmSpec small = SMALL.withCompute(path);
    MlstmModel m = new MlstmModel(small);
    Batch notBytes = new Batch(Nd4j.create(new float[] {1.5f, 2}, new long[] {1, 2}, 'c'),
        Nd4j.create(new float[] {2, 3}, new long[] {1, 2}, 'c'));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.fit(notBytes)).getMessage()
        .contains("features[0, 0] = 1.5"));
    Batch paddedWithJunk = new Batch(Nd4j.create(new float[] {65, -1}, new long[] {1, 2}, 'c'),
        Nd4j.create(new float[] {66, 999}, new long[] {1, 2}, 'c'), null,
        Nd4j.create(new float[] {1, 0}, new long[] {1, 2}, 'c'), null);
    assertEquals(1.0, m.evaluate(paddedWithJunk).get("positions"), "padding is not read");
    m.fit(window(TEXTS, 0, 4, false));
    Batch otherSize = window(new String[] {TEXTS[0]}, 4, 4, true);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.fit(otherSize)).getMessage()
        .contains("keep the batch size"));
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void stateCarriedAcrossTwoChunksEqualsOneLongChunk(ComputePath path) {
    MlstmSpec small = SMALL.withCompute(path);
    float[] params = new MlstmModel(small).parameters();
    MlstmModel whole = new MlstmModel(small);
    whole.setParameters(params);
    double wholeLoss = whole.evaluate(window(TEXTS, 0, 10, false)).get("loss");
    float[] g = new float[(int) whole.parameterCount()];
    whole.lossAndGradient(window(TEXTS, 0, 10, false), g);

    MlstmModel split = new MlstmModel(small);
    split.setParameters(params);
    double first = split.lossAndGradient(window(TEXTS, 0, 4, false), g);
    double second = split.lossAndGradient(window(TEXTS, 4, 6, true), g);
    assertArrayEquals(whole.carriedCellState(), split.carriedCellState(), 1e-5f);
    assertEquals(wholeLoss, (4 * first + 6 * second) / 10, 1e-5);

    MlstmModel restarted = new MlstmModel(small);
    restarted.setParameters(params);
    restarted.lossAndGradient(window(TEXTS, 0, 4, false), g);
    restarted.lossAndGradient(window(TEXTS, 4, 6, false), g);
    assertFalse(Arrays.equals(whole.carriedCellState(), restarted.carriedCellState()),
        "without continues the second chunk starts from zeros");

    // Document features: chunks of tbpttLength 7 with carry equal the state after one 10-byte chunk.
    byte[] doc = TEXTS[0].substring(0, 10).getBytes(StandardCharsets.UTF_8);
    MlstmModel single = new MlstmModel(small);
    single.setParameters(params);
    single.lossAndGradient(batch(new String[] {TEXTS[0].substring(0, 11)}, 10, null, null), g);
    assertArrayEquals(single.carriedCellState(), whole.finalCellStates(List.of(doc))[0], 1e-5f);
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void paddedStepsChangeNeitherLossNorGradientNorFinalState(ComputePath path) {
    MlstmSpec small = SMALL.withCompute(path);
    MlstmModel a = new MlstmModel(small);
    MlstmModel b = new MlstmModel(small);
    String[] rowsA = {"0123456789", "abcdXXXXXX"};
    String[] rowsB = {"0123456789", "abcd#%&/()"};
    int[] valid = {9, 3};
    float[] ga = new float[(int) a.parameterCount()];
    float[] gb = new float[ga.length];
    double la = a.lossAndGradient(batch(rowsA, 9, valid, null), ga);
    double lb = b.lossAndGradient(batch(rowsB, 9, valid, null), gb);
    assertEquals(la, lb, 0.0);
    assertArrayEquals(ga, gb, 0f);
    assertArrayEquals(a.carriedCellState(), b.carriedCellState(), 0f);
    // Row 1's state after its 3 real bytes equals the state of those 3 bytes alone.
    MlstmModel c = new MlstmModel(small);
    c.lossAndGradient(batch(new String[] {"abcd"}, 3, null, null), ga);
    float[] padded = Arrays.copyOfRange(a.carriedCellState(), 24, 48);
    assertArrayEquals(c.carriedCellState(), padded, 1e-6f);
    assertArrayEquals(c.carriedCellState(), a.finalCellStates(List.of("abc".getBytes(StandardCharsets.UTF_8)))[0],
        1e-6f);
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void finalCellStatesDoNotDependOnTheOtherDocuments(ComputePath path) {
    MlstmSpec small = SMALL.withCompute(path);
    MlstmModel m = new MlstmModel(small);
    List<byte[]> docs = new ArrayList<>();
    for (String t : new String[] {"short", "a much longer document than the others, over several chunks", "mid-sized one"}) {
      docs.add(t.getBytes(StandardCharsets.UTF_8));
    }
    float[][] all = m.finalCellStates(docs);
    for (int i = 0; i < docs.size(); i++) {
      assertArrayEquals(m.finalCellStates(List.of(docs.get(i)))[0], all[i], 1e-6f, "document " + i);
    }
    assertFalse(Arrays.equals(all[0], all[1]));
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void trainingOnRepetitiveTextLowersBitsPerByteClearly(ComputePath path) {
    String unit = "the cat sat on the mat. ";
    List<byte[]> docs = new ArrayList<>();
    for (int d = 0; d < 8; d++) {
      docs.add(unit.repeat(6 + d).getBytes(StandardCharsets.UTF_8));
    }
    ByteStreamShard shard = ByteStreamShard.of(docs, 4, 16);
    MlstmSpec spec = new MlstmSpec(32, 16, 1e-2, 0.9, 0.999, 1e-8, 5.0, 16, 7, path);
    MlstmModel m = new MlstmModel(spec);
    double before = m.evaluateDocuments(docs).get("bits_per_byte");
    for (int s = 0; s < 150; s++) {
      m.fit(shard.batch(s * 4, 4));
    }
    double after = m.evaluateDocuments(docs).get("bits_per_byte");
    assertTrue(before > 7.5, "untrained: " + before + " bits/byte");
    assertTrue(after < 1.0, "bits/byte " + before + " -> " + after);
    assertTrue(Double.isFinite(m.lastGradientNorm()));
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void deterministicGivenSpecParametersStateStepAndBatches(ComputePath path) {
    MlstmSpec small = SMALL.withCompute(path);
    ByteStreamShard shard = ByteStreamShard.of(List.of(TEXTS[0].getBytes(StandardCharsets.UTF_8),
        TEXTS[1].getBytes(StandardCharsets.UTF_8)), 2, 6);
    MlstmModel a = new MlstmModel(small);
    MlstmModel twin = new MlstmModel(small);
    assertArrayEquals(a.parameters(), twin.parameters(), 0f, "same seed, same initialization");
    for (int s = 0; s < 3; s++) {
      assertEquals(a.fit(shard.batch(s * 2, 2)), twin.fit(shard.batch(s * 2, 2)), 0.0);
    }
    assertArrayEquals(a.parameters(), twin.parameters(), 0f);

    MlstmModel b = new MlstmModel(new MlstmSpec(24, 8, 1e-2, 0.9, 0.999, 1e-8, 5.0, 7, 99, path));
    assertFalse(Arrays.equals(a.parameters(), b.parameters()), "another seed, another initialization");
    b.setParameters(a.parameters());
    b.setOptimizerState(a.optimizerState());
    b.setStep(a.step());
    a.resetState();
    assertEquals(3, b.step());
    for (int s = 3; s < 6; s++) {
      Batch batch = shard.batch(s * 2, 2);
      assertEquals(a.fit(batch), b.fit(batch), 0.0);
    }
    assertArrayEquals(a.parameters(), b.parameters(), 0f);
    assertArrayEquals(a.optimizerState(), b.optimizerState(), 0f);
  }

  @Test
  void bothPathsGenerateTheSameText() {
    MlstmModel fused = new MlstmModel(SMALL.withCompute(ComputePath.FUSED_CPU));
    MlstmModel nd4j = new MlstmModel(SMALL.withCompute(ComputePath.ND4J));
    byte[] primer = "\n the".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(fused.sample(primer, 40, 0, 1, -1, 0), nd4j.sample(primer, 40, 0, 1, -1, 0), "greedy");
    assertArrayEquals(fused.sample(primer, 40, 0, 1, 5, 50f), nd4j.sample(primer, 40, 0, 1, 5, 50f), "clamped");
    assertArrayEquals(fused.sample(primer, 40, 1.0, 3, -1, 0), nd4j.sample(primer, 40, 1.0, 3, -1, 0), "drawn");
    // A clamp short of saturation, where c, tanh c and h each matter, drawn at temperature 1.
    byte[] clamped = fused.sample(primer, 60, 1.0, 3, 5, 0.8f);
    assertFalse(Arrays.equals(clamped, fused.sample(primer, 60, 1.0, 3, -1, 0)), "the clamp changes the text");
    assertArrayEquals(clamped, nd4j.sample(primer, 60, 1.0, 3, 5, 0.8f), "drawn, clamped at 0.8");
  }

  @ParameterizedTest
  @EnumSource(value = ComputePath.class, names = {"FUSED_CPU", "ND4J"})
  void samplingIsSeededAndTheClampedUnitChangesTheText(ComputePath path) {
    MlstmModel m = new MlstmModel(SMALL.withCompute(path));
    byte[] primer = "\n the".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(m.sample(primer, 40, 1.0, 1, -1, 0), m.sample(primer, 40, 1.0, 1, -1, 0));
    assertFalse(Arrays.equals(m.sample(primer, 40, 1.0, 1, -1, 0), m.sample(primer, 40, 1.0, 2, -1, 0)));
    assertArrayEquals(m.sample(primer, 20, 0, 1, -1, 0), m.sample(primer, 20, 0, 2, -1, 0),
        "temperature 0 is greedy");
    assertNotEquals(Arrays.toString(m.sample(primer, 40, 0, 1, -1, 0)),
        Arrays.toString(m.sample(primer, 40, 0, 1, 5, 50f)), "clamping a unit hard changes greedy text");
    assertThrows(IllegalArgumentException.class, () -> m.sample(new byte[0], 5, 1, 1, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> m.sample(primer, 5, 1, 1, 24, 0));
  }
}
