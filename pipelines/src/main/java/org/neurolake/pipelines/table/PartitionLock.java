package org.neurolake.pipelines.table;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The exclusive right to commit one partition: the file {@code .<partition>.lock} beside it, made
 * with the file system's atomic {@code create(overwrite=false)} (HDFS: one creator wins, the others
 * get {@link FileAlreadyExistsException}; the local file system: the JDK's {@code CREATE_NEW}),
 * holding its owner ({@code pid@host/uuid}) and the end of its lease. Object stores without an
 * atomic exclusive create (S3) do not give this guarantee.
 *
 * <p>A waiter polls until the lock is released or its lease ends; an expired lock (its owner died
 * or stalled) is broken by renaming it aside, and the breaker checks that what it moved is the
 * expired lock it saw. A holder checks its lease before each step that changes the partition
 * ({@link #checkHeld}), so a holder whose lease ran out never overlaps the one that broke it.
 */
final class PartitionLock implements AutoCloseable {
  /**
   * @param lease how long a lock is valid after it is taken; a commit (renames only) takes well under it
   * @param maxWait how long to wait for another committer's lock before failing
   * @param poll the pause between looks at a held lock
   */
  record Settings(Duration lease, Duration maxWait, Duration poll) {
    static final Settings DEFAULT = new Settings(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMillis(200));

    Settings {
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(maxWait, "maxWait");
      Objects.requireNonNull(poll, "poll");
      if (lease.isNegative() || lease.isZero() || maxWait.isNegative() || poll.isNegative()) {
        throw new IllegalArgumentException("lock lease must be > 0, wait and poll >= 0: " + this);
      }
    }
  }

  /** What a lock file says. */
  private record Holder(String owner, long expiresMillis) {
    static Holder parse(String text, long fallbackExpiry) {
      String owner = null;
      Long expires = null;
      for (String line : text.split("\n")) {
        if (line.startsWith("owner=")) {
          owner = line.substring(6);
        } else if (line.startsWith("expires=")) {
          try {
            expires = Long.parseLong(line.substring(8).trim());
          } catch (NumberFormatException e) {
            expires = null;
          }
        }
      }
      // A lock being written (or cut short by a crash) counts as held until its file is a lease old.
      return new Holder(owner == null ? "an unknown owner" : owner, expires == null ? fallbackExpiry : expires);
    }

    String text() {
      return "owner=" + owner + "\nexpires=" + expiresMillis + "\n";
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final Holder mine;
  private boolean released;

  private PartitionLock(FileSystem fs, Path file, Holder mine) {
    this.fs = fs;
    this.file = file;
    this.mine = mine;
  }

  /** The lock file of the partition at {@code partition}. */
  static Path lockFile(Path partition) {
    return new Path(partition.getParent(), "." + partition.getName() + ".lock");
  }

  /**
   * Takes the lock of {@code partition}, waiting up to {@code settings.maxWait()} for another holder.
   *
   * @throws ConcurrentCommitException when another committer held it throughout the wait
   */
  static PartitionLock acquire(FileSystem fs, Path partition, Settings settings) throws IOException {
    Path file = lockFile(partition);
    String owner = ownerName();
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    while (true) {
      Holder mine = new Holder(owner, System.currentTimeMillis() + settings.lease().toMillis());
      if (createExclusive(fs, file, mine.text().getBytes(StandardCharsets.UTF_8))) {
        return new PartitionLock(fs, file, mine);
      }
      Holder other = read(fs, file, settings.lease());
      if (other == null) {
        continue; // released meanwhile
      }
      if (other.expiresMillis() < System.currentTimeMillis()) {
        breakExpired(fs, file, other);
        continue;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new ConcurrentCommitException("partition " + partition + " is being committed by " + other.owner()
            + " (its lock " + file + " is held until " + Instant.ofEpochMilli(other.expiresMillis()) + "); waited "
            + settings.maxWait().toSeconds() + " s. Rerun when that job is done");
      }
      sleep(settings.poll());
    }
  }

  /** Throws unless this lock is still ours and its lease has not ended: call before changing the partition. */
  void checkHeld() throws IOException {
    if (System.currentTimeMillis() >= mine.expiresMillis()) {
      throw new ConcurrentCommitException("the commit lock " + file + " expired (lease until "
          + Instant.ofEpochMilli(mine.expiresMillis()) + ") before the commit finished; nothing was changed after that");
    }
    Holder now = read(fs, file, Duration.ZERO);
    if (now == null || !now.owner().equals(mine.owner())) {
      throw new ConcurrentCommitException("the commit lock " + file + " was taken over by "
          + (now == null ? "nobody (deleted)" : now.owner()) + "; nothing was changed after that");
    }
  }

  /** Releases the lock if it is still ours. */
  @Override
  public void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    Holder now = read(fs, file, Duration.ZERO);
    if (now != null && now.owner().equals(mine.owner())) {
      fs.delete(file, false);
    }
  }

  /**
   * Creates {@code file} holding {@code bytes} unless it exists; false when it does. Hadoop's local
   * file system checks and creates in two steps, so there the JDK's atomic CREATE_NEW is used.
   */
  private static boolean createExclusive(FileSystem fs, Path file, byte[] bytes) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      try {
        Files.write(Paths.get(fs.makeQualified(file).toUri()), bytes, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static void breakExpired(FileSystem fs, Path file, Holder expired) throws IOException {
    Path aside = new Path(file.getParent(), file.getName() + ".expired-" + UUID.randomUUID());
    if (!fs.rename(file, aside)) {
      return; // someone else broke or released it first
    }
    Holder moved = read(fs, aside, Duration.ZERO);
    fs.delete(aside, false);
    if (moved == null || !moved.owner().equals(expired.owner())) {
      throw new ConcurrentCommitException("breaking the expired commit lock " + file + " of " + expired.owner()
          + " raced with another committer, whose lock was moved aside instead; rerun the job");
    }
  }

  /** The lock's holder, or null when there is no lock file. */
  private static Holder read(FileSystem fs, Path file, Duration lease) throws IOException {
    try (InputStream in = fs.open(file)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      long fallback = fs.getFileStatus(file).getModificationTime() + lease.toMillis();
      return Holder.parse(bytes.toString(StandardCharsets.UTF_8), fallback);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  private static String ownerName() {
    return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a commit lock", e);
    }
  }

}
