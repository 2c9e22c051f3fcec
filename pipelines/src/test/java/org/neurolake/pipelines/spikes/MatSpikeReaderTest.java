package org.neurolake.pipelines.spikes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.neurolake.pipelines.quarantine.BadInputException;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

class MatSpikeReaderTest {
  /** A DataHigh-like file: D(1..n).data (neurons x ms) and D(i).condition. */
  static byte[] dataHighFile(int nTrials, int nNeurons, int nMs, String dataField) throws IOException {
    Struct d = Mat5.newStruct(1, nTrials);
    for (int i = 0; i < nTrials; i++) {
      Matrix m = Mat5.newMatrix(nNeurons, nMs);
      for (int n = 0; n < nNeurons; n++) {
        for (int t = 0; t < nMs; t++) {
          if ((n * 31 + t * 7 + i) % 11 == 0) {
            m.setDouble(n, t, 1 + (t % 2));
          }
        }
      }
      d.set(dataField, i, m);
      d.set("condition", i, Mat5.newString("reach" + (i % 3)));
    }
    return bytes(Mat5.newMatFile().addArray("D", d));
  }

  static byte[] bytes(MatFile f) throws IOException {
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile("fixture", ".mat");
    try {
      Mat5.writeToFile(f, tmp.toFile());
      return java.nio.file.Files.readAllBytes(tmp);
    } finally {
      java.nio.file.Files.delete(tmp);
    }
  }

  @Test
  void readsTrialsBinnedWithTotalsPreserved() throws IOException {
    byte[] file = dataHighFile(4, 5, 103, "data");
    RecordingRead r = new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT)
        .read("x.mat", file);
    assertEquals(4, r.trials().size());
    assertEquals(0, r.refused().size());
    SpikeTrial t = r.trials().get(2);
    assertEquals(2, t.trial());
    assertEquals("reach2", t.condition());
    assertEquals(5, t.nNeurons());
    assertEquals(11, t.nBins());
    long expected = 0;
    for (int n = 0; n < 5; n++) {
      for (int ms = 0; ms < 103; ms++) {
        if ((n * 31 + ms * 7 + 2) % 11 == 0) {
          expected += 1 + (ms % 2);
        }
      }
    }
    assertEquals(expected, t.total());
  }

  @Test
  void missingFieldIsAClearErrorForTheFile() throws IOException {
    byte[] file = dataHighFile(2, 3, 10, "counts");
    BadInputException e = assertThrows(BadInputException.class,
        () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT)
            .read("x.mat", file));
    assertEquals("x.mat: struct D has no field 'data' (fields: [counts, condition])", e.getMessage());
  }

  @Test
  void notAMatFileIsAClearError() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT)
            .read("notes.mat", "hello, not a mat file".getBytes()));
    assertTrue(e.getMessage().startsWith("notes.mat is not a readable MAT v5 file"), e.getMessage());
  }

  @Test
  void trialWithNonCountValuesOrOtherNeuronCountIsQuarantined() throws IOException {
    Struct d = Mat5.newStruct(1, 3);
    Matrix good = Mat5.newMatrix(2, 20);
    good.setDouble(0, 3, 1);
    Matrix fractional = Mat5.newMatrix(2, 20);
    fractional.setDouble(1, 4, 0.5);
    Matrix wrongShape = Mat5.newMatrix(3, 20);
    d.set("data", 0, good).set("data", 1, fractional).set("data", 2, wrongShape);
    for (int i = 0; i < 3; i++) {
      d.set("condition", i, Mat5.newScalar(i + 1));
    }
    RecordingRead r = new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT)
        .read("x.mat", bytes(Mat5.newMatFile().addArray("D", d)));
    assertEquals(1, r.trials().size());
    assertEquals("1", r.trials().get(0).condition());
    assertEquals(2, r.refused().size());
    assertEquals("D(2).data value at (2,5) is 0.5, not a spike count", r.refused().get(0).reason());
    assertEquals("D(3).data has 3 neurons, earlier trials have 2", r.refused().get(1).reason());
  }

  /**
   * A hand-written MAT v5 file whose only variable, struct array D (fields data and condition),
   * declares {@code rows x cols} elements but holds only {@code emptyElements} empty ones: what a
   * hostile or corrupt file looks like. Compressed, it is one miCOMPRESSED element.
   */
  static byte[] declaredStruct(int rows, int cols, int emptyElements, boolean compressed) {
    ByteBuffer m = ByteBuffer.allocate(8 + 16 + 16 + 8 + 8 + 8 + 64 + 8 * emptyElements).order(ByteOrder.LITTLE_ENDIAN);
    m.putInt(14).putInt(m.capacity() - 8); // miMATRIX
    m.putInt(6).putInt(8).putInt(2).putInt(0); // array flags: mxSTRUCT_CLASS
    m.putInt(5).putInt(8).putInt(rows).putInt(cols); // dimensions
    m.putInt((1 << 16) | 1).put(new byte[] {'D', 0, 0, 0}); // name, a small element
    m.putInt((4 << 16) | 5).putInt(32); // field name length, a small element
    m.putInt(1).putInt(64).put(Arrays.copyOf("data".getBytes(StandardCharsets.US_ASCII), 32))
        .put(Arrays.copyOf("condition".getBytes(StandardCharsets.US_ASCII), 32));
    for (int i = 0; i < emptyElements; i++) {
      m.putInt(14).putInt(0); // an empty array
    }
    byte[] element = m.array();
    if (compressed) {
      Deflater d = new Deflater();
      d.setInput(element);
      d.finish();
      byte[] out = new byte[element.length + 64];
      int n = d.deflate(out);
      element = ByteBuffer.allocate(8 + n).order(ByteOrder.LITTLE_ENDIAN).putInt(15).putInt(n).put(out, 0, n).array();
    }
    byte[] header = new byte[128];
    byte[] text = "MATLAB 5.0 MAT-file, written by hand".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, 0, text.length);
    Arrays.fill(header, text.length, 116, (byte) ' ');
    header[125] = 1; // version 0x0100, little-endian
    header[126] = 'I';
    header[127] = 'M';
    byte[] file = Arrays.copyOf(header, 128 + element.length);
    System.arraycopy(element, 0, file, 128, element.length);
    return file;
  }

  @Test
  void aFewKilobytesDeclaringABillionTrialsAreRefusedBeforeTheLibraryAllocates() {
    for (boolean compressed : new boolean[] {false, true}) {
      byte[] file = declaredStruct(1, 1_000_000_000, 340, compressed);
      assertTrue(file.length < 3000 || compressed, "a " + file.length + "-byte file");
      BadInputException e = assertThrows(BadInputException.class,
          () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT)
              .read("hostile.mat", file), "compressed: " + compressed);
      assertTrue(e.getMessage().startsWith("hostile.mat is corrupt or hostile: 'D' (struct array 1 x 1000000000)"
          + " declares 2000000000 sub-arrays (2 fields)"), e.getMessage());
    }
  }

  @Test
  void theDeclarationsOfAnHonestFileAreAccepted() throws IOException {
    byte[] honest = declaredStruct(1, 170, 340, false);
    Mat5Preflight.Declared d = Mat5Preflight.check("x.mat", honest.length, new ByteArrayInputStream(honest),
        RecordingLimits.DEFAULT);
    assertEquals(1 + 340, d.arrays());
    byte[] written = dataHighFile(3, 4, 20, "data"); // compressed by mfl-core
    d = Mat5Preflight.check("y.mat", written.length, new ByteArrayInputStream(written), RecordingLimits.DEFAULT);
    assertEquals(1 + 3 * 2, d.arrays());
  }

  @Test
  void aTruncatedFileIsAClearError() {
    byte[] whole = declaredStruct(1, 170, 340, false);
    byte[] cut = Arrays.copyOf(whole, 1000);
    BadInputException e = assertThrows(BadInputException.class,
        () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT).read("cut.mat", cut));
    assertTrue(e.getMessage().startsWith("cut.mat is truncated: the element at byte 128 declares"), e.getMessage());

    // A compressed element whose tag was made to agree with the cut: the inflated stream ends early.
    byte[] compressed = declaredStruct(1, 170, 340, true);
    int kept = (compressed.length - 136) / 2;
    byte[] cutInside = Arrays.copyOf(compressed, 136 + kept);
    ByteBuffer.wrap(cutInside, 132, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(kept);
    e = assertThrows(BadInputException.class, () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10,
        RecordingLimits.DEFAULT).read("cutz.mat", cutInside));
    assertTrue(e.getMessage().startsWith("cutz.mat is truncated or corrupt"), e.getMessage());
  }

  @Test
  void aRecordingOverTheMemoryBudgetIsRefusedBeforeItsTrialsAreAllocated() throws IOException {
    // 10 trials of 4 neurons x 1000 ms, each far within the per-trial limit.
    byte[] file = dataHighFile(10, 4, 1000, "data");
    long decoded = Mat5Preflight.check("ten.mat", file.length, new ByteArrayInputStream(file), RecordingLimits.DEFAULT)
        .bytesInMemory();
    // Binned at 10 ms the trials hold 10 x 4 x 100 counts, plus one trial's 4 x 1000 while it is re-binned.
    long counts = 10 * 4 * 100 + 4 * 1000;
    RecordingLimits tight = RecordingLimits.DEFAULT.withMaxBytesInMemory(
        decoded + (counts - 1) * RecordingLimits.BYTES_PER_COUNT);
    BadInputException e = assertThrows(BadInputException.class,
        () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, tight).read("ten.mat", file));
    assertTrue(e.getMessage().startsWith("ten.mat D (10 trials): 8000 spike counts and "), e.getMessage());
    assertTrue(e.getMessage().contains("more than the reading task's budget"), e.getMessage());
    RecordingLimits enough = tight.withMaxBytesInMemory(decoded + counts * RecordingLimits.BYTES_PER_COUNT);
    assertEquals(10, new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, enough).read("ten.mat", file)
        .trials().size());
  }
}
