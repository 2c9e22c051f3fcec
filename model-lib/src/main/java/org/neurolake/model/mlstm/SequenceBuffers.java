package org.neurolake.model.mlstm;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Preallocated activations of one chunk of n rows by T time steps, time-major: the row of example
 * b at step t is t * n + b, so each step is one contiguous [n, width] block, and all steps
 * together are one [T n, width] matrix for the batched products (input projections, output
 * layer, weight gradients). The states c and h have T + 1 blocks: block 0 is the initial state,
 * block t + 1 the state after step t. Backward buffers are allocated on first use. The per-step
 * block views are built once here, not per step.
 */
final class SequenceBuffers {
  final int rows;
  final int steps;
  final int hidden;
  final int embedding;

  /** Per position (t * n + b): the input byte, the target byte, whether the position holds data. */
  final int[] bytes;
  final int[] targets;
  final boolean[] mask;

  final INDArray x;       // [Tn, E] embedded inputs
  final INDArray xw;      // [Tn, 4H] x Wx; reused as dz in the backward pass
  final INDArray xm;      // [Tn, H] x Wmx
  final INDArray mh;      // [Tn, H] h_{t-1} Wmh
  final INDArray m;       // [Tn, H] multiplicative state
  final INDArray gates;   // [Tn, 4H] m Wh, then the activations i, f, o, u
  final INDArray c;       // [(T+1)n, H]
  final INDArray h;       // [(T+1)n, H]
  final INDArray tanhC;   // [Tn, H]
  final INDArray logits;  // [Tn, 256], then dlogits
  final ByteBuffer xB;
  final ByteBuffer xwB;
  final ByteBuffer xmB;
  final ByteBuffer mhB;
  final ByteBuffer mB;
  final ByteBuffer gatesB;
  final ByteBuffer cB;
  final ByteBuffer hB;
  final ByteBuffer tanhCB;
  final ByteBuffer logitsB;
  final INDArray[] hBlock;    // T + 1 views [n, H]
  final INDArray[] mhBlock;
  final INDArray[] mBlock;
  final INDArray[] gatesBlock;
  final INDArray hPrevAll;    // h blocks 0..T-1 as one [Tn, H] view
  final INDArray hOutAll;     // h blocks 1..T as one [Tn, H] view

  private Backward backward;

  /** The backward pass's buffers. */
  static final class Backward {
    final INDArray dhOut;   // [Tn, H] gradient of the loss on each h
    final INDArray dxm;     // [Tn, H] dm, then d(x Wmx)
    final INDArray dmh;     // [Tn, H] d(h Wmh)
    final INDArray dhCarry; // [n, H]
    final INDArray dcCarry; // [n, H]
    final INDArray dx;      // [Tn, E]
    final ByteBuffer dhOutB;
    final ByteBuffer dxmB;
    final ByteBuffer dmhB;
    final ByteBuffer dhCarryB;
    final ByteBuffer dcCarryB;
    final ByteBuffer dxB;
    final INDArray[] dzBlock;
    final INDArray[] dxmBlock;
    final INDArray[] dmhBlock;

    private Backward(SequenceBuffers s) {
      long tn = (long) s.rows * s.steps;
      dhOut = alloc(tn, s.hidden);
      dxm = alloc(tn, s.hidden);
      dmh = alloc(tn, s.hidden);
      dhCarry = alloc(s.rows, s.hidden);
      dcCarry = alloc(s.rows, s.hidden);
      dx = alloc(tn, s.embedding);
      dhOutB = Lanes.bytes(dhOut);
      dxmB = Lanes.bytes(dxm);
      dmhB = Lanes.bytes(dmh);
      dhCarryB = Lanes.bytes(dhCarry);
      dcCarryB = Lanes.bytes(dcCarry);
      dxB = Lanes.bytes(dx);
      dzBlock = s.blocks(s.xw, s.steps);
      dxmBlock = s.blocks(dxm, s.steps);
      dmhBlock = s.blocks(dmh, s.steps);
    }
  }

  SequenceBuffers(int rows, int steps, int hidden, int embedding) {
    if (rows < 1 || steps < 1) {
      throw new IllegalArgumentException("a chunk needs >= 1 row and >= 1 step, got " + rows + " x " + steps);
    }
    long largest = (long) (steps + 1) * rows * Math.max(4L * hidden, MlstmSpec.VOCABULARY) * 4;
    if (largest > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a chunk of " + rows + " rows x " + steps + " steps at hiddenSize " + hidden
          + " needs activation buffers over 2 GB (" + largest + " bytes); use fewer rows or shorter chunks");
    }
    this.rows = rows;
    this.steps = steps;
    this.hidden = hidden;
    this.embedding = embedding;
    int tn = rows * steps;
    bytes = new int[tn];
    targets = new int[tn];
    mask = new boolean[tn];
    x = alloc(tn, embedding);
    xw = alloc(tn, 4L * hidden);
    xm = alloc(tn, hidden);
    mh = alloc(tn, hidden);
    m = alloc(tn, hidden);
    gates = alloc(tn, 4L * hidden);
    c = alloc((long) tn + rows, hidden);
    h = alloc((long) tn + rows, hidden);
    tanhC = alloc(tn, hidden);
    logits = alloc(tn, MlstmSpec.VOCABULARY);
    xB = Lanes.bytes(x);
    xwB = Lanes.bytes(xw);
    xmB = Lanes.bytes(xm);
    mhB = Lanes.bytes(mh);
    mB = Lanes.bytes(m);
    gatesB = Lanes.bytes(gates);
    cB = Lanes.bytes(c);
    hB = Lanes.bytes(h);
    tanhCB = Lanes.bytes(tanhC);
    logitsB = Lanes.bytes(logits);
    hBlock = blocks(h, steps + 1);
    mhBlock = blocks(mh, steps);
    mBlock = blocks(m, steps);
    gatesBlock = blocks(gates, steps);
    hPrevAll = h.get(NDArrayIndex.interval(0, tn), NDArrayIndex.all());
    hOutAll = h.get(NDArrayIndex.interval(rows, tn + rows), NDArrayIndex.all());
  }

  boolean fits(int rows, int steps) {
    return this.rows == rows && this.steps == steps;
  }

  Backward backward() {
    if (backward == null) {
      backward = new Backward(this);
    }
    return backward;
  }

  /** Offset (in floats) of step t's block in an [Tn, width] buffer. */
  int blockAt(int t, int width) {
    return t * rows * width;
  }

  /** Positions holding data. */
  int validPositions() {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  private INDArray[] blocks(INDArray a, int count) {
    INDArray[] out = new INDArray[count];
    for (int t = 0; t < count; t++) {
      out[t] = a.get(NDArrayIndex.interval((long) t * rows, (long) (t + 1) * rows), NDArrayIndex.all());
    }
    return out;
  }

  private static INDArray alloc(long rows, long cols) {
    return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
  }
}
