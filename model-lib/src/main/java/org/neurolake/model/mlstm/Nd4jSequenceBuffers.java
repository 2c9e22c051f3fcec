package org.neurolake.model.mlstm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The activations of one chunk of n rows by T steps for {@link Nd4jMlstmPass}, as INDArrays on
 * ND4J's device, laid out like {@link SequenceBuffers} (time-major: the row of example b at step t
 * is t n + b; c and h have T + 1 blocks, block 0 the initial state). The inputs arrive as one-hot
 * matrices, masked positions all zero, so the embedding lookup and its gradient are matrix
 * products. All per-step views (row blocks, gate column blocks) are built once here.
 */
final class Nd4jSequenceBuffers {
  private static final int V = MlstmSpec.VOCABULARY;

  final int rows;
  final int steps;
  final int hidden;

  final INDArray inputs;   // [Tn, 256] one-hot input bytes, zero rows at masked positions
  final INDArray targets;  // [Tn, 256] one-hot target bytes, zero rows at masked positions
  final INDArray mask;     // [Tn, 1] 1 = data, 0 = padding
  final INDArray unmask;   // [Tn, 1] 1 - mask
  /** Per step, whether any of its rows is padding (host-side, from the loaded mask). */
  final boolean[] stepHasPadding;
  private int validPositions;

  final INDArray x;       // [Tn, E]
  final INDArray xw;      // [Tn, 4H] x Wx + b
  final INDArray xm;      // [Tn, H] x Wmx
  final INDArray mh;      // [Tn, H] h_{t-1} Wmh
  final INDArray m;       // [Tn, H]
  final INDArray gates;   // [Tn, 4H] i, f, o, u
  final INDArray c;       // [(T+1)n, H]
  final INDArray h;       // [(T+1)n, H]
  final INDArray tanhC;   // [Tn, H]
  final INDArray logits;  // [Tn, 256]: log-probabilities, then dlogits
  final INDArray scratch; // [n, H]

  final INDArray[] cBlock;
  final INDArray[] hBlock;
  final INDArray[] xwBlock;
  final INDArray[] xmBlock;
  final INDArray[] mhBlock;
  final INDArray[] mBlock;
  final INDArray[] gatesBlock;
  final INDArray[] tanhCBlock;
  final INDArray[] maskBlock;
  final INDArray[] unmaskBlock;
  final INDArray[] iGate;
  final INDArray[] fGate;
  final INDArray[] oGate;
  final INDArray[] uGate;
  final INDArray[] ifoGates;
  final INDArray hPrevAll;
  final INDArray hOutAll;

  private Backward backward;

  /** The backward pass's buffers. */
  final class Backward {
    final INDArray dhOut;   // [Tn, H]
    final INDArray dz;      // [Tn, 4H]
    final INDArray dxm;     // [Tn, H] dm, then d(x Wmx)
    final INDArray dmh;     // [Tn, H]
    final INDArray dhCarry; // [n, H]
    final INDArray dcCarry; // [n, H]
    final INDArray dh;      // [n, H]
    final INDArray dc;      // [n, H]
    final INDArray dx;      // [Tn, E]
    final INDArray[] dhOutBlock;
    final INDArray[] dzBlock;
    final INDArray[] dzi;
    final INDArray[] dzf;
    final INDArray[] dzo;
    final INDArray[] dzu;
    final INDArray[] dxmBlock;
    final INDArray[] dmhBlock;

    private Backward() {
      long tn = (long) rows * steps;
      dhOut = alloc(tn, hidden);
      dz = alloc(tn, 4L * hidden);
      dxm = alloc(tn, hidden);
      dmh = alloc(tn, hidden);
      dhCarry = alloc(rows, hidden);
      dcCarry = alloc(rows, hidden);
      dh = alloc(rows, hidden);
      dc = alloc(rows, hidden);
      dx = alloc(tn, x.columns());
      dhOutBlock = blocks(dhOut, steps);
      dzBlock = blocks(dz, steps);
      dzi = columns(dzBlock, 0, 1);
      dzf = columns(dzBlock, 1, 2);
      dzo = columns(dzBlock, 2, 3);
      dzu = columns(dzBlock, 3, 4);
      dxmBlock = blocks(dxm, steps);
      dmhBlock = blocks(dmh, steps);
    }
  }

  Nd4jSequenceBuffers(int rows, int steps, int hidden, int embedding) {
    if (rows < 1 || steps < 1) {
      throw new IllegalArgumentException("a chunk needs >= 1 row and >= 1 step, got " + rows + " x " + steps);
    }
    this.rows = rows;
    this.steps = steps;
    this.hidden = hidden;
    long tn = (long) rows * steps;
    inputs = alloc(tn, V);
    targets = alloc(tn, V);
    mask = alloc(tn, 1);
    unmask = alloc(tn, 1);
    stepHasPadding = new boolean[steps];
    x = alloc(tn, embedding);
    xw = alloc(tn, 4L * hidden);
    xm = alloc(tn, hidden);
    mh = alloc(tn, hidden);
    m = alloc(tn, hidden);
    gates = alloc(tn, 4L * hidden);
    c = alloc(tn + rows, hidden);
    h = alloc(tn + rows, hidden);
    tanhC = alloc(tn, hidden);
    logits = alloc(tn, V);
    scratch = alloc(rows, hidden);
    cBlock = blocks(c, steps + 1);
    hBlock = blocks(h, steps + 1);
    xwBlock = blocks(xw, steps);
    xmBlock = blocks(xm, steps);
    mhBlock = blocks(mh, steps);
    mBlock = blocks(m, steps);
    gatesBlock = blocks(gates, steps);
    tanhCBlock = blocks(tanhC, steps);
    maskBlock = blocks(mask, steps);
    unmaskBlock = blocks(unmask, steps);
    iGate = columns(gatesBlock, 0, 1);
    fGate = columns(gatesBlock, 1, 2);
    oGate = columns(gatesBlock, 2, 3);
    uGate = columns(gatesBlock, 3, 4);
    ifoGates = columns(gatesBlock, 0, 3);
    hPrevAll = h.get(NDArrayIndex.interval(0, tn), NDArrayIndex.all());
    hOutAll = h.get(NDArrayIndex.interval(rows, tn + rows), NDArrayIndex.all());
  }

  boolean fits(int rows, int steps) {
    return this.rows == rows && this.steps == steps;
  }

  /**
   * Loads a chunk's inputs, time-major (position t n + b): input and target bytes and whether the
   * position holds data. One upload of three small vectors; the one-hot matrices are made on the device.
   */
  void load(int[] bytes, int[] targetBytes, boolean[] valid) {
    int tn = rows * steps;
    if (bytes.length != tn || targetBytes.length != tn || valid.length != tn) {
      throw new IllegalArgumentException("a chunk of " + rows + " x " + steps + " needs " + tn + " positions");
    }
    float[] mk = new float[tn];
    java.util.Arrays.fill(stepHasPadding, false);
    validPositions = 0;
    for (int p = 0; p < tn; p++) {
      mk[p] = valid[p] ? 1f : 0f;
      validPositions += valid[p] ? 1 : 0;
      stepHasPadding[p / rows] |= !valid[p];
    }
    mask.assign(Nd4j.create(mk, new long[] {tn, 1}, 'c'));
    unmask.assign(mask).rsubi(1f);
    oneHot(bytes, inputs);
    oneHot(targetBytes, targets);
  }

  int validPositions() {
    return validPositions;
  }

  private void oneHot(int[] values, INDArray out) {
    INDArray indices = Nd4j.createFromArray(values);
    Nd4j.exec(new OneHot(indices, out, V));
    out.muliColumnVector(mask);
  }

  Backward backward() {
    if (backward == null) {
      backward = new Backward();
    }
    return backward;
  }

  private INDArray[] blocks(INDArray a, int count) {
    INDArray[] out = new INDArray[count];
    for (int t = 0; t < count; t++) {
      out[t] = a.get(NDArrayIndex.interval((long) t * rows, (long) (t + 1) * rows), NDArrayIndex.all());
    }
    return out;
  }

  /** Column blocks [from H, to H) of each [n, 4H] step block. */
  private INDArray[] columns(INDArray[] stepBlocks, int from, int to) {
    INDArray[] out = new INDArray[stepBlocks.length];
    INDArrayIndex cols = NDArrayIndex.interval((long) from * hidden, (long) to * hidden);
    for (int t = 0; t < out.length; t++) {
      out[t] = stepBlocks[t].get(NDArrayIndex.all(), cols);
    }
    return out;
  }

  private static INDArray alloc(long rows, long cols) {
    return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
  }
}
