package org.neurolake.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.pipelines.io.AtomicFiles;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * A training run's {@code run.json}, beside its checkpoints (snake_case keys, as since the first release): what was trained on what, with which
 * settings, by which build. Written once when a run starts (again, identical but for the master and
 * version, when it resumes) by {@link #write}, read by {@link #read}: the one writer and the one
 * reader. The file is replaced atomically.
 *
 * @param runId the run
 * @param family the model family that trained it ({@code train --family}); also its evaluations partition
 * @param dataset what it trained on, as the family names it (a session, sources, an examples set)
 * @param spec the model spec, as JSON with its {@code kind}
 * @param trainer the engine's options in properties form
 * @param data the family's description of the data (split, held-out neurons, sources...): read it
 *     back with {@link #data(Class)} into the family's record
 * @param sparkMaster the master the run (last) started on
 * @param codeVersion the build that wrote the record
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunRecord(String runId, String family, String dataset, ModelSpec spec, Map<String, String> trainer,
    JsonNode data, String sparkMaster, String codeVersion) {
  /** The file name beside a run's checkpoints. */
  public static final String FILE = "run.json";

  private static final ObjectMapper JSON = ModelSpecs.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public RunRecord {
    PartitionKey.requireSafe(runId);
    PartitionKey.requireSafe(family);
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(spec, "spec");
    trainer = Map.copyOf(trainer);
  }

  /** A record for a run starting now; {@code data} is the family's description record (or null). */
  public static RunRecord of(String runId, String family, String dataset, ModelSpec spec, TrainerConfig trainer,
      Object data, String sparkMaster) {
    return new RunRecord(runId, family, dataset, spec, trainer.toProperties(), data == null ? null : tree(data),
        sparkMaster, currentCodeVersion());
  }

  /** {@code data} as the JSON tree a reader gets back (numbers as they parse: a long 7 becomes an int 7). */
  private static JsonNode tree(Object data) {
    try {
      return JSON.readTree(JSON.writeValueAsString(data));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the data description " + data, e);
    }
  }

  /** The family's data description as its record type. */
  public <T> T data(Class<T> type) {
    if (data == null) {
      throw new IllegalArgumentException("run " + runId + " records no data description");
    }
    try {
      return JSON.treeToValue(data, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("run " + runId + "'s data description is not a " + type.getSimpleName()
          + ": " + e.getOriginalMessage(), e);
    }
  }

  public static Path path(Path checkpointDir) {
    return new Path(checkpointDir, FILE);
  }

  /** Writes the record to {@code <checkpointDir>/run.json}, atomically. */
  public void write(Configuration conf, Path checkpointDir) {
    AtomicFiles.write(conf, path(checkpointDir), toJson());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the run record of " + runId, e);
    }
  }

  /** The record of the run whose checkpoints are in {@code checkpointDir}. */
  public static RunRecord read(Configuration conf, Path checkpointDir) {
    Path p = path(checkpointDir);
    String json = AtomicFiles.readUtf8(conf, p).orElseThrow(() -> new IllegalArgumentException(
        "no " + FILE + " in " + checkpointDir + ": no run was started there"));
    return parse(p, json);
  }

  /** Parses a record; {@code file} names it in errors. Reads the untyped form of earlier releases too. */
  public static RunRecord parse(Path file, String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node instanceof ObjectNode o && o.has("model_spec")) {
        node = fromEarlierRelease(o);
      }
      return JSON.treeToValue(node, RunRecord.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not a run record: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  /**
   * Releases before the typed record wrote a map: run_id, model (the family), dataset, trainer,
   * model_spec (the spec as a string), spark_master, and the job's own facts at the top level
   * (LFADS: session, shape, data, held_out_neurons; mLSTM: sources, data).
   */
  private static JsonNode fromEarlierRelease(ObjectNode old) throws JsonProcessingException {
    ObjectNode rec = JSON.createObjectNode();
    rec.put("run_id", old.path("run_id").asText());
    rec.put("family", old.path("model").asText());
    rec.put("dataset", old.path("dataset").asText());
    rec.set("spec", JSON.readTree(old.path("model_spec").asText()));
    rec.set("trainer", old.path("trainer"));
    ObjectNode data = old.deepCopy();
    for (String k : new String[] {"run_id", "model", "dataset", "trainer", "model_spec", "spark_master"}) {
      data.remove(k);
    }
    if (data.size() > 0) {
      rec.set("data", data);
    }
    rec.put("spark_master", old.path("spark_master").asText(null));
    return rec;
  }

  /** The version of this build ({@code build.properties}, filled in by Maven). */
  public static String currentCodeVersion() {
    Properties p = new Properties();
    try (InputStream in = RunRecord.class.getResourceAsStream("/org/neurolake/build.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build.properties", e);
    }
    return p.getProperty("version", "unknown") + " (built " + p.getProperty("built", "?") + ")";
  }
}
