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
import org.neurolake.model.api.AbstractTrainableModel;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.optim.Adam;
import org.neurolake.model.optim.AdamSettings;
import org.neurolake.model.optim.EpsilonPlacement;
import org.neurolake.model.optim.Nd4jAdam;
import org.neurolake.model.optim.OptimizerState;

/**
 * The byte-level mLSTM of {@link MlstmSpec} as a {@link TrainableModel}: {@link Adam} (its vector-API
 * kernel, {@link EpsilonPlacement#ALPHA_T} as DL4J's and TensorFlow's) with global-norm clipping
 * over a hand-written forward and backward pass ({@link MlstmNetwork}), truncated BPTT
 * with carried state, document features and generation. Needs
 * {@code --add-modules jdk.incubator.vector} and ND4J's CPU backend.
 *
 * <p><b>Compute paths.</b> {@link MlstmSpec#compute()} chooses how training steps run:
 * {@code fused-cpu} as above, or {@code nd4j}: the same forward and backward as ND4J operations on
 * the backend's device ({@link Nd4jMlstmPass}) with Adam as ND4J operations ({@link Nd4jAdam}, same
 * settings, clipping and state layout), which needs neither the vector API nor the CPU backend;
 * {@code auto} takes nd4j on a non-CPU backend. Both paths give the same loss, gradient and
 * updates to float rounding, and the same parameter and optimizer-state layout, so a checkpoint
 * moves between them. Every method runs on the chosen path.
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
public final class MlstmModel extends AbstractTrainableModel {
  /** Chunks of documents are cut so that their largest activation buffer stays within this many floats. */
  private static final long STREAM_BUFFER_FLOATS = 1L << 25;
  private static final int STREAM_MAX_ROWS = 128;
  private static final int V = MlstmSpec.VOCABULARY;

  private final MlstmSpec spec;
  private final ComputePath compute;
  private final ParameterLayout layout;
  private final int embedding;
  /** The fused path's network and optimizer (null on the nd4j path). */
  private final MlstmNetwork net;
  private final Adam adam;
  /** The nd4j path's pass and optimizer (null on the fused path). */
  private final Nd4jMlstmPass pass;
  private final Nd4jAdam nd4jAdam;
  private final int hid;

  private SequenceBuffers trainBuffers;
  private Nd4jSequenceBuffers nd4jBuffers;
  private float[] carryC;
  private float[] carryH;
  /** The nd4j path's carried state, on the device. */
  private INDArray carryCDevice;
  private INDArray carryHDevice;
  private int carryRows;

  public MlstmModel(MlstmSpec spec) {
    this(spec, Gemm.ND4J);
  }

  /** A model whose matrix products go through {@code gemm} (tests count them through its observer). */
  MlstmModel(MlstmSpec spec, Gemm gemm) {
    super(spec.learningRate(), RateBound.NON_NEGATIVE);
    this.spec = spec;
    this.compute = spec.compute().resolve();
    this.hid = spec.hiddenSize();
    this.embedding = spec.embeddingSize();
    this.layout = ParameterLayout.of(spec);
    AdamSettings settings = AdamSettings.builder().withBeta1(spec.beta1()).withBeta2(spec.beta2())
        .withEpsilon(spec.epsilon()).withClipNorm(spec.clipNorm()).withEpsilonPlacement(EpsilonPlacement.ALPHA_T)
        .build();
    if (compute == ComputePath.ND4J) {
      net = null;
      adam = null;
      pass = new Nd4jMlstmPass(spec, gemm);
      nd4jAdam = new Nd4jAdam(settings, layout.size());
    } else {
      requireFusedKernels();
      net = new MlstmNetwork(spec, gemm);
      adam = new Adam(settings, layout.size());
      pass = null;
      nd4jAdam = null;
    }
  }

  private static void requireFusedKernels() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      throw new IllegalStateException("MlstmModel's fused-cpu path needs the JDK's vector API: start the JVM with "
          + "--add-modules jdk.incubator.vector (or set model.compute=nd4j)");
    }
    String backend = Nd4j.getBackend().getClass().getSimpleName();
    if (!backend.equals(ComputePath.CPU_BACKEND)) {
      throw new IllegalStateException("MlstmModel's fused-cpu kernels work on host memory and need ND4J's CPU "
          + "backend, not " + backend + "; use model.compute=nd4j (or auto)");
    }
  }

  /** The compute path this model runs on ({@link MlstmSpec#compute()} with auto resolved). */
  public ComputePath computePath() {
    return compute;
  }

  /** Where each parameter group sits in {@link #parameters()}. */
  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public long parameterCount() {
    return layout.size();
  }

  @Override
  public float[] parameters() {
    return pass != null ? pass.parameters() : net.parameters();
  }

  /** Sets the parameters and forgets any carried recurrent state (it belonged to the old ones). */
  @Override
  public void setParameters(float[] parameters) {
    if (pass != null) {
      pass.setParameters(parameters);
    } else {
      net.setParameters(parameters);
    }
    resetState();
  }

  /** Adam's first moments, then its second moments, each in parameter order (see {@link Adam#state()}). */
  @Override
  protected OptimizerState optimizer() {
    return nd4jAdam != null ? nd4jAdam : adam;
  }

  /** Forgets the carried (h, c): every row of the next batch starts from zeros. */
  public void resetState() {
    carryC = null;
    carryH = null;
    carryCDevice = null;
    carryHDevice = null;
    carryRows = 0;
  }

  /** The carried c of every row (row-major [rows, H]), or null when nothing is carried. For tests. */
  float[] carriedCellState() {
    if (pass != null) {
      return carryCDevice == null ? null : Nd4j.toFlattened('c', carryCDevice).toFloatVector();
    }
    return carryC == null ? null : carryC.clone();
  }

  /** The global L2 norm of the last {@link #fit}'s gradient, before clipping (NaN before the first). */
  public double lastGradientNorm() {
    return nd4jAdam != null ? nd4jAdam.lastGradientNorm() : adam.lastGradientNorm();
  }

  @Override
  public double fit(Batch batch) {
    if (pass != null) {
      Nd4jSequenceBuffers w = loadNd4j(batch);
      int count = w.validPositions();
      double lossSum = pass.forward(w, true, true, count == 0 ? 0f : 1f / count);
      pass.backward(w);
      keepFinalState(w);
      nd4jAdam.step(pass.parameterArray(), pass.gradientArray(), learningRate(), step() + 1);
      advanceStep();
      pass.parametersChanged();
      return count == 0 ? 0 : lossSum / count;
    }
    SequenceBuffers w = load(batch);
    int count = w.validPositions();
    float gradScale = count == 0 ? 0f : 1f / count;
    double lossSum = net.forward(w, true, true, gradScale, -1, 0f);
    net.backward(w);
    keepFinalState(w);
    adam.stepVectorized(net.paramsB, net.gradsB, learningRate(), step() + 1);
    advanceStep();
    net.parametersChanged();
    return count == 0 ? 0 : lossSum / count;
  }

  /**
   * {@code loss} (mean nats per predicted byte), {@code bits_per_byte} and {@code positions}
   * (unpadded positions scored). Reads, but does not change, the carried state.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    if (pass != null) {
      Nd4jSequenceBuffers w = loadNd4j(batch);
      return metrics(pass.forward(w, true, false, 0f), w.validPositions());
    }
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
    if (gradientOut.length != layout.size()) {
      throw new IllegalArgumentException("gradient buffer holds " + gradientOut.length + " values, the model has "
          + layout.size() + " parameters");
    }
    if (pass != null) {
      Nd4jSequenceBuffers w = loadNd4j(batch);
      int count = w.validPositions();
      double lossSum = pass.forward(w, true, true, count == 0 ? 0f : 1f / count);
      pass.backward(w);
      keepFinalState(w);
      pass.gradient(gradientOut);
      return count == 0 ? 0 : lossSum / count;
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

  /** A batch read and checked on the host: time-major (position t n + b) input bytes, target bytes, data mask. */
  private record ChunkInput(int rows, int steps, int[] bytes, int[] targets, boolean[] mask) {}

  private SequenceBuffers load(Batch batch) {
    ChunkInput in = read(batch);
    int n = in.rows();
    int steps = in.steps();
    if (trainBuffers == null || !trainBuffers.fits(n, steps)) {
      trainBuffers = null; // let the old buffers go before the new ones are allocated
      trainBuffers = new SequenceBuffers(n, steps, hid, embedding);
    }
    SequenceBuffers w = trainBuffers;
    System.arraycopy(in.bytes(), 0, w.bytes, 0, n * steps);
    System.arraycopy(in.targets(), 0, w.targets, 0, n * steps);
    System.arraycopy(in.mask(), 0, w.mask, 0, n * steps);
    boolean[] continues = batch.continues();
    FloatBuffer c0 = w.cB.asFloatBuffer();
    FloatBuffer h0 = w.hB.asFloatBuffer();
    float[] zeros = new float[hid];
    for (int b = 0; b < n; b++) {
      boolean carry = carries(continues, b, n);
      c0.put(b * hid, carry ? carryC : zeros, carry ? b * hid : 0, hid);
      h0.put(b * hid, carry ? carryH : zeros, carry ? b * hid : 0, hid);
    }
    return w;
  }

  /** The nd4j path's {@link #load}: the inputs uploaded once, the carried state selected on the device. */
  private Nd4jSequenceBuffers loadNd4j(Batch batch) {
    ChunkInput in = read(batch);
    int n = in.rows();
    if (nd4jBuffers == null || !nd4jBuffers.fits(n, in.steps())) {
      nd4jBuffers = null;
      nd4jBuffers = new Nd4jSequenceBuffers(n, in.steps(), hid, embedding);
    }
    Nd4jSequenceBuffers w = nd4jBuffers;
    w.load(in.bytes(), in.targets(), in.mask());
    boolean[] continues = batch.continues();
    float[] keep = new float[n];
    boolean any = false;
    for (int b = 0; b < n; b++) {
      boolean carry = carries(continues, b, n);
      keep[b] = carry ? 1f : 0f;
      any |= carry;
    }
    if (!any) {
      w.cBlock[0].assign(0);
      w.hBlock[0].assign(0);
    } else {
      INDArray keepColumn = Nd4j.create(keep, new long[] {n, 1}, 'c');
      w.cBlock[0].assign(carryCDevice).muliColumnVector(keepColumn);
      w.hBlock[0].assign(carryHDevice).muliColumnVector(keepColumn);
    }
    return w;
  }

  /** Whether row b of an n-row batch starts from its carried state. */
  private boolean carries(boolean[] continues, int b, int n) {
    boolean carry = continues != null && continues[b] && (carryC != null || carryCDevice != null);
    if (carry && carryRows != n) {
      throw new IllegalArgumentException("row " + b + " continues its stream, but the carried state is of a batch of "
          + carryRows + " rows, not " + n + "; a continuing batch must keep the batch size");
    }
    return carry;
  }

  private ChunkInput read(Batch batch) {
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
    int[] bytes = new int[n * steps];
    int[] targets = new int[n * steps];
    boolean[] mask = new boolean[n * steps];
    float[] x = rowMajor(f);
    float[] y = rowMajor(batch.labels());
    float[] mk = maskArray == null ? null : rowMajor(maskArray);
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        int src = b * steps + t;
        int dst = t * n + b;
        boolean valid = mk == null || mk[src] != 0f;
        mask[dst] = valid;
        bytes[dst] = valid ? byteValue("features", x[src], b, t) : 0; // padding may hold anything
        targets[dst] = valid ? byteValue("labels", y[src], b, t) : 0;
      }
    }
    return new ChunkInput(n, steps, bytes, targets, mask);
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

  /** The nd4j path's {@link #keepFinalState}: a device copy of the last state block. */
  private void keepFinalState(Nd4jSequenceBuffers w) {
    int n = w.rows;
    if (carryCDevice == null || carryRows != n) {
      carryCDevice = Nd4j.create(DataType.FLOAT, new long[] {n, hid}, 'c');
      carryHDevice = Nd4j.create(DataType.FLOAT, new long[] {n, hid}, 'c');
      carryRows = n;
    }
    carryCDevice.assign(w.cBlock[w.steps]);
    carryHDevice.assign(w.hBlock[w.steps]);
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
    DocumentSteps path = pass != null ? new Nd4jDocumentSteps() : new FusedDocumentSteps();
    double lossSum = 0;
    long positions = 0;
    for (int from = 0; from < order.length; from += cap) {
      int n = Math.min(cap, order.length - from);
      path.startGroup(n, steps);
      List<byte[]> group = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        group.add(documents.get(order[from + r]));
      }
      int inputs = inputLength(group.get(0), withLoss);
      int chunks = Math.max(1, (inputs + steps - 1) / steps);
      int[] bytes = new int[n * steps];
      int[] targets = new int[n * steps];
      boolean[] mask = new boolean[n * steps];
      for (int k = 0; k < chunks; k++) {
        if (k > 0) {
          path.carryState();
        }
        for (int r = 0; r < n; r++) {
          byte[] doc = group.get(r);
          int len = inputLength(doc, withLoss);
          for (int t = 0; t < steps; t++) {
            int p = k * steps + t;
            int at = t * n + r;
            boolean valid = p < len;
            mask[at] = valid;
            bytes[at] = valid ? doc[p] & 0xFF : 0;
            targets[at] = valid && withLoss ? doc[p + 1] & 0xFF : 0;
          }
        }
        int valid = path.load(bytes, targets, mask);
        positions += withLoss ? valid : 0;
        lossSum += path.forward(withLoss);
      }
      float[][] groupCells = path.finalCells();
      for (int r = 0; r < n; r++) {
        cells[order[from + r]] = groupCells[r];
      }
    }
    return new DocumentPass(cells, lossSum, positions);
  }

  /**
   * A compute path's part in {@link #streamDocuments}: its buffers, the state carried between a
   * group's chunks and the forward pass.
   */
  private interface DocumentSteps {
    /** Starts a group of n rows read in chunks of {@code steps} bytes, from a zero state. */
    void startGroup(int n, int steps);

    /** Moves the state after the last chunk to the start of the next. */
    void carryState();

    /**
     * Loads a chunk, time-major (position t n + r): input and target bytes and whether the position
     * holds data; returns the count of positions that do.
     */
    int load(int[] bytes, int[] targets, boolean[] mask);

    /** Runs the loaded chunk forward; returns its loss sum (0 without loss). */
    double forward(boolean withLoss);

    /** Each row's c after the group's last chunk. */
    float[][] finalCells();
  }

  /** The fused path's steps: host buffers, {@link MlstmNetwork#forward}. */
  private final class FusedDocumentSteps implements DocumentSteps {
    private SequenceBuffers w;

    @Override
    public void startGroup(int n, int steps) {
      if (w == null || !w.fits(n, steps)) {
        w = new SequenceBuffers(n, steps, hid, embedding);
      }
      GateKernels.zero(n * hid, w.cB, 0);
      GateKernels.zero(n * hid, w.hB, 0);
    }

    @Override
    public void carryState() {
      GateKernels.copy(w.rows * hid, w.cB, w.blockAt(w.steps, hid), w.cB, 0);
      GateKernels.copy(w.rows * hid, w.hB, w.blockAt(w.steps, hid), w.hB, 0);
    }

    @Override
    public int load(int[] bytes, int[] targets, boolean[] mask) {
      System.arraycopy(bytes, 0, w.bytes, 0, bytes.length);
      System.arraycopy(targets, 0, w.targets, 0, targets.length);
      System.arraycopy(mask, 0, w.mask, 0, mask.length);
      return w.validPositions();
    }

    @Override
    public double forward(boolean withLoss) {
      return net.forward(w, withLoss, false, 0f, -1, 0f);
    }

    @Override
    public float[][] finalCells() {
      FloatBuffer c = w.cB.asFloatBuffer();
      float[][] out = new float[w.rows][hid];
      for (int r = 0; r < w.rows; r++) {
        c.get(w.blockAt(w.steps, hid) + r * hid, out[r]);
      }
      return out;
    }
  }

  /** The nd4j path's steps: the same groups and chunks, the state carried on the device. */
  private final class Nd4jDocumentSteps implements DocumentSteps {
    private Nd4jSequenceBuffers w;

    @Override
    public void startGroup(int n, int steps) {
      if (w == null || !w.fits(n, steps)) {
        w = new Nd4jSequenceBuffers(n, steps, hid, embedding);
      }
      w.cBlock[0].assign(0);
      w.hBlock[0].assign(0);
    }

    @Override
    public void carryState() {
      w.cBlock[0].assign(w.cBlock[w.steps]);
      w.hBlock[0].assign(w.hBlock[w.steps]);
    }

    @Override
    public int load(int[] bytes, int[] targets, boolean[] mask) {
      w.load(bytes, targets, mask);
      return w.validPositions();
    }

    @Override
    public double forward(boolean withLoss) {
      return pass.forward(w, withLoss, false, 0f);
    }

    @Override
    public float[][] finalCells() {
      float[] c = Nd4j.toFlattened('c', w.cBlock[w.steps]).toFloatVector();
      float[][] out = new float[w.rows][];
      for (int r = 0; r < w.rows; r++) {
        out[r] = Arrays.copyOfRange(c, r * hid, (r + 1) * hid);
      }
      return out;
    }
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
    if (pass != null) {
      return sampleNd4j(primer, length, temperature, seed, clampUnit, clampValue);
    }
    SequenceBuffers one = new SequenceBuffers(1, 1, hid, embedding);
    one.mask[0] = true;
    if (primer.length > 1) {
      SequenceBuffers p = new SequenceBuffers(1, primer.length - 1, hid, embedding);
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

  /** {@link #sample} on the nd4j path: the state stays on the device; each byte's 256 logits come to the host to be drawn. */
  private byte[] sampleNd4j(byte[] primer, int length, double temperature, long seed, int clampUnit,
      float clampValue) {
    Nd4jSequenceBuffers one = new Nd4jSequenceBuffers(1, 1, hid, embedding);
    one.cBlock[0].assign(0);
    one.hBlock[0].assign(0);
    if (primer.length > 1) {
      int steps = primer.length - 1;
      Nd4jSequenceBuffers p = new Nd4jSequenceBuffers(1, steps, hid, embedding);
      int[] bytes = new int[steps];
      boolean[] valid = new boolean[steps];
      for (int t = 0; t < steps; t++) {
        bytes[t] = primer[t] & 0xFF;
        valid[t] = true;
      }
      p.load(bytes, new int[steps], valid);
      p.cBlock[0].assign(0);
      p.hBlock[0].assign(0);
      pass.forward(p, false, false, 0f, clampUnit, clampValue);
      one.cBlock[0].assign(p.cBlock[steps]);
      one.hBlock[0].assign(p.hBlock[steps]);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[length];
    int input = primer[primer.length - 1] & 0xFF;
    double[] logits = new double[V];
    for (int k = 0; k < length; k++) {
      one.load(new int[] {input}, new int[1], new boolean[] {true});
      pass.forward(one, false, false, 0f, clampUnit, clampValue);
      pass.lastLogits(one, logits);
      input = draw(logits, temperature, random);
      out[k] = (byte) input;
      one.cBlock[0].assign(one.cBlock[1]);
      one.hBlock[0].assign(one.hBlock[1]);
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
