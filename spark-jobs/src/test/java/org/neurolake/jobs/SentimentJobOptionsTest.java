package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.model.mlstm.MlstmSpec;
import org.neurolake.sentiment.MlstmFamily;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.ProbeProtocol;
import picocli.CommandLine;

/** The sentiment jobs' command lines: what they accept, what they refuse and what they default to. */
class SentimentJobOptionsTest {
  @TempDir Path dir;

  private <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }

  private String config() {
    return Path.of("..").resolve("conf/train/mlstm-tiny.properties").toAbsolutePath().normalize().toString();
  }

  @Test
  void trainMlstmRefusesSstAndReadsTheModelOptions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(new TrainMlstmJob(),
        "--lake", dir.toString(), "--sources", "imdb,sst2", "--config", config()).config());
    assertTrue(e.getMessage().contains("sst2"), e.getMessage());
    TrainJob.Config c = parse(new TrainMlstmJob(), "--lake", dir.toString(), "--sources", "imdb, amazon",
        "--config", config(), "--set", "model.hiddenSize=48").config();
    assertEquals(List.of("imdb", "amazon"), MlstmFamily.sources(c.request().dataset()));
    assertEquals("imdb+amazon", c.run().dataset());
    MlstmSpec spec = MlstmFamily.spec(c.run().trainer(), c.request().options().model());
    assertEquals(48, spec.hiddenSize());
    assertEquals(32, spec.tbpttLength());
    assertEquals(c.run().trainer().seed(), spec.seed());
    assertThrows(IllegalArgumentException.class, () -> MlstmFamily.spec(c.run().trainer(),
        java.util.Map.of("hidden", "3")));
    assertEquals(org.neurolake.model.api.ComputePath.AUTO, spec.compute());
    assertEquals(org.neurolake.model.api.ComputePath.ND4J, MlstmFamily.spec(c.run().trainer(),
        java.util.Map.of("compute", "nd4j")).compute());
    IllegalArgumentException badPath = assertThrows(IllegalArgumentException.class,
        () -> MlstmFamily.spec(c.run().trainer(), java.util.Map.of("compute", "gpu")));
    assertTrue(badPath.getMessage().contains("unknown compute path 'gpu'"), badPath.getMessage());
  }

  @Test
  void extractFeaturesParsesSplitSynonymsAndDefaultsToAll() {
    assertEquals(List.of(Split.TRAIN, Split.DEV, Split.TEST), parse(new ExtractFeaturesJob(), "--lake",
        dir.toString(), "--run-id", "r", "--source", "sst2").config().splits());
    assertEquals(List.of(Split.DEV), parse(new ExtractFeaturesJob(), "--lake", dir.toString(), "--run-id", "r",
        "--source", "sst2", "--splits", "valid,dev").config().splits());
  }

  @Test
  void probeGridDefaultsToThePapersAndAcceptsExponents() {
    ProbeSentimentJob.Config c = parse(new ProbeSentimentJob(), "--lake", dir.toString(), "--run-id", "r",
        "--source", "sst2").config();
    assertEquals(org.neurolake.sentiment.RegularizationGrid.paperGrid(), c.grid());
    assertEquals(List.of(0.25, 1.0), parse(new ProbeSentimentJob(), "--lake", dir.toString(), "--run-id", "r",
        "--source", "sst2", "--log2-c", "0,-2").config().grid());
  }

  @Test
  void generateNeedsUnitAndValueTogether() {
    assertThrows(IllegalArgumentException.class, () -> parse(new GenerateJob(), "--lake", dir.toString(),
        "--run-id", "r", "--primer", "x", "--clamp-unit", "sentiment").config());
    assertThrows(IllegalArgumentException.class, () -> parse(new GenerateJob(), "--lake", dir.toString(),
        "--run-id", "r", "--primer", "x", "--clamp-unit", "happy", "--clamp-value", "1").config());
    assertThrows(IllegalArgumentException.class, () -> parse(new GenerateJob(), "--lake", dir.toString(),
        "--run-id", "r", "--primer", "").config());
    GenerateJob.Config c = parse(new GenerateJob(), "--lake", dir.toString(), "--run-id", "r", "--primer", "x",
        "--clamp-unit", "12", "--clamp-value", "-1.5").config();
    assertEquals("12", c.clampUnit());
    assertEquals(-1.5, c.clampValue());
  }

  @Test
  void probeProtocolIsChosenFromTheSplitsPresentUnlessGiven() {
    ProbeSentimentJob.Config auto = parse(new ProbeSentimentJob(), "--lake", dir.toString(), "--run-id", "r",
        "--source", "rt").config();
    assertEquals(java.util.Optional.empty(), auto.protocol());
    assertEquals(10, auto.folds());
    assertEquals(3, auto.innerFolds());
    assertEquals(org.neurolake.sentiment.ProbeSolverChoice.AUTO, auto.solvers());
    java.util.EnumSet<Split> all = java.util.EnumSet.allOf(Split.class);
    assertEquals(ProbeProtocol.FIXED, ProbeSentimentJob.protocolFor(auto, all));
    assertEquals(ProbeProtocol.HELD_OUT, ProbeSentimentJob.protocolFor(auto, java.util.EnumSet.of(Split.TRAIN,
        Split.TEST)));
    assertEquals(ProbeProtocol.KFOLD, ProbeSentimentJob.protocolFor(auto, java.util.EnumSet.of(Split.TRAIN)));
    ProbeSentimentJob.Config kfold = parse(new ProbeSentimentJob(), "--lake", dir.toString(), "--run-id", "r",
        "--source", "rt", "--protocol", "kfold", "--folds", "5", "--solver", "mllib").config();
    assertEquals(ProbeProtocol.KFOLD, ProbeSentimentJob.protocolFor(kfold, all));
    assertEquals(5, kfold.folds());
    assertEquals(org.neurolake.sentiment.ProbeSolverChoice.Mode.MLLIB, kfold.solvers().mode());
    ProbeSentimentJob.Config across = parse(new ProbeSentimentJob(), "--lake", dir.toString(), "--run-id", "r",
        "--source", "imdb", "--test-source", "imdbtest").config();
    assertEquals(ProbeProtocol.HELD_OUT, ProbeSentimentJob.protocolFor(across, all));
    assertThrows(IllegalArgumentException.class, () -> parse(new ProbeSentimentJob(), "--lake", dir.toString(),
        "--run-id", "r", "--source", "imdb", "--test-source", "t", "--protocol", "fixed").config());
    assertThrows(IllegalArgumentException.class, () -> parse(new ProbeSentimentJob(), "--lake", dir.toString(),
        "--run-id", "r", "--source", "rt", "--folds", "1").config());
    assertThrows(IllegalArgumentException.class, () -> parse(new ProbeSentimentJob(), "--lake", dir.toString(),
        "--run-id", "r", "--source", "rt", "--solver", "sgd").config());
    assertThrows(IllegalArgumentException.class, () -> parse(new ProbeSentimentJob(), "--lake", dir.toString(),
        "--run-id", "r", "--source", "rt", "--protocol", "loo").config());
  }
}
