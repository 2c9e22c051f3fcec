package org.neurolake.pipelines.spikes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
        .read("x.mat", new ByteArrayInputStream(file));
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
            .read("x.mat", new ByteArrayInputStream(file)));
    assertEquals("x.mat: struct D has no field 'data' (fields: [counts, condition])", e.getMessage());
  }

  @Test
  void notAMatFileIsAClearError() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> new MatSpikeReader(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT)
            .read("notes.mat", new ByteArrayInputStream("hello, not a mat file".getBytes())));
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
        .read("x.mat", new ByteArrayInputStream(bytes(Mat5.newMatFile().addArray("D", d))));
    assertEquals(1, r.trials().size());
    assertEquals("1", r.trials().get(0).condition());
    assertEquals(2, r.refused().size());
    assertEquals("D(2).data value at (2,5) is 0.5, not a spike count", r.refused().get(0).reason());
    assertEquals("D(3).data has 3 neurons, earlier trials have 2", r.refused().get(1).reason());
  }
}
