package org.neurolake.pbt;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;

/**
 * The hyperparameters a population-based search tunes, each a run option ({@code learning-rate},
 * {@code lr-final-fraction}, {@code batch-size}, or any {@code model.*} field of the family's spec) with
 * a range. Read from a properties file in {@code conf/search/}: one line per hyperparameter,
 * {@code <option> = log|linear <min> <max> [int]}; keys starting with {@value #PBT_PREFIX} are the
 * search's own settings ({@link PbtConfig}) and are not ranges.
 *
 * <p>Sampling is uniform in the range (in log space for {@code log}); a perturbation by factor f
 * multiplies a {@code log} value by f and moves a {@code linear} value by (f - 1) x (max - min), then
 * clips to the range ({@code int} values are rounded).
 */
public record SearchSpace(Map<String, Range> ranges) {
  public static final String PBT_PREFIX = "pbt.";
  /** Engine options a member may tune; the rest shape the run (workers, rounds, seed ...) and are fixed. */
  public static final List<String> TRAINER_KEYS = List.of("learning-rate", "lr-final-fraction", "batch-size");

  public enum Scale { LOG, LINEAR }

  /** One hyperparameter's range; {@code integer} values are rounded to whole numbers. */
  public record Range(String key, Scale scale, double min, double max, boolean integer) {
    public Range {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(scale, "scale");
      if (!key.startsWith(RunOptions.MODEL_PREFIX) && !TRAINER_KEYS.contains(key)) {
        throw new IllegalArgumentException("'" + key + "' cannot be searched: use model.<spec field> or one of "
            + TRAINER_KEYS);
      }
      if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
        throw new IllegalArgumentException("needs finite min < max, got " + min + " and " + max);
      }
      if (scale == Scale.LOG && !(min > 0)) {
        throw new IllegalArgumentException("a log range needs min > 0, got " + min);
      }
    }

    /** A uniform draw (log-uniform for {@link Scale#LOG}). */
    public double sample(SplittableRandom rng) {
      double u = rng.nextDouble();
      double v = scale == Scale.LOG ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
          : min + u * (max - min);
      return clip(v);
    }

    /** {@code value} perturbed by {@code factor}, within the range. */
    public double perturb(double value, double factor) {
      return clip(scale == Scale.LOG ? value * factor : value + (factor - 1) * (max - min));
    }

    public double clip(double v) {
      double c = Math.max(min, Math.min(max, v));
      return integer ? Math.max(Math.ceil(min), Math.min(Math.floor(max), Math.rint(c))) : c;
    }
  }

  public SearchSpace {
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("a search space needs at least one hyperparameter");
    }
    ranges = java.util.Collections.unmodifiableMap(new TreeMap<>(ranges));
  }

  public static SearchSpace of(Range... ranges) {
    Map<String, Range> m = new LinkedHashMap<>();
    for (Range r : ranges) {
      m.put(r.key(), r);
    }
    return new SearchSpace(m);
  }

  /** A random point of the space. */
  public Hyperparameters sample(SplittableRandom rng) {
    Map<String, Double> v = new TreeMap<>();
    ranges.forEach((k, r) -> v.put(k, r.sample(rng)));
    return new Hyperparameters(v);
  }

  /**
   * The run's own values of this space's hyperparameters (the point PBT's seeded member starts at):
   * engine keys from {@code trainer}'s options, {@code model.<field>} from the family's spec
   * {@code spec} built from the run's options (so a field the run leaves at its default has the
   * spec's default). Values are taken as they are, even outside their range (explore clips them).
   */
  public Hyperparameters configured(TrainerConfig trainer, ModelSpec spec) {
    Map<String, String> engine = trainer.toProperties();
    JsonNode fields = ModelSpecs.toTree(spec);
    Map<String, Double> v = new TreeMap<>();
    for (String key : ranges.keySet()) {
      double value;
      if (key.startsWith(RunOptions.MODEL_PREFIX)) {
        JsonNode n = fields.get(key.substring(RunOptions.MODEL_PREFIX.length()));
        if (n == null || !n.isNumber()) {
          throw new IllegalArgumentException("the searched '" + key + "' is not a numeric field of the "
              + ModelSpecs.kindOf(spec) + " spec (" + n + ")");
        }
        value = n.doubleValue();
      } else {
        String e = engine.get(key);
        if (e == null) {
          throw new IllegalArgumentException("the run's options have no '" + key + "' to seed a member with");
        }
        value = Double.parseDouble(e);
      }
      v.put(key, value);
    }
    return new Hyperparameters(v);
  }

  /** Every hyperparameter of {@code h} perturbed by a factor drawn from {@code factors}, in key order. */
  public Hyperparameters perturb(Hyperparameters h, List<Double> factors, SplittableRandom rng) {
    Map<String, Double> v = new TreeMap<>();
    ranges.forEach((k, r) -> v.put(k, r.perturb(h.get(k), factors.get(rng.nextInt(factors.size())))));
    return new Hyperparameters(v);
  }

  /** Whether every value of {@code h} is in its range (and {@code h} has exactly this space's keys). */
  public boolean contains(Hyperparameters h) {
    return h.values().keySet().equals(ranges.keySet()) && ranges.values().stream()
        .allMatch(r -> h.get(r.key()) >= r.min() && h.get(r.key()) <= r.max());
  }

  /** The ranges and the {@value #PBT_PREFIX} settings of a search-space file. */
  public record File(SearchSpace space, Map<String, String> settings) {}

  /**
   * Reads {@code file}; a malformed line is a {@link BadInputException} naming the file and key.
   */
  public static File load(java.nio.file.Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new BadInputException("cannot read search space " + file + ": " + e.getMessage(), e);
    }
    Map<String, Range> ranges = new LinkedHashMap<>();
    Map<String, String> settings = new TreeMap<>();
    for (String key : new TreeMap<>(toMap(p)).keySet()) {
      String value = p.getProperty(key).trim();
      if (key.startsWith(PBT_PREFIX)) {
        settings.put(key.substring(PBT_PREFIX.length()), value);
        continue;
      }
      try {
        ranges.put(key, parse(key, value));
      } catch (IllegalArgumentException e) {
        throw new BadInputException(file + ": key " + key + ": " + e.getMessage(), e);
      }
    }
    try {
      return new File(new SearchSpace(ranges), settings);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> m = new TreeMap<>();
    p.forEach((k, v) -> m.put(k.toString().trim(), v.toString()));
    return m;
  }

  /** {@code log|linear <min> <max> [int]}. */
  static Range parse(String key, String value) {
    List<String> t = new ArrayList<>(List.of(value.trim().split("\\s+")));
    if (t.size() < 3 || t.size() > 4 || t.size() == 4 && !t.get(3).equals("int")) {
      throw new IllegalArgumentException("expected 'log|linear <min> <max> [int]', got '" + value + "'");
    }
    Scale scale;
    try {
      scale = Scale.valueOf(t.get(0).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the scale must be log or linear, not '" + t.get(0) + "'", e);
    }
    try {
      return new Range(key, scale, Double.parseDouble(t.get(1)), Double.parseDouble(t.get(2)), t.size() == 4);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("min and max must be numbers, got '" + value + "'", e);
    }
  }
}
