package org.neurolake.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerMaster;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.StorageLevel;
import scala.reflect.ClassTag;

/**
 * A task's result kept in Spark's block manager in the sharded mode: {@link #store} (in the round
 * task) writes one block per slice, each the slice of the parameters and of the optimizer state
 * as little-endian floats after two lengths; {@link #read} (in a slice task) reads one slice of a
 * result, local or fetched from the executor that holds it. A slice task keeps its averaged slice
 * as one more block of the same form ({@link #put}), which the driver reads. The driver asks
 * whether blocks still exist ({@link #located}) and removes a round's blocks ({@link #removeRounds}).
 *
 * <p>Blocks are {@code MEMORY_AND_DISK}: an executor short of storage memory spills them rather
 * than dropping them; and they are reported to the driver's block manager master, which is how
 * another executor finds them.
 */
final class ResultBlocks {
  private static final ClassTag<byte[]> BYTES = scala.reflect.ClassTag$.MODULE$.apply(byte[].class);
  /** Bytes before a block's floats: the two lengths. */
  private static final int HEADER_BYTES = 8;

  private ResultBlocks() {}

  /**
   * One slice of a stored result: read-only little-endian views into the block's bytes (no copy;
   * {@link DoubleMean#add(FloatBuffer)} sums them through a small buffer).
   */
  record Slice(FloatBuffer parameters, FloatBuffer state) {}

  /**
   * Stores {@code parameters} (read from its position 0; typically a view of the model's own
   * buffer, {@link org.neurolake.model.api.TrainableModel#parameterBuffer()}) and {@code state} as
   * {@code where}'s slices in this executor's block manager.
   */
  static void store(StoredResult where, SliceLayout layout, FloatBuffer parameters, float[] state) {
    for (int s = 0; s < layout.count(); s++) {
      // Straight from the vectors into the block: no copy of the slice, or of the model's vector, first.
      put(where.blockId(s), encode(parameters, layout.parameters().from(s), layout.parameters().size(s), state,
          layout.state().from(s), layout.state().size(s)));
    }
  }

  /** Keeps {@code block} (an encoded slice) as {@code id} in this executor's block manager. */
  static void put(BlockId id, byte[] block) {
    if (!SparkEnv.get().blockManager().putSingle(id, block, StorageLevel.MEMORY_AND_DISK(), true, BYTES)) {
      throw new IllegalStateException("the block manager refused block " + id.name());
    }
  }

  /** Slice {@code slice} of the result {@code where}; empty when its block is gone (e.g. its executor was lost). */
  static Optional<Slice> read(StoredResult where, int slice) {
    return read(where.blockId(slice));
  }

  /**
   * The encoded slice kept as {@code id}, local or fetched from the block manager that holds it;
   * empty when the block is gone.
   */
  static Optional<Slice> read(BlockId id) {
    scala.Option<BlockResult> got = SparkEnv.get().blockManager().get(id, BYTES);
    if (got.isEmpty()) {
      return Optional.empty();
    }
    scala.collection.Iterator<Object> values = got.get().data();
    byte[] block = (byte[]) values.next();
    while (values.hasNext()) { // consuming the iterator releases the block's read lock
      values.next();
    }
    return Optional.of(decode(block));
  }

  /** Removes {@code where}'s blocks from this executor's block manager (and the master's records). */
  static void drop(StoredResult where) {
    for (int s = 0; s < where.slices(); s++) {
      drop(where.blockId(s));
    }
  }

  /** Removes block {@code id} from this executor's block manager (and the master's records). */
  static void drop(BlockId id) {
    SparkEnv.get().blockManager().removeBlock(id, true);
  }

  /** On the driver: true when every one of {@code slices} of {@code where} is held by some block manager. */
  static boolean located(StoredResult where, java.util.Collection<Integer> slices) {
    BlockManagerMaster master = SparkEnv.get().blockManager().master();
    for (int s : slices) {
      if (master.getLocations(where.blockId(s)).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * On the driver: removes every block of run {@code runId} from rounds up to {@code lastRound},
   * wherever it is (accepted results, and stragglers' that finished before their cancellation);
   * returns how many.
   */
  static int removeRounds(String runId, int lastRound) {
    BlockManagerMaster master = SparkEnv.get().blockManager().master();
    scala.collection.Iterator<BlockId> ids = matching(master, runId).iterator();
    List<BlockId> doomed = new ArrayList<>();
    while (ids.hasNext()) {
      BlockId id = ids.next();
      if (roundOf(runId, id.name()) <= lastRound) {
        doomed.add(id);
      }
    }
    doomed.forEach(master::removeBlock);
    return doomed.size();
  }

  /**
   * The master's blocks of run {@code runId}. Spark's master lists them on a pool thread while its
   * endpoint may be updating a block manager's list (a removal just reported): the listing can
   * fail with a ConcurrentModificationException, and is then taken again (up to 10 times).
   */
  private static scala.collection.Seq<BlockId> matching(BlockManagerMaster master, String runId) {
    for (int attempt = 1; ; attempt++) {
      try {
        return master.getMatchingBlockIds(new OfRun(runId), false);
      } catch (Exception e) { // a SparkException from the ask, undeclared to Java
        Throwable c = e;
        while (c != null && !(c instanceof java.util.ConcurrentModificationException)) {
          c = c.getCause();
        }
        if (c == null || attempt >= 10) {
          throw e instanceof RuntimeException re ? re
              : new IllegalStateException("cannot list the blocks of run " + runId + ": " + e, e);
        }
        try {
          Thread.sleep(10L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while listing the blocks of run " + runId, ie);
        }
      }
    }
  }

  /** The round in a block name of run {@code runId} (see {@link StoredResult#blockId}). */
  private static int roundOf(String runId, String name) {
    String rest = name.substring(StoredResult.runPrefix(runId).length() + 1);
    return Integer.parseInt(rest.substring(0, rest.indexOf('~')));
  }

  /** The block-id filter the master applies: the blocks of one run. */
  private static final class OfRun extends scala.runtime.AbstractFunction1<BlockId, Object>
      implements java.io.Serializable {
    private final String prefix;

    OfRun(String runId) {
      this.prefix = StoredResult.runPrefix(runId);
    }

    @Override
    public Object apply(BlockId id) {
      return id.name().startsWith(prefix);
    }
  }

  static byte[] encode(float[] parameters, float[] state) {
    return encode(FloatBuffer.wrap(parameters), 0, parameters.length, state, 0, state.length);
  }

  /**
   * The block of {@code parameters[pFrom, pFrom + pLength)} (absolute indices; the buffer's position
   * is not used or moved) and {@code state[sFrom, sFrom + sLength)}.
   */
  static byte[] encode(FloatBuffer parameters, int pFrom, int pLength, float[] state, int sFrom, int sLength) {
    byte[] block = allocate(pLength, sLength);
    FloatBuffer out = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).position(HEADER_BYTES).asFloatBuffer();
    out.put(parameters.duplicate().clear().position(pFrom).limit(pFrom + pLength)).put(state, sFrom, sLength);
    return block;
  }

  /** A block for {@code np} parameters and {@code ns} state values, its lengths written, its values zero. */
  static byte[] allocate(int np, int ns) {
    long bytes = HEADER_BYTES + 4L * (np + ns);
    if (np < 0 || ns < 0 || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a result block of " + np + " + " + ns + " floats");
    }
    byte[] block = new byte[(int) bytes];
    ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putInt(np).putInt(ns);
    return block;
  }

  /** The size in bytes of the block {@code slice} was read from. */
  static long bytes(Slice slice) {
    return HEADER_BYTES + 4L * (slice.parameters().capacity() + slice.state().capacity());
  }

  /** Writable views of {@code block}'s parameters and state (a block from {@link #allocate}). */
  static Slice writable(byte[] block) {
    return views(block, false);
  }

  static Slice decode(byte[] block) {
    return views(block, true);
  }

  private static Slice views(byte[] block, boolean readOnly) {
    ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    int np = b.getInt();
    int ns = b.getInt();
    if (np < 0 || ns < 0 || block.length != HEADER_BYTES + 4L * (np + ns)) {
      throw new IllegalStateException("a result block of " + block.length + " bytes claims " + np + " + " + ns
          + " floats");
    }
    FloatBuffer all = b.asFloatBuffer();
    FloatBuffer p = all.duplicate().limit(np).slice();
    FloatBuffer s = all.duplicate().position(np).limit(np + ns).slice();
    return readOnly ? new Slice(p.asReadOnlyBuffer(), s.asReadOnlyBuffer()) : new Slice(p, s);
  }
}
