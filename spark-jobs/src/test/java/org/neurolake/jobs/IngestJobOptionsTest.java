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
}
