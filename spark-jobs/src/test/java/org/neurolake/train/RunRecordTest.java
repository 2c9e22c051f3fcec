package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.lfads.LfadsData;
import org.neurolake.lfads.LfadsRunData;
import org.neurolake.lfads.TrialWindow;
import org.neurolake.lfads.TrialWindows;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.lfads.LfadsSpec;

class RunRecordTest {
  @TempDir Path dir;

  private static final LfadsSpec SPEC = LfadsSpec.builder(8, 10).genDim(16).factors(4).seed(3).build();

  @Test
  void whatTheWriterWritesTheReaderReadsTyped() throws Exception {
    LfadsRunData data = new LfadsRunData("ex1", 10, 50, 10.0, new LfadsRunData.SplitSettings(0.1, 0.2, 0.2, 7, "trial"),
        new int[] {2, 5}, new TrialWindow("move_onset_ms", -250.0, 450.0), 1,
        List.of(new TrialWindows.LeftOut(9, "window starts at -50.0 ms, before the trial's start")));
    RunRecord written = RunRecord.of("r1", "lfads", "ex1", SPEC, TrainerConfig.builder().runId("r1").build(), data,
        "local[2]");
    org.apache.hadoop.fs.Path ckpt = new org.apache.hadoop.fs.Path(dir.resolve("ckpt").toUri());
    written.write(new Configuration(), ckpt);

    String json = Files.readString(dir.resolve("ckpt/run.json"));
    assertTrue(json.contains("\"run_id\" : \"r1\"") && json.contains("\"spec\" : {"), json);
    assertTrue(json.contains("\"kind\" : \"LFADS\""), json);
    RunRecord read = RunRecord.read(new Configuration(), ckpt);
    assertEquals(written, read);
    assertEquals(SPEC, read.spec());
    LfadsRunData back = read.data(LfadsRunData.class);
    assertEquals(new LfadsData(0.1, 0.2, 0.2, 7), back.split().toData());
    assertArrayEquals(new int[] {2, 5}, back.heldOutNeurons());
    assertEquals(new TrialWindow("move_onset_ms", -250.0, 450.0), back.window());
    assertEquals(1, back.trialsLeftOut());
    assertEquals(9, back.leftOut().get(0).trial());
    assertTrue(json.contains("\"trials_left_out\" : 1"), json);
    assertTrue(read.codeVersion().startsWith("0.1.0"), read.codeVersion());
    try (var files = Files.list(dir.resolve("ckpt"))) {
      assertEquals(List.of("run.json"), files.map(p -> p.getFileName().toString()).toList(), "written atomically");
    }
  }

  @Test
  void readsTheUntypedRunJsonOfEarlierReleases() {
    String old = "{\"run_id\":\"old\",\"model\":\"lfads\",\"dataset\":\"ex1\",\"trainer\":{\"run-id\":\"old\","
        + "\"workers\":\"2\"},\"model_spec\":" + quoted(ModelSpecs.toJson(SPEC)) + ",\"spark_master\":\"local[*]\","
        + "\"session\":\"ex1\",\"n_neurons\":10,\"n_bins\":50,\"bin_ms\":10.0,\"data\":{\"valid_fraction\":0.1,"
        + "\"test_fraction\":0.2,\"held_out_fraction\":0.2,\"split_seed\":7},\"held_out_neurons\":[2,5]}";
    RunRecord r = RunRecord.parse(new org.apache.hadoop.fs.Path("/x/run.json"), old);
    assertEquals("lfads", r.family());
    assertEquals(SPEC, r.spec());
    assertEquals("2", r.trainer().get("workers"));
    assertEquals(new LfadsData(0.1, 0.2, 0.2, 7), r.data(LfadsRunData.class).split().toData());
    assertEquals("ex1", r.data(LfadsRunData.class).session());
    assertEquals(TrialWindow.WHOLE, r.data(LfadsRunData.class).window(), "records before windows: whole trials");
  }

  @Test
  void notARunRecordIsOneClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunRecord.parse(new org.apache.hadoop.fs.Path("/x/run.json"), "{\"run_id\": 3"));
    assertTrue(e.getMessage().startsWith("/x/run.json is not a run record"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RunRecord.read(new Configuration(),
        new org.apache.hadoop.fs.Path(dir.resolve("none").toUri())));
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
