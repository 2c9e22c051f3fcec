package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pipeline as a user runs it: the application jar through SparkSubmit, in its own JVM. This is
 * the README's Quick start (generate the synthetic session, export it as a raw recording, ingest it).
 */
class LauncherTest {
  @TempDir Path dir;
  static Path root;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void findJar() {
    root = TestData.projectRoot();
    assertTrue(Files.exists(root.resolve("spark-jobs/target/neurolake-app.jar")),
        "the application jar is built by 'mvn package' before this module's tests");
  }

  static Run pipeline(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(TestData.projectRoot().resolve("bin/pipeline").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("SPARK_HOME");
    Path out = Files.createTempFile("out", ".txt");
    Path err = Files.createTempFile("err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "bin/pipeline " + String.join(" ", args) + " timed out");
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryJobAndEachJobHasHelp() throws Exception {
    Run help = pipeline("--help");
    assertEquals(0, help.exit(), help.err());
    for (String job : List.of("ingest-text", "cut-sequences", "ingest-spikes", "synth-spikes", "report", "query")) {
      assertTrue(help.out().contains(job), help.out());
      Run jobHelp = pipeline(job, "--help");
      assertEquals(0, jobHelp.exit(), jobHelp.err());
      assertTrue(jobHelp.out().contains("Usage: " + job), jobHelp.out());
    }
  }

  @Test
  void quickStartGeneratesExportsAndIngests() throws Exception {
    String lake = dir.resolve("lake").toString();
    Run synth = pipeline("synth-spikes", "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--lake", lake,
        "--conditions", "4", "--replications", "2", "--export-events", dir.resolve("raw").toString());
    assertEquals(0, synth.exit(), synth.err());
    assertTrue(synth.out().startsWith("synth-spikes synthetic-chaotic: 8 trials"), synth.out());
    Run ingest = pipeline("ingest-spikes", "--lake", lake, "--format", "events_csv", "--session", "raw",
        "--input", dir.resolve("raw/synthetic-chaotic_spikes.csv.gz").toString(),
        "--trials", dir.resolve("raw/synthetic-chaotic_trials.csv").toString());
    assertEquals(0, ingest.exit(), ingest.err());
    assertTrue(ingest.out().contains("-> 8 trials (0 refused)"), ingest.out());
    assertTrue(Files.exists(dir.resolve("lake/spike_trials/session=raw/_SUCCESS")));
  }

  @Test
  void badInputExitsWith2AndOneClearMessage() throws Exception {
    Run r = pipeline("ingest-text", "--lake", dir.toString(), "--source", "x", "--preset", "imdb",
        "--input", dir.resolve("missing.jsonl").toString());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("error: input " + dir.resolve("missing.jsonl") + " matches no file"), r.err());
    Run unknown = pipeline("no-such-job");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("unknown job 'no-such-job'"), unknown.err());
  }
}
