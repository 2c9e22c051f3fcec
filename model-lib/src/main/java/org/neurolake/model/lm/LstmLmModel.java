package org.neurolake.model.lm;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.AbstractTrainableModel;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.optim.Adagrad;
import org.neurolake.model.optim.Adam;
import org.neurolake.model.optim.AdamSettings;
import org.neurolake.model.optim.OptimizerState;

/**
 * The LSTM language model of {@link LstmLmSpec} as a {@link TrainableModel}, computed with ND4J
 * array operations ({@link LstmLmNetwork}), so any ND4J backend runs its matrix work.
 *
 * <p><b>Batches.</b> {@code features}: input word ids as floats, [n, T] with the word embedding,
 * or each input word's characters [n, T, maxWordLength] with the character CNN ({@link CharCnn});
 * {@code labels} [n, T]: the next word's id; {@code labelsMask} (else {@code featuresMask}, else all
 * ones) [n, T]: 0 marks padding, which adds no loss (the state runs on through it; a padded window
 * ends its stream, so nothing continues from it). The loss is the mean cross-entropy (nats) over
 * the unpadded positions, under the spec's training softmax in {@link #fit} and the full softmax in
 * {@link #evaluate} and {@link #score}.
 *
 * <p><b>State carry.</b> After each {@link #fit} the model keeps every row's final (c, r) of every
 * layer; in the next batch, row i with {@code continues[i]} starts from it, the other rows from
 * zeros, as do all rows after construction, {@link #setParameters} (every round: a pooled
 * instance's history never leaks into a result) and {@link #resetState}. Gradients do not flow
 * across batches. {@link #evaluate} reads that state and does not change it; {@link #score} keeps
 * a state of its own, for streaming a split's perplexity in order.
 *
 * <p><b>Randomness.</b> Dropout masks and the sampled softmax's negatives of step s come from
 * generators seeded by (spec seed, s), so equal models given equal batches at equal steps agree.
 *
 * <p><b>Optimizer.</b> Adagrad applies the row-sparse gradients of the embedding and softmax rows a
 * batch touches to those rows only (exact: untouched rows would not move); Adam updates every
 * parameter (its moments move rows without gradient too). Both clip the global gradient norm at
 * {@code clipNorm}. The optimizers are Java loops: on ND4J's CPU backend they update the parameters
 * in place, on another backend the parameters are copied out and back each step (not tested here:
 * no GPU); the forward and backward passes are ND4J operations on any backend.
 */
public final class LstmLmModel extends AbstractTrainableModel {
  private final LstmLmSpec spec;
  private final LstmLmNetwork net;
  private final NegativeSampler sampler;
  private final Adagrad adagrad;
  private final Adam adam;
  private RecurrentState carried;
  private RecurrentState scoreCarried;
  private double lastGradientNorm = Double.NaN;

  public LstmLmModel(LstmLmSpec spec) {
    this(spec, DataType.FLOAT);
  }

  /** A model computing in {@code dataType}; DOUBLE is for gradient checks (it cannot {@link #fit}). */
  LstmLmModel(LstmLmSpec spec, DataType dataType) {
    super(spec.learningRate(), RateBound.NON_NEGATIVE);
    this.spec = spec;
    this.net = new LstmLmNetwork(spec, dataType);
    this.sampler = spec.softmax() == LstmLmSpec.SoftmaxKind.SAMPLED ? new NegativeSampler(spec) : null;
    long size = spec.parameterCount();
    if (spec.optimizer() == LstmLmSpec.OptimizerKind.ADAGRAD) {
      adagrad = new Adagrad(Adagrad.DEFAULT_INITIAL_ACCUMULATOR, size);
      adam = null;
    } else {
      adagrad = null;
      adam = new Adam(AdamSettings.builder().withClipNorm(spec.clipNorm()).build(), size);
    }
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** The network, for tests that set parameters without resetting the carried state. */
  LstmLmNetwork net() {
    return net;
  }

  public ParameterLayout layout() {
    return net.params.layout();
  }

  @Override
  public long parameterCount() {
    return spec.parameterCount();
  }

  @Override
  public float[] parameters() {
    return net.params.toFloats();
  }

  @Override
  public FloatBuffer parameterBuffer() {
    return net.params.floatView();
  }

  /** Sets the parameters and forgets both carried states (they belonged to the old ones). */
  @Override
  public void setParameters(float[] parameters) {
    net.params.set(parameters);
    resetState();
  }

  void setParameters(double[] parameters) {
    net.params.set(parameters);
    resetState();
  }

  /** Adagrad's accumulators, or Adam's first then second moments, in parameter order. */
  @Override
  protected OptimizerState optimizer() {
    return adagrad != null ? adagrad : adam;
  }

  /** Forgets the carried states of {@link #fit} and {@link #score}. */
  public void resetState() {
    carried = null;
    scoreCarried = null;
  }

  /** The global L2 norm of the last {@link #fit}'s gradient before clipping (NaN before the first). */
  public double lastGradientNorm() {
    return lastGradientNorm;
  }

  @Override
  public double fit(Batch batch) {
    if (net.dataType() != DataType.FLOAT) {
      throw new IllegalStateException("training runs on float parameters, this model computes in "
          + net.dataType());
    }
    Window w = load(batch);
    LstmLmNetwork.Result r = net.run(w, initialState(carried, batch, w.rows()), trainingMode());
    carried = r.finalState();
    applyGradient(r.gradients());
    advanceStep();
    return w.count() == 0 ? 0 : r.lossSum() / w.count();
  }

  /** The loss and gradient of {@link #fit} at the current step, without the update. */
  record LossAndGradient(double loss, double[] gradient) {}

  /** As {@link #fit} (the state carried the same way) but returns the gradient instead of stepping. For tests. */
  LossAndGradient lossAndGradient(Batch batch) {
    Window w = load(batch);
    LstmLmNetwork.Result r = net.run(w, initialState(carried, batch, w.rows()), trainingMode());
    carried = r.finalState();
    double scale = w.count() == 0 ? 0 : 1.0 / w.count();
    return new LossAndGradient(r.lossSum() * scale, r.gradients().toDense(layout()));
  }

  /** The training loss of {@link #lossAndGradient} without the gradient and without touching the state. For tests. */
  double trainingLoss(Batch batch) {
    Window w = load(batch);
    LstmLmNetwork.Mode m = trainingMode();
    LstmLmNetwork.Mode lossOnly = new LstmLmNetwork.Mode(m.dropout(), m.dropoutSeed(), m.negatives(), false);
    LstmLmNetwork.Result r = net.run(w, initialState(carried, batch, w.rows()), lossOnly);
    return w.count() == 0 ? 0 : r.lossSum() / w.count();
  }

  private LstmLmNetwork.Mode trainingMode() {
    SplittableRandom random = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + step());
    long dropoutSeed = random.nextLong();
    boolean dropout = spec.inputDropout() > 0 || spec.layerDropout() > 0 || spec.outputDropout() > 0;
    NegativeSampler.Draw negatives = sampler == null ? null : sampler.draw(random.split());
    return new LstmLmNetwork.Mode(dropout, dropoutSeed, negatives, true);
  }

  /**
   * {@code loss} (mean nats per counted position, full softmax), {@code perplexity},
   * {@code log_likelihood} (the sum of ln p(target), for streaming a perplexity over batches) and
   * {@code tokens}. Reads, but does not change, the state {@link #fit} carries.
   */
  @Override
  public Map<String, Double> evaluate(Batch batch) {
    Window w = load(batch);
    LstmLmNetwork.Result r = net.run(w, initialState(carried, batch, w.rows()), LstmLmNetwork.Mode.evaluation());
    return metrics(r.lossSum(), w.count());
  }

  /**
   * {@link #evaluate}'s metrics, carrying a state of its own from one call to the next (rows with
   * {@code continues} go on from it): a split streamed batch by batch is scored exactly as in one
   * pass. Does not change the training state.
   */
  public Map<String, Double> score(Batch batch) {
    // In a workspace: a split is scored in thousands of small windows, and outside one each window's
    // off-heap temporaries waited for a garbage collection of their small Java wrappers; with the
    // character CNN that grew the process past this 24 GB machine while scoring PTB's valid split.
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(SCORE_WORKSPACE)) {
      Window w = load(batch);
      LstmLmNetwork.Result r = net.run(w, initialState(scoreCarried, batch, w.rows()),
          LstmLmNetwork.Mode.evaluation());
      scoreCarried = r.finalState().detach();
      return metrics(r.lossSum(), w.count());
    }
  }

  /** The workspace {@link #score} computes in (ND4J's default configuration, per thread). */
  private static final String SCORE_WORKSPACE = "lstm-lm-score";

  /**
   * Draws a continuation of {@code context} (at least one id; a sentence start is the end-of-sentence
   * id) one word at a time from the full softmax at {@code temperature} (0: the most likely word),
   * until {@code stopId} is drawn (included) or {@code maxLength} words are. The same context,
   * settings and {@code random} state give the same words. Touches neither carried state.
   *
   * @param chars each word's characters for the character-CNN input, else null
   */
  public int[] sample(int[] context, int maxLength, double temperature, SplittableRandom random, int stopId,
      CharTable chars) {
    if (context.length == 0 || maxLength < 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("need a non-empty context, maxLength >= 0 and a finite temperature >= 0, got "
          + context.length + " ids, " + maxLength + ", " + temperature);
    }
    if ((chars != null) != (spec.input() == LstmLmSpec.InputKind.CHAR_CNN)) {
      throw new IllegalArgumentException("a character table is needed exactly for the character-CNN input");
    }
    int[] out = new int[maxLength];
    int n = 0;
    RecurrentState state = net.zeroState(1);
    int[] feed = context;
    while (n < maxLength) {
      LstmLmNetwork.Forward f = net.logits(inputWindow(feed, chars), state);
      state = f.finalState();
      double[] logits = f.logits().getRow(feed.length - 1).castTo(DataType.DOUBLE).toDoubleVector();
      int next = draw(logits, temperature, random);
      out[n++] = next;
      if (next == stopId) {
        break;
      }
      feed = new int[] {next};
    }
    return Arrays.copyOf(out, n);
  }

  private Window inputWindow(int[] ids, CharTable chars) {
    for (int id : ids) {
      if (id < 0 || id >= spec.vocabSize()) {
        throw new IllegalArgumentException("context id " + id + " is not in 0.." + (spec.vocabSize() - 1));
      }
    }
    int steps = ids.length;
    int[] charIds = null;
    if (chars != null) {
      int len = chars.length();
      charIds = new int[steps * len];
      for (int t = 0; t < steps; t++) {
        System.arraycopy(chars.chars(ids[t]), 0, charIds, t * len, len);
      }
    }
    INDArray mask = Nd4j.ones(net.dataType(), steps, 1);
    return new Window(1, steps, chars == null ? ids.clone() : null, charIds, new int[steps], mask, steps);
  }

  /** The index drawn from softmax(logits / temperature); the first largest at temperature 0. */
  static int draw(double[] logits, double temperature, SplittableRandom random) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    if (temperature == 0) {
      return best;
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp((logits[i] - logits[best]) / temperature);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u < 0) {
        return i;
      }
    }
    return best; // rounding left u >= 0 after the last term
  }

  private static Map<String, Double> metrics(double lossSum, int count) {
    double loss = count == 0 ? 0 : lossSum / count;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("perplexity", Math.exp(loss));
    m.put("log_likelihood", -lossSum);
    m.put("tokens", (double) count);
    return m;
  }

  // ---- the optimizer step ----

  private void applyGradient(Gradients g) {
    double norm = g.norm();
    lastGradientNorm = norm;
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("the gradient is not finite (global norm " + norm + ") at step " + step()
          + "; the parameters were left unchanged");
    }
    // On the CPU backend the optimizer updates ND4J's host memory in place; elsewhere a copy
    // goes out and back.
    boolean host = Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend");
    FloatBuffer params = host
        ? net.params.flat().data().pointer().asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer()
        : FloatBuffer.wrap(net.params.toFloats());
    if (adam != null) {
      float[] dense = toFloats(g.toDense(layout()));
      adam.step(params, FloatBuffer.wrap(dense), learningRate(), step() + 1);
    } else {
      adagradStep(g, params, norm);
    }
    if (!host) {
      net.params.set(params.array());
    }
  }

  private void adagradStep(Gradients g, FloatBuffer params, double norm) {
    double scale = Adagrad.clipScale(norm, spec.clipNorm());
    for (Map.Entry<String, INDArray> e : g.dense().entrySet()) {
      ParameterLayout.Group group = layout().group(e.getKey());
      FloatBuffer values = FloatBuffer.wrap(e.getValue().dup('c').data().asFloat());
      adagrad.update(params, group.offset(), values, 0, group.size(), learningRate(), scale);
    }
    for (Map.Entry<String, Gradients.Rows> e : g.rows().entrySet()) {
      ParameterLayout.Group group = layout().group(e.getKey());
      FloatBuffer values = FloatBuffer.wrap(e.getValue().values().dup('c').data().asFloat());
      int[] ids = e.getValue().ids();
      int cols = group.cols();
      for (int k = 0; k < ids.length; k++) {
        adagrad.update(params, group.offset() + ids[k] * cols, values, k * cols, cols, learningRate(), scale);
      }
    }
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  // ---- batches in ----

  private RecurrentState initialState(RecurrentState from, Batch batch, int rows) {
    RecurrentState zero = net.zeroState(rows);
    boolean[] continues = batch.continues();
    if (from == null || continues == null) {
      return zero;
    }
    float[] keep = new float[rows];
    boolean any = false;
    for (int b = 0; b < rows; b++) {
      if (continues[b]) {
        if (from.rows() != rows) {
          throw new IllegalArgumentException("row " + b + " continues its stream, but the carried state is of a "
              + "batch of " + from.rows() + " rows, not " + rows + "; a continuing batch must keep the batch size");
        }
        keep[b] = 1f;
        any = true;
      }
    }
    if (!any) {
      return zero;
    }
    INDArray k = Nd4j.create(keep, new long[] {rows, 1}, 'c').castTo(net.dataType());
    INDArray[] c = new INDArray[from.c().length];
    INDArray[] r = new INDArray[from.r().length];
    for (int l = 0; l < c.length; l++) {
      c[l] = from.c()[l].mulColumnVector(k);
      r[l] = from.r()[l].mulColumnVector(k);
    }
    return new RecurrentState(c, r);
  }

  private Window load(Batch batch) {
    INDArray f = batch.features();
    boolean chars = spec.input() == LstmLmSpec.InputKind.CHAR_CNN;
    int length = spec.charCnn().maxWordLength();
    if (chars ? f.rank() != 3 || f.size(2) != length : f.rank() != 2) {
      throw new IllegalArgumentException("LSTM-LM features must be " + (chars ? "[n, T, " + length + "] characters"
          : "[n, T] word ids") + ", got shape " + Arrays.toString(f.shape()));
    }
    int n = (int) f.size(0);
    int steps = (int) f.size(1);
    requireShape("labels", batch.labels(), n, steps);
    INDArray maskArray = batch.labelsMask() != null ? batch.labelsMask() : batch.featuresMask();
    if (maskArray != null) {
      requireShape(batch.labelsMask() != null ? "labelsMask" : "featuresMask", maskArray, n, steps);
    }
    float[] x = rowMajor(f);
    float[] y = rowMajor(batch.labels());
    float[] mk = maskArray == null ? null : rowMajor(maskArray);
    int positions = n * steps;
    int[] ids = chars ? null : new int[positions];
    int[] charIds = chars ? new int[positions * length] : null;
    int[] targets = new int[positions];
    float[] mask = new float[positions];
    int count = 0;
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        int src = b * steps + t;
        int q = t * n + b;
        boolean valid = mk == null || mk[src] != 0f;
        mask[q] = valid ? 1f : 0f;
        count += valid ? 1 : 0;
        targets[q] = valid ? id("labels", y[src], b, t, spec.vocabSize()) : 0;
        if (chars) {
          for (int k = 0; k < length; k++) {
            charIds[q * length + k] = valid ? id("features", x[src * length + k], b, t, CharCnn.CHAR_VOCABULARY)
                : CharCnn.PADDING;
          }
        } else {
          ids[q] = valid ? id("features", x[src], b, t, spec.vocabSize()) : 0;
        }
      }
    }
    INDArray maskColumn = Nd4j.create(mask, new long[] {positions, 1}, 'c').castTo(net.dataType());
    return new Window(n, steps, ids, charIds, targets, maskColumn, count);
  }

  private static void requireShape(String what, INDArray a, int n, int steps) {
    if (a.rank() != 2 || a.size(0) != n || a.size(1) != steps) {
      throw new IllegalArgumentException(what + " must be [" + n + ", " + steps + "] like the features, got "
          + Arrays.toString(a.shape()));
    }
  }

  private static float[] rowMajor(INDArray a) {
    INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() ? a
        : a.castTo(DataType.FLOAT).dup('c');
    return c.data().asFloat();
  }

  private static int id(String what, float v, int row, int t, int limit) {
    int id = (int) v;
    if (id != v || id < 0 || id >= limit) {
      throw new IllegalArgumentException(what + "[" + row + ", " + t + "] = " + v + " is not an id in 0.." + (limit - 1));
    }
    return id;
  }
}
