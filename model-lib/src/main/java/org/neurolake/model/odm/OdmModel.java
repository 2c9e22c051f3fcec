package org.neurolake.model.odm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.neurolake.model.api.AbstractTrainableModel;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.optim.Adam;
import org.neurolake.model.optim.AdamSettings;
import org.neurolake.model.optim.ConcatenatedState;
import org.neurolake.model.optim.OptimizerState;

/**
 * The ODM model of {@link OdmSpec} as a {@link TrainableModel}: one {@link #fit} computes both
 * networks' gradients on one batch and takes one Adam step on the joint parameter vector.
 *
 * <p><b>Batches.</b> {@code features} [R, nIn]: the inputs, one row per position; {@code labels}
 * [R, 1]: class ids; {@code labelsMask} [R, 1] (null: all 0): 1 marks a <i>labelled</i> row, whose
 * label is its input's class (the supervised term), 0 a <i>window</i> row. Window rows come first,
 * a multiple of {@code window} of them: rows w*W .. w*W+W-1 are window w of the unlabelled input
 * sequence, and their labels are window w of the real label sequence, drawn independently of the
 * inputs (never the inputs' classes). See {@link OdmShard}.
 *
 * <p><b>Costs</b> (n windows, m labelled rows, s = D's logit of "real", softplus(x) = log(1+e^x)):
 * D's loss = mean over windows of softplus(-s(real window)) + softplus(s(F's window)); F's
 * cost = adversarialWeight * mean softplus(-s(F's window)) (the non-saturating generator cost) +
 * entropyWeight * mean entropy of F's predictions on the window rows (sharpening: 0 at one-hot
 * predictions, so it moves no exact solution) + supervisedWeight * mean cross-entropy of the
 * labelled rows. With {@link OdmCost#NGRAM} the adversarial part is {@link NgramMatching}'s cost
 * instead and D is not used. D's gradient is of D's loss with F's
 * predictions held fixed, F's gradient of F's cost with D held fixed; each network then takes one
 * Adam step (its own clipping, D at {@code discriminatorRateScale} times F's rate).
 *
 * <p>Deterministic: no randomness after initialization (from the spec's seed).
 */
public final class OdmModel extends AbstractTrainableModel {
  private final OdmSpec spec;
  private final DataType dataType;
  private final TanhMlp generator;
  private final TanhMlp discriminator;
  private final int generatorSize;
  private final Adam generatorAdam;
  private final Adam discriminatorAdam;
  private final OptimizerState adamStates;
  private double[] parameters;

  public OdmModel(OdmSpec spec) {
    this(spec, DataType.FLOAT);
  }

  /** A model computing in {@code dataType}; DOUBLE is for gradient checks. */
  OdmModel(OdmSpec spec, DataType dataType) {
    super(spec.learningRate(), RateBound.NON_NEGATIVE);
    this.spec = spec;
    this.dataType = dataType;
    this.generator = new TanhMlp(spec.generatorWidths(), dataType);
    this.discriminator = new TanhMlp(spec.discriminatorWidths(), dataType);
    this.generatorSize = (int) spec.generatorParameterCount();
    AdamSettings adam = AdamSettings.builder().withBeta1(spec.beta1()).withClipNorm(spec.clipNorm()).build();
    this.generatorAdam = new Adam(adam, generatorSize);
    this.discriminatorAdam = new Adam(adam, spec.parameterCount() - generatorSize);
    this.adamStates = new ConcatenatedState(generatorAdam, discriminatorAdam);
    double[] p = new double[(int) spec.parameterCount()];
    SplittableRandom random = new SplittableRandom(spec.seed());
    generator.initialize(random.split(), p, 0);
    discriminator.initialize(random.split(), p, generatorSize);
    if (spec.frequencyInit() > 0) {
      startFromFrequencyPrior(p);
    }
    setParameters(p);
  }

  /** F's weights [nIn, nClasses] (F has no hidden layer): 0, and frequencyInit at (c, frequencyPrior[c]). */
  private void startFromFrequencyPrior(double[] p) {
    if (spec.frequencyPrior().size() != spec.nIn()) {
      throw new IllegalArgumentException("frequencyInit=" + spec.frequencyInit() + " needs frequencyPrior (one class per"
          + " input column, FrequencyRank.match of the inputs and labels); got " + spec.frequencyPrior().size()
          + " of " + spec.nIn());
    }
    int k = spec.nClasses();
    java.util.Arrays.fill(p, 0, spec.nIn() * k, 0.0);
    for (int c = 0; c < spec.nIn(); c++) {
      p[c * k + spec.frequencyPrior().get(c)] = spec.frequencyInit();
    }
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public long parameterCount() {
    return parameters.length;
  }

  /** F's parameters come first, at [0, generatorParameterCount), then D's. */
  public int generatorParameterCount() {
    return generatorSize;
  }

  @Override
  public float[] parameters() {
    float[] out = new float[parameters.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) parameters[i];
    }
    return out;
  }

  @Override
  public void setParameters(float[] p) {
    double[] d = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i];
    }
    setParameters(d);
  }

  void setParameters(double[] p) {
    if (p.length != spec.parameterCount()) {
      throw new IllegalArgumentException("expected " + spec.parameterCount() + " parameters, got " + p.length);
    }
    parameters = p.clone();
    generator.set(parameters, 0);
    discriminator.set(parameters, generatorSize);
  }

  double[] parameterValues() {
    return parameters.clone();
  }

  /** F's Adam state (m then v), then D's. */
  @Override
  protected OptimizerState optimizer() {
    return adamStates;
  }

  /** Returns F's cost on the batch before the step. */
  @Override
  public double fit(Batch batch) {
    Terms t = terms(batch, true);
    float[] p = parameters();
    float[] g = new float[p.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) t.gradient()[i];
    }
    float[] pd = java.util.Arrays.copyOfRange(p, generatorSize, p.length);
    float[] gd = java.util.Arrays.copyOfRange(g, generatorSize, g.length);
    generatorAdam.step(p, g, learningRate(), step() + 1);
    discriminatorAdam.step(pd, gd, learningRate() * spec.discriminatorRateScale(), step() + 1);
    System.arraycopy(pd, 0, p, generatorSize, pd.length);
    setParameters(p);
    advanceStep();
    return t.generatorCost(spec);
  }

  @Override
  public Map<String, Double> evaluate(Batch batch) {
    Terms t = terms(batch, false);
    Map<String, Double> m = new LinkedHashMap<>();
    if (t.labelled() > 0) {
      m.put("error", 1.0 - t.labelledCorrect() / (double) t.labelled());
      m.put("accuracy", t.labelledCorrect() / (double) t.labelled());
      m.put("cross_entropy", t.supervisedLoss());
    }
    if (t.windows() > 0 && spec.cost() == OdmCost.NGRAM) {
      m.put("ngram_loss", t.matchingLoss());
      m.put("prediction_entropy", t.entropy());
    } else if (t.windows() > 0) {
      m.put("discriminator_loss", t.discriminatorLoss());
      m.put("adversarial_loss", t.matchingLoss());
    }
    return m;
  }

  /** F's most probable class for each row of {@code features} [n, nIn]. */
  public int[] predict(INDArray features) {
    INDArray logits = generator.forward(features).output();
    return logits.argMax(1).toIntVector();
  }

  /**
   * The batch's cost terms, and with {@code gradient} the joint gradient: F's cost's at F's
   * parameters, D's loss's at D's.
   */
  record Terms(int windows, int labelled, int labelledCorrect, double discriminatorLoss, double matchingLoss,
      double entropy, double supervisedLoss, double[] gradient) {
    double generatorCost(OdmSpec spec) {
      return spec.adversarialWeight() * matchingLoss + spec.entropyWeight() * entropy
          + spec.supervisedWeight() * supervisedLoss;
    }
  }

  Terms terms(Batch batch, boolean withGradient) {
    int rows = batch.size();
    int[] ids = batch.labels().reshape(rows).toIntVector();
    int windowRows = windowRows(batch, rows);
    int w = spec.window();
    int k = spec.nClasses();
    int windows = windowRows / w;
    int labelled = rows - windowRows;
    for (int i = 0; i < rows; i++) {
      if (ids[i] < 0 || ids[i] >= k) {
        throw new IllegalArgumentException("row " + i + " has label " + ids[i] + " outside [0, " + k + ")");
      }
    }
    double[] grad = withGradient ? new double[parameters.length] : null;
    TanhMlp.Pass f = generator.forward(batch.features());
    INDArray probs = softmax(f.output());
    INDArray dProbs = Nd4j.zeros(dataType, rows, k);
    INDArray dLogits = Nd4j.zeros(dataType, rows, k);
    double dLoss = 0;
    double advLoss = 0;
    if (windows > 0 && spec.cost() == OdmCost.NGRAM) {
      NgramMatching.Result ngram = NgramMatching.of(
          probs.get(NDArrayIndex.interval(0, windowRows), NDArrayIndex.all()).dup('c'), oneHot(ids, 0, windowRows, k),
          w);
      advLoss = ngram.cost();
      if (withGradient) {
        dProbs.get(NDArrayIndex.interval(0, windowRows), NDArrayIndex.all())
            .assign(ngram.dProbs().muli(spec.adversarialWeight()));
      }
    } else if (windows > 0) {
      INDArray fake = probs.get(NDArrayIndex.interval(0, windowRows), NDArrayIndex.all()).dup('c')
          .reshape('c', windows, (long) w * k);
      INDArray real = oneHot(ids, 0, windowRows, k).muli(1 - spec.realSmoothing()).addi(spec.realSmoothing() / k)
          .reshape('c', windows, (long) w * k);
      TanhMlp.Pass dReal = discriminator.forward(discriminatorInput(real));
      TanhMlp.Pass dFake = discriminator.forward(discriminatorInput(fake));
      double[] sReal = dReal.output().reshape(windows).toDoubleVector();
      double[] sFake = dFake.output().reshape(windows).toDoubleVector();
      double[] gReal = new double[windows];
      double[] gFake = new double[windows];
      double[] gGen = new double[windows];
      for (int i = 0; i < windows; i++) {
        dLoss += softplus(-sReal[i]) + softplus(sFake[i]);
        advLoss += softplus(-sFake[i]);
        gReal[i] = (sigmoid(sReal[i]) - 1) / windows;
        gFake[i] = sigmoid(sFake[i]) / windows;
        gGen[i] = spec.adversarialWeight() * (sigmoid(sFake[i]) - 1) / windows;
      }
      dLoss /= windows;
      advLoss /= windows;
      if (withGradient) {
        discriminator.backward(dReal, column(gReal), grad, generatorSize);
        discriminator.backward(dFake, column(gFake), grad, generatorSize);
        INDArray dFakeInput = windowGradient(discriminator.backward(dFake, column(gGen), null, 0));
        dProbs.get(NDArrayIndex.interval(0, windowRows), NDArrayIndex.all())
            .assign(dFakeInput.reshape('c', windowRows, k));
      }
    }
    double entropy = 0;
    if (windows > 0) {
      // mean_t H(p_t) over the window rows; dH/dp = -(log p + 1)
      INDArray pw = probs.get(NDArrayIndex.interval(0, windowRows), NDArrayIndex.all());
      INDArray logP = Transforms.log(Transforms.max(pw, NgramMatching.FLOOR, true), false);
      entropy = -pw.mul(logP).sumNumber().doubleValue() / windowRows;
      if (withGradient && spec.entropyWeight() > 0) {
        dProbs.get(NDArrayIndex.interval(0, windowRows), NDArrayIndex.all())
            .addi(logP.addi(1.0).muli(-spec.entropyWeight() / windowRows));
      }
    }
    double supLoss = 0;
    int correct = 0;
    if (labelled > 0) {
      INDArray p = probs.get(NDArrayIndex.interval(windowRows, rows), NDArrayIndex.all());
      double[] pv = p.dup('c').reshape((long) labelled * k).toDoubleVector();
      int[] argmax = p.argMax(1).toIntVector();
      for (int i = 0; i < labelled; i++) {
        int y = ids[windowRows + i];
        supLoss -= Math.log(Math.max(pv[i * k + y], Double.MIN_NORMAL));
        if (argmax[i] == y) {
          correct++;
        }
      }
      supLoss /= labelled;
      if (withGradient) {
        // d(mean CE)/d logits = (p - onehot) / m, straight to the logits (no softmax backward needed).
        dLogits.get(NDArrayIndex.interval(windowRows, rows), NDArrayIndex.all())
            .assign(p.sub(oneHot(ids, windowRows, rows, k)).muli(spec.supervisedWeight() / labelled));
      }
    }
    if (withGradient) {
      // Softmax backward for the window rows: dz = p (dp - sum(dp p)).
      INDArray dot = dProbs.mul(probs).sum(true, 1);
      dLogits.addi(probs.mul(dProbs.subColumnVector(dot)));
      generator.backward(f, dLogits, grad, 0);
    }
    return new Terms(windows, labelled, correct, dLoss, advLoss, entropy, supLoss, grad);
  }

  /** D's input: the windows, with minibatch features their batch mean appended to each. */
  private INDArray discriminatorInput(INDArray windows) {
    if (!spec.minibatchFeatures()) {
      return windows;
    }
    INDArray mean = windows.mean(true, 0);
    return Nd4j.hstack(windows, Nd4j.zeros(dataType, windows.rows(), windows.columns()).addiRowVector(mean));
  }

  /** The gradient with respect to the windows of one with respect to {@link #discriminatorInput}. */
  private INDArray windowGradient(INDArray dInput) {
    if (!spec.minibatchFeatures()) {
      return dInput;
    }
    long width = dInput.columns() / 2;
    INDArray direct = dInput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width));
    INDArray viaMean = dInput.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)).mean(true, 0);
    return direct.addRowVector(viaMean);
  }

  private int windowRows(Batch batch, int rows) {
    int windowRows = rows;
    if (batch.labelsMask() != null) {
      double[] mask = batch.labelsMask().reshape(rows).toDoubleVector();
      windowRows = 0;
      while (windowRows < rows && mask[windowRows] == 0) {
        windowRows++;
      }
      for (int i = windowRows; i < rows; i++) {
        if (mask[i] == 0) {
          throw new IllegalArgumentException("window row " + i + " follows a labelled row; window rows come first");
        }
      }
    }
    if (windowRows % spec.window() != 0) {
      throw new IllegalArgumentException(windowRows + " window rows are not whole windows of " + spec.window());
    }
    return windowRows;
  }

  private INDArray softmax(INDArray logits) {
    INDArray shifted = logits.subColumnVector(logits.max(true, 1));
    INDArray e = Transforms.exp(shifted, false);
    return e.diviColumnVector(e.sum(true, 1));
  }

  private INDArray oneHot(int[] ids, int from, int to, int k) {
    INDArray out = Nd4j.zeros(dataType, to - from, k);
    for (int i = from; i < to; i++) {
      out.putScalar(i - from, ids[i], 1.0);
    }
    return out;
  }

  private INDArray column(double[] v) {
    return Nd4j.create(v, new long[] {v.length, 1}, 'c').castTo(dataType);
  }

  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}
