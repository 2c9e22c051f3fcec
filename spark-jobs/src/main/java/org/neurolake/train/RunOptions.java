package org.neurolake.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A training run's options: a properties file from {@code conf/train/} with {@code --set}
 * overrides on top, in three sections by key prefix: {@code model.*} configures the model's spec
 * ({@link ModelSpecOptions}), {@code data.*} how the job prepares its data, and every other key the
 * engine ({@link TrainerConfig}). Each section's reader rejects keys it does not know.
 */
public record RunOptions(Map<String, String> trainer, Map<String, String> model, Map<String, String> data) {
  public static final String MODEL_PREFIX = "model.";
  public static final String DATA_PREFIX = "data.";

  public RunOptions {
    trainer = Map.copyOf(trainer);
    model = Map.copyOf(model);
    data = Map.copyOf(data);
  }

  public static RunOptions load(Path file, Map<String, String> overrides) {
    Map<String, String> all = new TreeMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read run config " + file + ": " + e.getMessage(), e);
      }
      p.forEach((k, v) -> all.put(k.toString().trim(), v.toString().trim()));
    }
    all.putAll(overrides);
    Map<String, String> trainer = new TreeMap<>();
    Map<String, String> model = new TreeMap<>();
    Map<String, String> data = new TreeMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(MODEL_PREFIX)) {
        model.put(k.substring(MODEL_PREFIX.length()), v);
      } else if (k.startsWith(DATA_PREFIX)) {
        data.put(k.substring(DATA_PREFIX.length()), v);
      } else {
        trainer.put(k, v);
      }
    });
    return new RunOptions(trainer, model, data);
  }

  public TrainerConfig trainerConfig() {
    return TrainerConfig.builder().apply(trainer).build();
  }

  /** A data option, or {@code fallback}. */
  public String data(String key, String fallback) {
    return data.getOrDefault(key, fallback);
  }

  /** Fails on data keys outside {@code known}, naming them (a typo must not pass silently). */
  public RunOptions requireDataKeys(java.util.Set<String> known) {
    for (String k : data.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown data option 'data." + k + "' (known: " + new java.util.TreeSet<>(known)
            + ")");
      }
    }
    return this;
  }
}
