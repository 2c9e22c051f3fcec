package org.neurolake.pipelines.spikes;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.neurolake.pipelines.quarantine.BadInputException;

/**
 * Walks a MAT v5 file's declarations, without materialising any array, before the MAT library
 * reads it: the 128-byte header, then each element's tag and, for every array (miMATRIX, also
 * nested in structs and cells, also inside miCOMPRESSED elements, which are inflated as a stream),
 * its array flags and dimensions. The library allocates from those declarations (a struct array's
 * element table before its elements), so a file of a few KB declaring a 1 x 10^9 struct array
 * would make it allocate gigabytes; here every declaration is checked against the bytes that can
 * hold it and the whole file against the reading task's memory budget.
 *
 * <p>Layout reference: MathWorks, "MAT-File Format" (matfile_format.pdf), chapter 1.
 */
final class Mat5Preflight {
  private Mat5Preflight() {}

  static final int HEADER_BYTES = 128;
  private static final int MI_INT8 = 1;
  private static final int MI_INT32 = 5;
  private static final int MI_UINT32 = 6;
  private static final int MI_MATRIX = 14;
  private static final int MI_COMPRESSED = 15;
  private static final int MX_CELL = 1;
  private static final int MX_STRUCT = 2;
  private static final int MX_OBJECT = 3;
  private static final int MX_CHAR = 4;
  private static final int MX_DOUBLE = 6;
  private static final int MX_UINT64 = 15;
  /** Deeper nesting of cells and structs is refused (the walk, like the library, recurses). */
  static final int MAX_DEPTH = 32;
  /** What the library keeps per array besides its data (objects, dimension and name arrays). */
  static final int BYTES_PER_ARRAY = 256;

  /** What the library will hold once it has read the file: its decoded elements and their arrays. */
  record Declared(long decodedBytes, long arrays) {
    long bytesInMemory() {
      return decodedBytes + arrays * BYTES_PER_ARRAY;
    }
  }

  /**
   * Checks the file read from {@code in}, {@code fileBytes} long; throws a {@link BadInputException}
   * naming {@code fileName} at the first declaration that cannot be right or does not fit
   * {@code limits}' memory budget.
   */
  static Declared check(String fileName, long fileBytes, InputStream in, RecordingLimits limits) throws IOException {
    long budget = limits.memoryBudget();
    byte[] header = new byte[HEADER_BYTES];
    if (in.readNBytes(header, 0, HEADER_BYTES) < HEADER_BYTES) {
      throw bad(fileName, "is not a readable MAT v5 file: shorter than the 128-byte header");
    }
    ByteOrder order;
    if (header[126] == 'I' && header[127] == 'M') {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (header[126] == 'M' && header[127] == 'I') {
      order = ByteOrder.BIG_ENDIAN;
    } else {
      throw bad(fileName, "is not a readable MAT v5 file: no endian indicator at bytes 126-127 (header starts '"
          + printable(header, 24) + "')");
    }
    Walk top = new Walk(fileName, in, order, budget);
    top.position = HEADER_BYTES;
    long decoded = HEADER_BYTES;
    long arrays = 0;
    while (top.position < fileBytes) {
      if (fileBytes - top.position < 8) {
        throw bad(fileName, "is truncated: " + (fileBytes - top.position) + " bytes after the last element");
      }
      long at = top.position;
      Tag tag = top.tag();
      long left = fileBytes - top.position;
      if (tag.bytes > left) {
        throw bad(fileName, "is truncated: the element at byte " + at + " declares " + tag.bytes
            + " bytes, the file has " + left + " more");
      }
      if (tag.type == MI_COMPRESSED) {
        BoundedStream raw = new BoundedStream(in, tag.bytes);
        Inflater inflater = new Inflater();
        try {
          Walk inner = new Walk(fileName, new InflaterInputStream(raw, inflater, 8192), order, budget - decoded);
          Tag matrix = inner.tag();
          decoded += 8 + matrix.bytes;
          if (decoded > budget) {
            throw tooBig(fileName, at, decoded, budget);
          }
          if (matrix.type == MI_MATRIX) {
            inner.matrix(matrix.bytes, "the variable at byte " + at, 0);
          }
          arrays += inner.arrays;
        } finally {
          inflater.end();
        }
        raw.skipRest();
        top.position += tag.bytes;
      } else {
        decoded += 8 + tag.bytes;
        if (decoded > budget) {
          throw tooBig(fileName, at, decoded, budget);
        }
        if (tag.type == MI_MATRIX) {
          long before = top.arrays;
          top.matrix(tag.bytes, "the variable at byte " + at, 0);
          arrays += top.arrays - before;
        } else {
          top.skip(tag.bytes);
        }
        top.skip(Math.min(padding(tag.bytes), fileBytes - top.position));
      }
      Declared sofar = new Declared(decoded, arrays);
      if (sofar.bytesInMemory() > budget) {
        throw tooBig(fileName, at, sofar.bytesInMemory(), budget);
      }
    }
    return new Declared(decoded, arrays);
  }

  private static BadInputException tooBig(String fileName, long at, long bytes, long budget) {
    return bad(fileName, "declares " + bytes + " bytes of arrays up to the element at byte " + at
        + ", more than the reading task's budget of " + budget + " bytes (see --max-recording-memory)");
  }

  private static BadInputException bad(String fileName, String what) {
    return new BadInputException(fileName + " " + what);
  }

  private static long padding(long bytes) {
    return (8 - (bytes & 7)) & 7;
  }

  private static String printable(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(n, b.length); i++) {
      s.append(b[i] >= 32 && b[i] < 127 ? (char) b[i] : '.');
    }
    return s.toString();
  }

  /** A data element's tag; small elements (data in the tag's second word) have their 4 data bytes read. */
  private record Tag(int type, long bytes, byte[] small) {}

  /** One pass over a stream of elements, counting the arrays and the bytes consumed. */
  private static final class Walk {
    private final String fileName;
    private final InputStream in;
    private final ByteOrder order;
    private final long budget;
    private final byte[] word = new byte[8];
    long position;
    long arrays;

    Walk(String fileName, InputStream in, ByteOrder order, long budget) {
      this.fileName = fileName;
      this.in = in;
      this.order = order;
      this.budget = budget;
    }

    Tag tag() throws IOException {
      read(word, 8);
      ByteBuffer b = ByteBuffer.wrap(word).order(order);
      int first = b.getInt(0);
      int smallBytes = order == ByteOrder.LITTLE_ENDIAN ? first >>> 16 : first & 0xffff;
      if (smallBytes != 0) {
        int type = order == ByteOrder.LITTLE_ENDIAN ? first & 0xffff : first >>> 16;
        if (smallBytes > 4) {
          throw bad(fileName, "is corrupt: a small data element of " + smallBytes + " bytes at byte " + (position - 8));
        }
        return new Tag(type, smallBytes, Arrays.copyOfRange(word, 4, 8));
      }
      return new Tag(first, b.getInt(4) & 0xffffffffL, null);
    }

    /** A sub-element's payload (at most {@code max} bytes, padded to 8 unless small). */
    byte[] payload(Tag t, long max, String what) throws IOException {
      if (t.small != null) {
        return Arrays.copyOf(t.small, (int) t.bytes);
      }
      if (t.bytes + padding(t.bytes) > max) {
        throw bad(fileName, "is corrupt: " + what + " declares " + t.bytes + " bytes, its array has " + max);
      }
      byte[] b = new byte[(int) t.bytes];
      read(b, b.length);
      skip(padding(t.bytes));
      return b;
    }

    /**
     * An array of {@code bytes} bytes after its tag: flags, dimensions, name, then for structs and
     * cells their elements, recursively; numeric, char and other data are skipped.
     */
    void matrix(long bytes, String where, int depth) throws IOException {
      arrays++;
      if (bytes == 0) {
        return; // an empty array written as a bare tag
      }
      if (depth > MAX_DEPTH) {
        throw bad(fileName, "is corrupt or hostile: " + where + " nests arrays deeper than " + MAX_DEPTH);
      }
      long end = position + bytes;
      Tag flagsTag = tag();
      if (flagsTag.type != MI_UINT32 || flagsTag.bytes != 8) {
        throw bad(fileName, "is corrupt: " + where + " has no array flags (type " + flagsTag.type + ", "
            + flagsTag.bytes + " bytes)");
      }
      ByteBuffer flags = ByteBuffer.wrap(payload(flagsTag, end - position, where + "'s flags")).order(order);
      int mxClass = flags.getInt(0) & 0xff;
      Tag dimsTag = tag();
      if (dimsTag.type != MI_INT32 || dimsTag.bytes < 8 || dimsTag.bytes % 4 != 0) {
        throw bad(fileName, "is corrupt: " + where + " has no dimensions (type " + dimsTag.type + ", "
            + dimsTag.bytes + " bytes)");
      }
      ByteBuffer d = ByteBuffer.wrap(payload(dimsTag, end - position, where + "'s dimensions")).order(order);
      long[] dims = new long[(int) (dimsTag.bytes / 4)];
      long elements = 1;
      for (int i = 0; i < dims.length; i++) {
        dims[i] = d.getInt(4 * i);
        if (dims[i] < 0) {
          throw bad(fileName, "is corrupt: " + where + " has a negative dimension " + dims[i]);
        }
        elements = elements == 0 || dims[i] == 0 ? 0
            : elements > Long.MAX_VALUE / dims[i] ? Long.MAX_VALUE : elements * dims[i];
      }
      Tag nameTag = tag();
      String name = new String(payload(nameTag, end - position, where + "'s name"), StandardCharsets.UTF_8);
      String shape = shape(dims);
      String what = (name.isEmpty() ? where : "'" + name + "'") + " (" + className(mxClass) + " " + shape + ")";
      if (mxClass == MX_STRUCT || mxClass == MX_OBJECT) {
        if (mxClass == MX_OBJECT) {
          payload(tag(), end - position, what + "'s class name");
        }
        Tag lengthTag = tag();
        byte[] lengthBytes = payload(lengthTag, end - position, what + "'s field name length");
        if (lengthTag.type != MI_INT32 || lengthBytes.length != 4) {
          throw bad(fileName, "is corrupt: " + what + " has no field name length");
        }
        int nameLength = ByteBuffer.wrap(lengthBytes).order(order).getInt();
        Tag namesTag = tag();
        if (namesTag.type != MI_INT8 || nameLength < 1 || namesTag.bytes % nameLength != 0) {
          throw bad(fileName, "is corrupt: " + what + "'s field names (" + namesTag.bytes + " bytes) are not a"
              + " multiple of their length " + nameLength);
        }
        long fields = namesTag.bytes / nameLength;
        payload(namesTag, end - position, what + "'s field names");
        elements(fields == 0 ? 0 : elements > Long.MAX_VALUE / fields ? Long.MAX_VALUE : elements * fields,
            end, what, fields + " fields", depth);
      } else if (mxClass == MX_CELL) {
        elements(elements, end, what, "cells", depth);
      } else {
        // Numeric (stored as any type, so at least a byte per element), char, logical: the data is
        // read into buffers of the declared byte counts, which lie within this array.
        if ((mxClass == MX_CHAR || mxClass >= MX_DOUBLE && mxClass <= MX_UINT64) && elements > end - position) {
          throw bad(fileName, "is corrupt or hostile: " + what + " declares " + elements + " elements in "
              + (end - position) + " bytes");
        }
        skip(end - position);
      }
      if (position != end) {
        throw bad(fileName, "is corrupt: " + what + " overruns its " + bytes + " bytes");
      }
    }

    /** The {@code n} sub-arrays of a struct or cell array, each at least a tag. */
    private void elements(long n, long end, String what, String per, int depth) throws IOException {
      if (n > (end - position) / 8) {
        throw bad(fileName, "is corrupt or hostile: " + what + " declares " + (n == Long.MAX_VALUE ? "more than 2^63"
            : Long.toString(n)) + " sub-arrays (" + per + ") but holds " + (end - position) + " bytes, room for at"
            + " most " + (end - position) / 8);
      }
      for (long i = 0; i < n; i++) {
        Tag t = tag();
        if (t.type != MI_MATRIX || t.bytes > end - position) {
          throw bad(fileName, "is corrupt: element " + (i + 1) + " of " + what + " is not an array within its"
              + " parent (type " + t.type + ", " + t.bytes + " bytes, " + (end - position) + " left)");
        }
        matrix(t.bytes, "element " + (i + 1) + " of " + what, depth + 1);
        if (arrays * (long) BYTES_PER_ARRAY > budget) {
          throw bad(fileName, "declares more than " + arrays + " arrays (in " + what + "), more than the reading"
              + " task's budget of " + budget + " bytes holds (see --max-recording-memory)");
        }
      }
    }

    void skip(long n) throws IOException {
      long left = n;
      try {
        while (left > 0) {
          long s = in.skip(left);
          if (s <= 0) {
            if (in.read() < 0) {
              throw truncated();
            }
            s = 1;
          }
          left -= s;
        }
      } catch (ZipException e) {
        throw doesNotInflate(e);
      } catch (EOFException e) {
        throw truncated();
      }
      position += n;
    }

    private void read(byte[] b, int n) throws IOException {
      int got;
      try {
        got = in.readNBytes(b, 0, n);
      } catch (ZipException e) {
        throw doesNotInflate(e);
      } catch (EOFException e) {
        got = -1; // a compressed element cut short
      }
      if (got < n) {
        throw truncated();
      }
      position += n;
    }

    private BadInputException doesNotInflate(ZipException e) {
      return bad(fileName, "is corrupt: a compressed element does not inflate (" + e.getMessage() + ")");
    }

    private BadInputException truncated() {
      return bad(fileName, "is truncated or corrupt: it ends inside an element declared to go on (at byte "
          + position + " of its element stream)");
    }
  }

  private static String shape(long[] dims) {
    StringBuilder s = new StringBuilder();
    for (long d : dims) {
      s.append(s.length() == 0 ? "" : " x ").append(d);
    }
    return s.toString();
  }

  private static String className(int mxClass) {
    return switch (mxClass) {
      case MX_CELL -> "cell array";
      case MX_STRUCT -> "struct array";
      case MX_OBJECT -> "object array";
      case MX_CHAR -> "char array";
      default -> "class-" + mxClass + " array";
    };
  }

  /** At most {@code limit} bytes of {@code in}: one compressed element. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    /** Skips what the walk did not inflate, so the next element starts where it should. */
    void skipRest() throws IOException {
      while (left > 0) {
        long s = in.skip(left);
        if (s <= 0) {
          if (in.read() < 0) {
            return;
          }
          s = 1;
        }
        left -= s;
      }
    }
  }
}
