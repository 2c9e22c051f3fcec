package org.neurolake.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on any Hadoop file system, one directory each: {@code ckpt-000012/} holding
 * {@code parameters.f32} and {@code optimizer.f32} (little-endian floats), {@code state.json},
 * {@code model.json}, {@code trainer.json}, and {@code MANIFEST.json} (size and SHA-256 of each).
 * A checkpoint is written under a hidden temporary name and renamed into place, so a directory
 * named {@code ckpt-*} is always complete; the manifest is then checked on load, to catch storage
 * corruption and truncation.
 */
public final class HadoopCheckpointStore implements CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopCheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{6,})");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String MANIFEST = "MANIFEST.json";

  private final Configuration conf;
  private final Path dir;
  private final java.util.function.IntConsumer midWrite;

  public HadoopCheckpointStore(Configuration conf, Path dir) {
    this(conf, dir, nextRound -> { });
  }

  /**
   * @param midWrite called with the checkpoint's next round once its first file is in the temporary
   *     directory (the fault-injection tests hang the writer there to kill it mid-checkpoint)
   */
  public HadoopCheckpointStore(Configuration conf, Path dir, java.util.function.IntConsumer midWrite) {
    this.conf = conf;
    this.dir = dir;
    this.midWrite = midWrite;
  }

  private FileSystem fs() throws IOException {
    return dir.getFileSystem(conf);
  }

  static String name(int round) {
    return String.format("ckpt-%06d", round);
  }

  @Override
  public void commit(Checkpoint c, int keep) {
    try {
      FileSystem fs = fs();
      fs.mkdirs(dir);
      Path tmp = new Path(dir, "." + name(c.nextRound()) + ".tmp-" + UUID.randomUUID());
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("parameters.f32", floats(c.parameters()));
      files.put("optimizer.f32", floats(c.optimizerState()));
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("next_round", c.nextRound());
      state.put("updates", c.updates());
      state.put("seed", c.seed());
      state.put("data_cursor_round", c.nextRound());
      state.put("rng", Map.of("kind", "splitmix(seed, round, task)", "seed", c.seed(), "round", c.nextRound()));
      state.put("n_parameters", c.parameters().length);
      state.put("n_optimizer_state", c.optimizerState().length);
      files.put("state.json", JSON.writeValueAsBytes(state));
      files.put("model.json", c.modelSpecJson().getBytes(StandardCharsets.UTF_8));
      files.put("trainer.json", JSON.writeValueAsBytes(c.trainerConfig()));
      Map<String, Map<String, Object>> manifest = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        write(fs, new Path(tmp, f.getKey()), f.getValue());
        manifest.put(f.getKey(), Map.of("bytes", f.getValue().length, "sha256", sha256(f.getValue())));
        if (manifest.size() == 1) {
          midWrite.accept(c.nextRound());
        }
      }
      write(fs, new Path(tmp, MANIFEST), JSON.writeValueAsBytes(manifest));
      Path target = new Path(dir, name(c.nextRound()));
      if (fs.exists(target)) {
        fs.delete(target, true); // a re-run of the same round after a resume
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
      List<Integer> rounds = rounds();
      for (int i = 0; i < rounds.size() - keep; i++) {
        fs.delete(new Path(dir, name(rounds.get(i))), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint of round " + c.nextRound() + " to " + dir + " failed", e);
    }
  }

  @Override
  public List<Integer> rounds() {
    try {
      FileSystem fs = fs();
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<Integer> out = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(s.getPath().getName());
        if (s.isDirectory() && m.matches()) {
          out.add(Integer.parseInt(m.group(1)));
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("listing checkpoints in " + dir + " failed", e);
    }
  }

  @Override
  public Optional<Checkpoint> latestValid() {
    List<Integer> rounds = rounds();
    for (int i = rounds.size() - 1; i >= 0; i--) {
      Path p = new Path(dir, name(rounds.get(i)));
      try {
        return Optional.of(load(p));
      } catch (IOException | RuntimeException e) {
        LOG.warn("checkpoint {} is unusable and is skipped: {}", p, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Loads and verifies the checkpoint of {@code round} (its next round), whether or not it is the newest. */
  public Checkpoint load(int round) throws IOException {
    return load(new Path(dir, name(round)));
  }

  /** Loads and verifies one checkpoint directory. */
  Checkpoint load(Path p) throws IOException {
    FileSystem fs = fs();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> manifest = JSON.readValue(read(fs, new Path(p, MANIFEST)), Map.class);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String f : List.of("parameters.f32", "optimizer.f32", "state.json", "model.json", "trainer.json")) {
      Map<String, Object> entry = manifest.get(f);
      if (entry == null) {
        throw new IOException(f + " is not in the manifest");
      }
      byte[] bytes = read(fs, new Path(p, f));
      if (bytes.length != ((Number) entry.get("bytes")).longValue()) {
        throw new IOException(f + " has " + bytes.length + " bytes, the manifest says " + entry.get("bytes")
            + " (truncated?)");
      }
      if (!sha256(bytes).equals(entry.get("sha256"))) {
        throw new IOException(f + " does not match its checksum (corrupt)");
      }
      files.put(f, bytes);
    }
    Map<?, ?> state = JSON.readValue(files.get("state.json"), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, String> trainer = JSON.readValue(files.get("trainer.json"), Map.class);
    return new Checkpoint(((Number) state.get("next_round")).intValue(), ((Number) state.get("updates")).longValue(),
        ((Number) state.get("seed")).longValue(), toFloats(files.get("parameters.f32")),
        toFloats(files.get("optimizer.f32")), new String(files.get("model.json"), StandardCharsets.UTF_8), trainer);
  }

  private static void write(FileSystem fs, Path p, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(p, false)) {
      out.write(bytes);
    }
  }

  private static byte[] read(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  static float[] toFloats(byte[] bytes) {
    if (bytes.length % 4 != 0) {
      throw new IllegalArgumentException("a float file of " + bytes.length + " bytes");
    }
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
