package org.neurolake.model.mlstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;

class ByteStreamShardTest {
  static List<byte[]> docs(String... texts) {
    return Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  static final List<byte[]> DOCS = docs("the first document, long enough for several windows",
      "second", "x", "", "a third one, of medium size", "ok", "fifth and last document here");

  @Test
  void consecutiveAlignedBatchesGiveEachRowItsStreamAndReassembleEveryDocument() {
    int streams = 3;
    int window = 8;
    ByteStreamShard shard = ByteStreamShard.of(DOCS, streams, window);
    assertEquals(5, shard.documents(), "documents of fewer than 2 bytes are left out");
    assertEquals(shard.windowsPerStream() * streams, shard.size());
    List<String> rebuilt = new ArrayList<>();
    Map<Integer, ByteArrayOutputStream> open = new HashMap<>();
    for (int j = 0; j < shard.windowsPerStream(); j++) {
      Batch b = shard.batch(j * streams, streams);
      assertArrayEquals(new long[] {streams, window}, b.features().shape());
      assertArrayEquals(new long[] {streams, window}, b.labels().shape());
      for (int s = 0; s < streams; s++) {
        float[] x = b.features().getRow(s).toFloatVector();
        float[] y = b.labels().getRow(s).toFloatVector();
        float[] m = b.labelsMask().getRow(s).toFloatVector();
        int valid = 0;
        while (valid < window && m[valid] == 1f) {
          valid++;
        }
        for (int t = valid; t < window; t++) {
          assertEquals(0f, m[t], "padding only at a window's end");
          assertEquals(0f, x[t] + y[t], "padding holds zeros");
        }
        for (int t = 0; t + 1 < valid; t++) {
          assertEquals(x[t + 1], y[t], "labels are the next bytes");
        }
        if (valid == 0) {
          assertFalse(b.continues()[s], "a padding window continues nothing");
          continue;
        }
        if (!b.continues()[s]) {
          ByteArrayOutputStream done = open.remove(s);
          if (done != null) {
            rebuilt.add(done.toString(StandardCharsets.UTF_8));
          }
          open.put(s, new ByteArrayOutputStream());
          open.get(s).write((int) x[0]);
        } else {
          assertTrue(open.containsKey(s), "a continuing window follows its document's previous window");
        }
        for (int t = 0; t < valid; t++) {
          open.get(s).write((int) y[t]);
        }
      }
    }
    open.values().forEach(o -> rebuilt.add(o.toString(StandardCharsets.UTF_8)));
    List<String> expected = new ArrayList<>(DOCS.stream().filter(d -> d.length >= 2)
        .map(d -> new String(d, StandardCharsets.UTF_8)).toList());
    expected.sort(null);
    rebuilt.sort(null);
    assertEquals(expected, rebuilt);
  }

  @Test
  void batchesWrapAroundAndMisalignedCallsCarryNothing() {
    ByteStreamShard shard = ByteStreamShard.of(DOCS, 2, 5);
    Batch first = shard.batch(0, 2);
    Batch wrapped = shard.batch(shard.size(), 2);
    assertEquals(first.features(), wrapped.features());
    assertArrayEquals(first.continues(), wrapped.continues());
    boolean anyContinues = false;
    for (int j = 0; j < shard.windowsPerStream(); j++) {
      for (boolean c : shard.batch(j * 2, 2).continues()) {
        anyContinues |= c;
      }
      for (boolean c : shard.batch(j * 2 + 1, 2).continues()) {
        assertFalse(c, "a call not aligned to the streams carries no state");
      }
      for (boolean c : shard.batch(j * 2, 3).continues()) {
        assertFalse(c, "a call of another size carries no state");
      }
    }
    assertTrue(anyContinues, "long documents span several windows");
  }

  @Test
  void fromChunksConcatenatesEachDocumentInSeqIndexOrder() {
    byte[] a = "hello world".getBytes(StandardCharsets.UTF_8);
    List<ByteChunk> rows = List.of(new ByteChunk("d2", 1, "rld".getBytes(StandardCharsets.UTF_8)),
        new ByteChunk("d1", 0, "ab".getBytes(StandardCharsets.UTF_8)),
        new ByteChunk("d2", 0, "hello wo".getBytes(StandardCharsets.UTF_8)));
    ByteStreamShard shard = ByteStreamShard.fromChunks(rows, 1, 20);
    ByteStreamShard direct = ByteStreamShard.of(List.of("ab".getBytes(StandardCharsets.UTF_8), a), 1, 20);
    for (int e = 0; e < shard.size(); e++) {
      assertEquals(direct.batch(e, 1).features(), shard.batch(e, 1).features());
      assertEquals(direct.batch(e, 1).labels(), shard.batch(e, 1).labels());
    }
    List<ByteChunk> gap = List.of(new ByteChunk("d", 0, a), new ByteChunk("d", 2, a));
    assertThrows(IllegalArgumentException.class, () -> ByteStreamShard.fromChunks(gap, 1, 4));
  }

  @Test
  void rejectsShardsWithNothingToPredict() {
    assertThrows(IllegalArgumentException.class, () -> ByteStreamShard.of(docs("a", ""), 2, 4));
    assertThrows(IllegalArgumentException.class, () -> ByteStreamShard.of(DOCS, 0, 4));
  }
}
