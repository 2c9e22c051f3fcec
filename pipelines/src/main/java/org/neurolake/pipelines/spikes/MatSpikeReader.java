package org.neurolake.pipelines.spikes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.QuarantineRecord;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Char;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Sources;
import us.hebi.matlab.mat.types.Struct;

/**
 * Reads a MAT v5 file holding a struct array with one element per trial, each with a
 * neurons x time matrix of spike counts (as DataHigh's {@code D(i).data}) and optionally a
 * condition (char or numeric scalar). The trial number is the element's 0-based index.
 *
 * <p>A missing variable or field is an error for the whole file; a trial whose matrix has the
 * wrong shape or non-count values is refused (quarantined) and the others are kept.
 */
public final class MatSpikeReader {
  /** Where the trials are in the file and how they were recorded. */
  public record Layout(String structName, String dataField, String conditionField, double sourceBinMs)
      implements java.io.Serializable {
    public Layout {
      Objects.requireNonNull(structName, "structName");
      Objects.requireNonNull(dataField, "dataField");
      if (!(sourceBinMs > 0)) {
        throw new IllegalArgumentException("source bin width must be positive: " + sourceBinMs);
      }
    }

    /** DataHigh's layout: {@code D(i).data} at 1 ms, {@code D(i).condition}. */
    public static final Layout DATAHIGH = new Layout("D", "data", "condition", 1.0);
  }

  private final Layout layout;
  private final double binMs;
  private final RecordingLimits limits;

  public MatSpikeReader(Layout layout, double binMs, RecordingLimits limits) {
    this.layout = layout;
    this.binMs = binMs;
    this.limits = limits;
    SpikeBinning.factor(layout.sourceBinMs(), binMs);
  }

  /** Opens the recording file; it is opened twice, for its declarations and then for the MAT library. */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  /** A recording held in memory (small files, tests). */
  public RecordingRead read(String fileName, byte[] content) {
    return read(fileName, content.length, () -> new ByteArrayInputStream(content));
  }

  /**
   * Reads the {@code fileBytes}-long file {@code source} opens. Its declarations are checked first
   * ({@link Mat5Preflight}): the library allocates from them before anything else could check them.
   */
  public RecordingRead read(String fileName, long fileBytes, Source source) {
    Mat5Preflight.Declared declared;
    try (InputStream in = source.open()) {
      declared = Mat5Preflight.check(fileName, fileBytes, in, limits);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + fileName + " failed", e);
    }
    Mat5File mat;
    try (InputStream in = source.open()) {
      mat = Mat5.newReader(Sources.wrapInputStream(in)).readMat();
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(fileName + " is not a readable MAT v5 file: " + e.getMessage(), e);
    }
    Struct s;
    try {
      s = mat.getStruct(layout.structName());
    } catch (RuntimeException e) {
      List<String> names = new ArrayList<>();
      mat.getEntries().forEach(en -> names.add(en.getName()));
      throw new BadInputException(fileName + ": no struct variable '" + layout.structName() + "' (variables: "
          + names + ")", e);
    }
    List<String> fields = s.getFieldNames();
    for (String f : new String[] {layout.dataField(), layout.conditionField()}) {
      if (f != null && !fields.contains(f)) {
        throw new BadInputException(fileName + ": struct " + layout.structName() + " has no field '" + f
            + "' (fields: " + fields + ")");
      }
    }
    int nTrials = s.getNumElements();
    limits.checkMemory(fileName + " " + layout.structName() + " (" + nTrials + " trials)", declared.bytesInMemory(),
        countsHeld(s, nTrials));
    List<SpikeTrial> trials = new ArrayList<>();
    List<QuarantineRecord> refused = new ArrayList<>();
    int sessionNeurons = -1;
    for (int i = 0; i < nTrials; i++) {
      String where = layout.structName() + "(" + (i + 1) + ")." + layout.dataField();
      try {
        Array a = s.get(layout.dataField(), i);
        if (!(a instanceof Matrix m) || m.getNumDimensions() != 2) {
          throw new IllegalArgumentException("is a " + a.getType() + " " + Arrays.toString(a.getDimensions())
              + ", not a 2-D numeric matrix");
        }
        int nNeurons = m.getNumRows();
        int nSource = m.getNumCols();
        limits.check(fileName + " " + where, nNeurons, nSource * layout.sourceBinMs(),
            SpikeBinning.nBins(nSource * layout.sourceBinMs(), binMs));
        if (sessionNeurons < 0) {
          sessionNeurons = nNeurons;
        } else if (nNeurons != sessionNeurons) {
          throw new IllegalArgumentException("has " + nNeurons + " neurons, earlier trials have " + sessionNeurons);
        }
        int[] counts = new int[nNeurons * nSource];
        for (int n = 0; n < nNeurons; n++) {
          for (int t = 0; t < nSource; t++) {
            double v = m.getDouble(n, t);
            if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
              throw new IllegalArgumentException("value at (" + (n + 1) + "," + (t + 1) + ") is " + v
                  + ", not a spike count");
            }
            counts[n * nSource + t] = (int) v;
          }
        }
        int[] binned = SpikeBinning.rebin(counts, nNeurons, nSource, layout.sourceBinMs(), binMs);
        trials.add(new SpikeTrial(i, condition(s, i), nNeurons, binned.length / nNeurons, binMs, binned,
            info(s, i, fields)));
      } catch (BadInputException e) {
        throw e;
      } catch (RuntimeException e) {
        refused.add(new QuarantineRecord(fileName, where, where + " " + e.getMessage(), null));
      }
    }
    return new RecordingRead(trials, refused);
  }

  /**
   * The most counts the reading holds at once, from the matrices' declared sizes: every trial's
   * binned counts, and the largest trial's counts at the source resolution while it is re-binned.
   */
  private long countsHeld(Struct s, int nTrials) {
    long binned = 0;
    long largestSource = 0;
    for (int i = 0; i < nTrials; i++) {
      if (s.get(layout.dataField(), i) instanceof Matrix m && m.getNumDimensions() == 2) {
        long source = (long) m.getNumRows() * m.getNumCols();
        long bins = (long) Math.ceil(m.getNumCols() * layout.sourceBinMs() / binMs);
        binned += m.getNumRows() * bins;
        largestSource = Math.max(largestSource, source);
      }
    }
    return binned + largestSource;
  }

  /**
   * The element's other fields that hold a string or a numeric scalar (event times, ids, ...), by
   * field name; other values (matrices, cells, nested structs) are not metadata and are left out.
   */
  private Map<String, String> info(Struct s, int i, List<String> fields) {
    Map<String, String> info = new LinkedHashMap<>();
    for (String f : fields) {
      if (f.equals(layout.dataField()) || f.equals(layout.conditionField())) {
        continue;
      }
      String v = scalar(s.get(f, i));
      if (v != null) {
        info.put(f, v);
      }
    }
    return info;
  }

  /** A char array's string or a numeric scalar's value (integers without ".0"), else null. */
  private static String scalar(Array c) {
    if (c instanceof Char ch) {
      return ch.getString();
    }
    if (c instanceof Matrix m && m.getNumElements() == 1 && m.getType() != MatlabType.Cell) {
      double v = m.getDouble(0);
      return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
    return null;
  }

  private String condition(Struct s, int i) {
    if (layout.conditionField() == null) {
      return null;
    }
    Array c = s.get(layout.conditionField(), i);
    String v = scalar(c);
    if (v != null) {
      return v;
    }
    throw new IllegalArgumentException("condition is a " + c.getType() + " " + Arrays.toString(c.getDimensions())
        + ", not a string or a scalar");
  }
}
