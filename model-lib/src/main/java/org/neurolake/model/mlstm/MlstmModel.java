package org.neurolake.model.mlstm;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.optim.Adam;
import org.neurolake.model.optim.AdamSettings;
import org.neurolake.model.optim.EpsilonPlacement;

/**
 * The byte-level mLSTM of {@link MlstmSpec} as a {@link TrainableModel}: {@link Adam} (its vector-API
 * kernel, {@link EpsilonPlacement#ALPHA_T} as DL4J's and TensorFlow's) with global-norm clipping
 * over a hand-written forward and backward pass ({@link MlstmNetwork}), truncated BPTT
 * with carried state, document features and generation. Needs
 * {@code --add-modules jdk.incubator.vector} and ND4J's CPU backend.
 *
 * <p><b>Batches.</b> {@code features} [n, T]: input byte values 0..255 as floats; {@code labels}
 * [n, T]: the next byte at each position; {@code labelsMask} [n, T] (optional; else
 * {@code featuresMask}, else all ones): 0 marks padding, which adds no loss and does not advance
 * that row's state, so a row's state after its last real byte is exact. The loss is the mean
 * cross-entropy (nats) over the unpadded positions.
 *
 * <p><b>State carry (truncated BPTT).</b> After each {@link #fit} the model keeps every row's final
 * (h, c). In the next batch, row i with {@code continues[i]} starts from row i's carried state;
 * other rows start from zeros, and so does every row when nothing is carried: after construction,
 * {@link #setParameters} (the engine calls it at the start of every round, so a pooled instance's
 * history never leaks into a result) and {@link #resetState}. Gradients do not flow across
 * batches. {@link #evaluate} reads the carried state the same way but does not change it.
 */
public final class MlstmModel implements TrainableModel {
  /** Chunks of documents are cut so that their largest activation buffer stays within this many floats. */
  private static final long STREAM_BUFFER_FLOATS = 1L << 25;
  private static final int STREAM_MAX_ROWS = 128;
  private static final int V = MlstmSpec.VOCABULARY;

  private final MlstmSpec spec;
  private final MlstmNetwork net;
  private final int hid;
  private final Adam adam;

  private double learningRate;
  private long step;
  private SequenceBuffers trainBuffers;
  private float[] carryC;
  private float[] carryH;
  private int carryRows;

  public MlstmModel(MlstmSpec spec) {
    this(spec, Gemm.ND4J);
  }

  /** A model whose matrix products go through {@code gemm} (tests count them through its observer). */
  MlstmModel(MlstmSpec spec, Gemm gemm) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      throw new IllegalStateException("MlstmModel needs the JDK's vector API: start the JVM with "
          + "--add-modules jdk.incubator.vector");
    }
    String backend = Nd4j.getBackend().getClass().getSimpleName();
    if (!backend.equals("CpuBackend")) {
      throw new IllegalStateException("MlstmModel's kernels work on host memory and need ND4J's CPU backend, not "
          + backend);
    }
    this.spec = spec;
    this.net = new MlstmNetwork(spec, gemm);
    this.hid = spec.hiddenSize();
    adam = new Adam(AdamSettings.builder().withBeta1(spec.beta1()).withBeta2(spec.beta2()).withEpsilon(spec.epsilon())
        .withClipNorm(spec.clipNorm()).withEpsilonPlacement(EpsilonPlacement.ALPHA_T).build(), net.layout.size());
    learningRate = spec.learningRate();
  }

  /** Where each parameter group sits in {@link #parameters()}. */
  public ParameterLayout layout() {
    return net.layout;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public long parameterCount() {
    return net.layout.size();
  }

  @Override
  public float[] parameters() {
    return net.parameters();
  }

  /** Sets the parameters and forgets any carried recurrent state (it belonged to the old ones). */
  @Override
  public void setParameters(float[] parameters) {
    net.setParameters(parameters);
    resetState();
  }

  /** Adam's first moments, then its second moments, each in parameter order (see {@link Adam#state()}). */
  @Override
  public float[] optimizerState() {
    return adam.state();
  }

  @Override
  public void setOptimizerState(float[] state) {
    adam.setState(state);
  }

  @Override
  public void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public void setStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    this.step = step;
  }

  /** Forgets the carried (h, c): every row of the next batch starts from zeros. */
  public void resetState() {
    carryC = null;
    carryH = null;
    carryRows = 0;
  }

  /** The carried c of every row (row-major [rows, H]), or null when nothing is carried. For tests. */
  float[] carriedCellState() {
    return carryC == null ? null : carryC.clone();
  }

  /** The global L2 norm of the last {@link #fit}'s gradient, before clipping (NaN before the first). */
  public double lastGradientNorm() {
    return adam.lastGradientNorm();
  }

  @Override
  public double fit(Batch batch) {
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    float gradScale = count == 0 ? 0f : 1f / count;
    double lossSum = net.forward(w, true, true, gradScale, -1, 0f);
    net.backward(w);
    keepFinalState(w);
    adam.stepVectorized(net.paramsB, net.gradsB, learningRate, step + 1);
    step++;
    net.parametersChanged();
    return count == 0 ? 0 : lossSum / count;
  }

  /**
   * {@code loss} (mean nats per predicted byte), {@code bits_per_byte} and {@code positions}
   * (unpadded positions scored). Reads, but does not change, the carried state.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    double lossSum = net.forward(w, true, false, 0f, -1, 0f);
    return metrics(lossSum, count);
  }

  /**
   * The loss and its gradient on {@code batch} without an optimizer step: fills
   * {@code gradientOut} (parameter order) and returns the mean loss. Updates the carried state
   * like {@link #fit}. For tests and diagnostics.
   */
  public double lossAndGradient(Batch batch, float[] gradientOut) {
    if (gradientOut.length != net.layout.size()) {
      throw new IllegalArgumentException("gradient buffer holds " + gradientOut.length + " values, the model has "
          + net.layout.size() + " parameters");
    }
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    double lossSum = net.forward(w, true, true, count == 0 ? 0f : 1f / count, -1, 0f);
    net.backward(w);
    keepFinalState(w);
    net.gradient(gradientOut);
    return count == 0 ? 0 : lossSum / count;
  }

  private static Map<String, Double> metrics(double lossSum, long count) {
    double loss = count == 0 ? 0 : lossSum / count;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("bits_per_byte", loss / Math.log(2));
    m.put("positions", (double) count);
    return m;
  }

  // ---- batches in, state carried out ----

  private SequenceBuffers load(Batch batch) {
    INDArray f = batch.features();
    if (f.rank() != 2) {
      throw new IllegalArgumentException("mLSTM features must be [n, T] byte values, got shape "
          + Arrays.toString(f.shape()));
    }
    int n = (int) f.size(0);
    int steps = (int) f.size(1);
    requireShape("labels", batch.labels(), n, steps);
    INDArray maskArray = batch.labelsMask() != null ? batch.labelsMask() : batch.featuresMask();
    if (maskArray != null) {
      requireShape(batch.labelsMask() != null ? "labelsMask" : "featuresMask", maskArray, n, steps);
    }
    if (trainBuffers == null || !trainBuffers.fits(n, steps)) {
      trainBuffers = null; // let the old buffers go before the new ones are allocated
      trainBuffers = new SequenceBuffers(n, steps, hid, net.embedding);
    }
    SequenceBuffers w = trainBuffers;
    float[] x = rowMajor(f);
    float[] y = rowMajor(batch.labels());
    float[] mk = maskArray == null ? null : rowMajor(maskArray);
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        int src = b * steps + t;
        int dst = t * n + b;
        boolean valid = mk == null || mk[src] != 0f;
        w.mask[dst] = valid;
        w.bytes[dst] = valid ? byteValue("features", x[src], b, t) : 0; // padding may hold anything
        w.targets[dst] = valid ? byteValue("labels", y[src], b, t) : 0;
      }
    }
    boolean[] continues = batch.continues();
    FloatBuffer c0 = w.cB.asFloatBuffer();
    FloatBuffer h0 = w.hB.asFloatBuffer();
    float[] zeros = new float[hid];
    for (int b = 0; b < n; b++) {
      boolean carry = continues != null && continues[b] && carryC != null;
      if (carry && carryRows != n) {
        throw new IllegalArgumentException("row " + b + " continues its stream, but the carried state is of a batch of "
            + carryRows + " rows, not " + n + "; a continuing batch must keep the batch size");
      }
      c0.put(b * hid, carry ? carryC : zeros, carry ? b * hid : 0, hid);
      h0.put(b * hid, carry ? carryH : zeros, carry ? b * hid : 0, hid);
    }
    return w;
  }

  private static void requireShape(String what, INDArray a, int n, int steps) {
    if (a.rank() != 2 || a.size(0) != n || a.size(1) != steps) {
      throw new IllegalArgumentException(what + " must be [" + n + ", " + steps + "] like the features, got "
          + Arrays.toString(a.shape()));
    }
  }

  private static float[] rowMajor(INDArray a) {
    INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() ? a : a.castTo(DataType.FLOAT).dup('c');
    return c.data().asFloat();
  }

  private static int byteValue(String what, float v, int row, int t) {
    int b = (int) v;
    if (b != v || b < 0 || b > 255) {
      throw new IllegalArgumentException(what + "[" + row + ", " + t + "] = " + v + " is not a byte value 0..255");
    }
    return b;
  }

  private void keepFinalState(SequenceBuffers w) {
    int n = w.rows;
    if (carryC == null || carryRows != n) {
      carryC = new float[n * hid];
      carryH = new float[n * hid];
      carryRows = n;
    }
    int at = w.steps * n * hid;
    w.cB.asFloatBuffer().get(at, carryC);
    w.hB.asFloatBuffer().get(at, carryH);
  }

  /**
   * Matrix-multiply floating-point operations of one {@link #fit} on n rows of T steps (forward and
   * backward, as executed), for throughput figures.
   */
  public static double trainingFlops(MlstmSpec spec, int n, int steps) {
    return MlstmNetwork.trainingFlops(spec, n, steps);
  }

  /** The matrix products one {@link #fit} on n rows of T steps executes, each with its count. */
  public static Map<MatrixProduct, Integer> trainingProducts(MlstmSpec spec, int n, int steps) {
    return MlstmNetwork.trainingProducts(spec, n, steps);
  }

  // ---- documents: features, evaluation, generation ----

  /**
   * The cell state c after each whole document (the paper's features), from a zero state, reading
   * up to 128 documents at a time (longest first) in chunks of at most {@code spec.tbpttLength()}
   * bytes (fewer if the activation buffers would pass ~128 MB), the state carried between chunks
   * and each row's state held after its last byte. An empty document gives zeros.
   */
  public float[][] finalCellStates(List<byte[]> documents) {
    return streamDocuments(documents, false).cells;
  }

  /**
   * {@code loss}, {@code bits_per_byte} and {@code positions} of next-byte prediction over whole
   * documents (each from a zero state, state carried across chunks). Does not change the model.
   */
  public Map<String, Double> evaluateDocuments(List<byte[]> documents) {
    DocumentPass p = streamDocuments(documents, true);
    return metrics(p.lossSum, p.positions);
  }

  private record DocumentPass(float[][] cells, double lossSum, long positions) {}

  private DocumentPass streamDocuments(List<byte[]> documents, boolean withLoss) {
    // Many rows keep the per-step products efficient; the chunk length does not change the
    // result (the state is carried exactly), so it is what the memory budget leaves.
    int cap = Math.max(1, Math.min(STREAM_MAX_ROWS, documents.size()));
    int steps = (int) Math.max(1, Math.min(spec.tbpttLength(), STREAM_BUFFER_FLOATS / ((long) cap * 4 * hid)));
    Integer[] order = new Integer[documents.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Longest first: the rows of a group then need about the same number of chunks.
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> documents.get(i).length).reversed());
    float[][] cells = new float[documents.size()][];
    double lossSum = 0;
    long positions = 0;
    SequenceBuffers w = null;
    for (int from = 0; from < order.length; from += cap) {
      int n = Math.min(cap, order.length - from);
      if (w == null || !w.fits(n, steps)) {
        w = new SequenceBuffers(n, steps, hid, net.embedding);
      }
      List<byte[]> group = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        group.add(documents.get(order[from + r]));
      }
      int inputs = inputLength(group.get(0), withLoss);
      int chunks = Math.max(1, (inputs + steps - 1) / steps);
      GateKernels.zero(n * hid, w.cB, 0);
      GateKernels.zero(n * hid, w.hB, 0);
      for (int k = 0; k < chunks; k++) {
        if (k > 0) {
          GateKernels.copy(n * hid, w.cB, w.blockAt(steps, hid), w.cB, 0);
          GateKernels.copy(n * hid, w.hB, w.blockAt(steps, hid), w.hB, 0);
        }
        for (int r = 0; r < n; r++) {
          byte[] doc = group.get(r);
          int len = inputLength(doc, withLoss);
          for (int t = 0; t < steps; t++) {
            int p = k * steps + t;
            int at = t * n + r;
            boolean valid = p < len;
            w.mask[at] = valid;
            w.bytes[at] = valid ? doc[p] & 0xFF : 0;
            w.targets[at] = valid && withLoss ? doc[p + 1] & 0xFF : 0;
          }
        }
        positions += withLoss ? w.validPositions() : 0;
        lossSum += net.forward(w, withLoss, false, 0f, -1, 0f);
      }
      FloatBuffer c = w.cB.asFloatBuffer();
      for (int r = 0; r < n; r++) {
        float[] cell = new float[hid];
        c.get(w.blockAt(steps, hid) + r * hid, cell);
        cells[order[from + r]] = cell;
      }
    }
    return new DocumentPass(cells, lossSum, positions);
  }

  private static int inputLength(byte[] doc, boolean withLoss) {
    return withLoss ? Math.max(0, doc.length - 1) : doc.length;
  }

  /**
   * Generates {@code length} bytes after {@code primer} (at least one byte, read from a zero
   * state). Each byte is drawn from softmax(logits / temperature) with a generator seeded by
   * {@code seed}; temperature 0 takes the most likely byte. With {@code clampUnit} in [0, H), that
   * unit of the cell state is overwritten with {@code clampValue} after every step, primer
   * included (the paper's sentiment-unit intervention); a negative {@code clampUnit} clamps nothing.
   * Does not change the model.
   */
  public byte[] sample(byte[] primer, int length, double temperature, long seed, int clampUnit, float clampValue) {
    if (primer.length == 0) {
      throw new IllegalArgumentException("sampling needs a primer of at least one byte");
    }
    if (length < 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("need length >= 0 and a finite temperature >= 0, got length " + length
          + ", temperature " + temperature);
    }
    if (clampUnit >= hid) {
      throw new IllegalArgumentException("clamp unit " + clampUnit + " is not one of the " + hid + " hidden units");
    }
    SequenceBuffers one = new SequenceBuffers(1, 1, hid, net.embedding);
    one.mask[0] = true;
    if (primer.length > 1) {
      SequenceBuffers p = new SequenceBuffers(1, primer.length - 1, hid, net.embedding);
      for (int t = 0; t < primer.length - 1; t++) {
        p.bytes[t] = primer[t] & 0xFF;
        p.mask[t] = true;
      }
      net.forward(p, false, false, 0f, clampUnit, clampValue);
      GateKernels.copy(hid, p.cB, p.blockAt(p.steps, hid), one.cB, 0);
      GateKernels.copy(hid, p.hB, p.blockAt(p.steps, hid), one.hB, 0);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[length];
    int input = primer[primer.length - 1] & 0xFF;
    double[] logits = new double[V];
    for (int k = 0; k < length; k++) {
      one.bytes[0] = input;
      net.forward(one, false, false, 0f, clampUnit, clampValue);
      net.lastLogits(one, logits);
      input = draw(logits, temperature, random);
      out[k] = (byte) input;
      GateKernels.copy(hid, one.cB, hid, one.cB, 0);
      GateKernels.copy(hid, one.hB, hid, one.hB, 0);
    }
    return out;
  }

  private static int draw(double[] logits, double temperature, SplittableRandom random) {
    int best = 0;
    for (int j = 1; j < logits.length; j++) {
      if (logits[j] > logits[best]) {
        best = j;
      }
    }
    if (temperature == 0) {
      return best;
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int j = 0; j < logits.length; j++) {
      p[j] = StrictMath.exp((logits[j] - logits[best]) / temperature);
      sum += p[j];
    }
    double u = random.nextDouble() * sum;
    for (int j = 0; j < p.length; j++) {
      u -= p[j];
      if (u < 0) {
        return j;
      }
    }
    return best;
  }
}
