package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import picocli.CommandLine;

/** Both ingestion jobs take the same bad-input bounds into the same policy. */
class IngestJobOptionsTest {
  @TempDir Path dir;

  private <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }

  private IngestTextJob.Config text(String... extra) {
    String[] base = {"--lake", dir.toString(), "--source", "s", "--input", dir.resolve("in.jsonl").toString(),
        "--preset", "IMDB"};
    return parse(new IngestTextJob(), concat(base, extra)).config();
  }

  private IngestSpikesJob.Config spikes(String... extra) {
    String[] base = {"--lake", dir.toString(), "--format", "MAT", "--session", "s", "--input",
        dir.resolve("r.mat").toString()};
    return parse(new IngestSpikesJob(), concat(base, extra)).config();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void bothIngestionJobsDefaultToTheSamePolicyAndTakeTheSameOptions() {
    assertEquals(BadRecordPolicy.DEFAULT, text().badRecords());
    assertEquals(BadRecordPolicy.DEFAULT, spikes().badRecords());
    BadRecordPolicy loose = new BadRecordPolicy(7, 0.5, true);
    String[] options = {"--max-bad-records", "7", "--max-bad-fraction", "0.5", "--allow-empty-replace"};
    assertEquals(loose, text(options).badRecords());
    assertEquals(loose, spikes(options).badRecords());
    assertThrows(IllegalArgumentException.class, () -> text("--max-bad-fraction", "1.5"));
  }

  @Test
  void ingestTextTakesACharsetAndPerInputLabels() {
    IngestTextJob job = new IngestTextJob();
    new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--source", "rt", "--preset", "plain", "--charset", "windows-1252",
        "--input", "label=1:/d/pos.txt", "--input", "label=0,split=test:/d/neg.txt", "--input", "dev=/d/x.txt");
    org.neurolake.pipelines.text.TextSourceSpec spec = job.config().spec();
    assertEquals("windows-1252", spec.charset());
    assertEquals(java.util.List.of(new org.neurolake.pipelines.text.TextInput("/d/pos.txt", null, 1),
        new org.neurolake.pipelines.text.TextInput("/d/neg.txt", org.neurolake.pipelines.text.Split.TEST, 0),
        new org.neurolake.pipelines.text.TextInput("/d/x.txt", org.neurolake.pipelines.text.Split.DEV, null)),
        spec.inputs());
    IngestTextJob utf8 = new IngestTextJob();
    new CommandLine(utf8).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--source", "rt", "--preset", "plain", "--input", "/d/a.txt");
    assertEquals("UTF-8", utf8.config().spec().charset());
  }
}
