package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.lfads.LfadsData;
import org.neurolake.lfads.LfadsSession;
import org.neurolake.pbt.DefaultSearch;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.BackupWorkerTrainer;
import picocli.CommandLine;

/**
 * {@code train-lfads} without {@code --search}: the session's training trials are counted and the
 * LFADS default (PBT below 200) decides; {@code --search none} and {@code --search pbt} are taken as
 * asked. A generated session of 250 trials, split so that its training part falls on either side of 200.
 */
class TrainSearchChoiceTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static String lake;
  static Path space;

  @BeforeAll
  static void start() throws Exception {
    SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("search-choice-test")
        .config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    spark = b.getOrCreate();
    lake = dir.resolve("lake").toString();
    SynthSpikesJob synth = new SynthSpikesJob();
    new CommandLine(synth).parseArgs("--lake", lake, "--session", "s", "--conditions", "25", "--replications", "10");
    SynthSpikesJob.run(spark, synth.config());
    space = dir.resolve("lfads-pbt.properties");
    Files.writeString(space, "model.keepProb = linear 0.5 1.0\npbt.population = 2\npbt.metric = co_bps\n");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static TrainLfadsJob job(String... extra) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--lake", lake, "--session", "s",
        "--set", "run-id=t", "--set", "workers=1", "--set", "data.held-out-fraction=0.25"));
    args.addAll(java.util.List.of(extra));
    TrainLfadsJob job = new TrainLfadsJob();
    new CommandLine(job).parseArgs(args.toArray(String[]::new));
    return job;
  }

  private static long trainingTrials(TrainJob.Config cfg) {
    return LfadsSession.load(spark, Lake.parse(lake), "s", LfadsData.from(cfg.request().options()))
        .split(Split.TRAIN).count();
  }

  @Test
  void withoutSearchTheSessionsTrainingTrialsDecideAgainst200() {
    DefaultSearch lfads = new org.neurolake.lfads.LfadsFamily().defaultSearch().orElseThrow();

    TrainLfadsJob few = job("--set", "data.valid-fraction=0.15", "--set", "data.test-fraction=0.2");
    assertEquals(SearchOptions.Search.AUTO, few.search.requested(), "no --search is auto");
    TrainJob.Config fewCfg = few.config();
    long fewTrials = trainingTrials(fewCfg);
    assertTrue(fewTrials > 100 && fewTrials < 200, fewTrials + " training trials");
    DefaultSearch.Choice pbt = TrainJob.autoChoice(spark, fewCfg, lfads, space);
    assertTrue(pbt.pbt(), pbt.reason());
    assertEquals(space, pbt.space().orElseThrow());
    assertTrue(pbt.reason().contains(": " + fewTrials + ")"), "counts the training trials: " + pbt.reason());

    TrainJob.Config manyCfg = job("--set", "data.valid-fraction=0.05", "--set", "data.test-fraction=0.05").config();
    long manyTrials = trainingTrials(manyCfg);
    assertTrue(manyTrials >= 200, manyTrials + " training trials");
    DefaultSearch.Choice none = TrainJob.autoChoice(spark, manyCfg, lfads, space);
    assertFalse(none.pbt(), none.reason());
    assertTrue(none.reason().contains(manyTrials + " training examples"), none.reason());
  }

  @Test
  void searchNoneAndPbtAreTakenAsAsked() {
    assertEquals(SearchOptions.Search.NONE, job("--search", "none").search.requested());
    assertEquals(SearchOptions.Search.PBT, job("--search", "pbt", "--search-space", space.toString()).search.requested());
    assertEquals(SearchOptions.Search.AUTO, job("--search-space", space.toString()).search.requested(),
        "auto with a named space");
    var e = assertThrows(IllegalArgumentException.class,
        () -> job("--search", "none", "--search-space", space.toString()).search.requested());
    assertTrue(e.getMessage().contains("--search pbt"), e.getMessage());
  }
}
