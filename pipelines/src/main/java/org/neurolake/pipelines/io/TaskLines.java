package org.neurolake.pipelines.io;

import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import scala.Tuple2;

/**
 * A task's lines from Hadoop's TextInputFormat, as (byte offset, bytes). A compressed stream that
 * breaks in the middle (e.g. a truncated gzip) does not fail the task: the iteration ends with one
 * line marked {@link Line#broken()}, carrying the error, so the caller can quarantine it and keep
 * everything read before it. The bytes are only valid until the next call (Hadoop reuses them).
 */
public final class TaskLines implements Iterator<TaskLines.Line> {
  /** One line, or the marker of a stream that broke after {@code offset}. */
  public record Line(long offset, Text text, String brokenReason) {
    public boolean broken() {
      return brokenReason != null;
    }

    public byte[] bytes() {
      return text.getBytes();
    }

    public int length() {
      return text.getLength();
    }
  }

  private final Iterator<Tuple2<LongWritable, Text>> lines;
  private long lastOffset;
  private boolean ended;
  private String broken;

  public TaskLines(Iterator<Tuple2<LongWritable, Text>> lines) {
    this.lines = lines;
  }

  @Override
  public boolean hasNext() {
    if (ended) {
      return false;
    }
    try {
      return lines.hasNext() || markEnded();
    } catch (Exception e) {
      // NewHadoopRDD rethrows the reader's IOException (undeclared, hence the catch of Exception).
      if (!(e instanceof IOException)) {
        throw e;
      }
      broken = e.toString();
      return true;
    }
  }

  private boolean markEnded() {
    ended = true;
    return false;
  }

  @Override
  public Line next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (broken != null) {
      ended = true;
      return new Line(lastOffset, null, "unreadable input, rest of file skipped: " + broken);
    }
    Tuple2<LongWritable, Text> t = lines.next();
    lastOffset = t._1().get();
    return new Line(lastOffset, t._2(), null);
  }
}
