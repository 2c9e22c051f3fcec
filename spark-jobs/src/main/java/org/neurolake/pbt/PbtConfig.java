package org.neurolake.pbt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A population-based search's settings (Jaderberg et al. 2017): {@code population} members train
 * {@code generationRounds} engine rounds per generation for {@code generations} generations; after
 * each generation but the last, members are ranked by {@code metricSplit/metric} in {@code direction},
 * and each of the worst {@code floor(population x exploitFraction)} copies the parameters and
 * optimizer state of one of as many best (exploit, drawn with {@code seed}) and perturbs its
 * hyperparameters by factors drawn from {@code perturbFactors} (explore). {@code parallelMembers}
 * members train at the same time (as concurrent Spark jobs). With {@code seedConfigMember}, member 0
 * starts at the run's own (configured) values of the searched hyperparameters instead of a random
 * draw, so the configuration the search should beat is one of its members. With {@code keepBestSeen},
 * the search's result is the best member state seen at any generation boundary (by the selection
 * metric; early stopping on validation), otherwise the best member of the last generation. Build with
 * {@link #builder()}; the file form is the {@code pbt.*} keys of a search-space file ({@link Builder#apply}).
 */
public record PbtConfig(int population, int generationRounds, int generations, double exploitFraction,
    List<Double> perturbFactors, long seed, String metricSplit, String metric, Direction direction,
    int parallelMembers, boolean seedConfigMember, boolean keepBestSeen) {
  public static final int DEFAULT_POPULATION = 8;
  public static final int DEFAULT_GENERATION_ROUNDS = 10;
  public static final int DEFAULT_GENERATIONS = 10;
  public static final double DEFAULT_EXPLOIT_FRACTION = 0.25;
  public static final List<Double> DEFAULT_PERTURB_FACTORS = List.of(0.8, 1.2);
  public static final String DEFAULT_METRIC_SPLIT = "valid";

  /** Whether a larger metric is better. */
  public enum Direction {
    MAX, MIN;

    /** True when {@code a} is strictly better than {@code b}; NaN is worse than any number. */
    public boolean better(double a, double b) {
      if (Double.isNaN(a)) {
        return false;
      }
      if (Double.isNaN(b)) {
        return true;
      }
      return this == MAX ? a > b : a < b;
    }
  }

  public PbtConfig {
    perturbFactors = List.copyOf(perturbFactors);
    Objects.requireNonNull(direction, "direction");
    if (population < 2 || generationRounds < 1 || generations < 1 || parallelMembers < 1) {
      throw new IllegalArgumentException("pbt.population >= 2, pbt.generation-rounds >= 1, pbt.generations >= 1,"
          + " pbt.parallel-members >= 1 required; got " + population + ", " + generationRounds + ", " + generations
          + ", " + parallelMembers);
    }
    if (!(exploitFraction > 0 && exploitFraction <= 0.5) || (int) Math.floor(population * exploitFraction) < 1) {
      throw new IllegalArgumentException("pbt.exploit-fraction must be in (0, 0.5] and leave at least one member to"
          + " replace: " + exploitFraction + " of population " + population);
    }
    if (perturbFactors.isEmpty() || perturbFactors.stream().anyMatch(f -> !(f > 0) || Double.isInfinite(f))) {
      throw new IllegalArgumentException("pbt.perturb-factors must be positive finite numbers: " + perturbFactors);
    }
    if (metric == null || metric.isBlank() || metricSplit == null || metricSplit.isBlank()) {
      throw new IllegalArgumentException("pbt.metric and pbt.metric-split name the selection metric, e.g. valid/co_bps");
    }
  }

  /** How many members are replaced (and how many best ones they copy from) each generation. */
  public int exploitCount() {
    return (int) Math.floor(population * exploitFraction);
  }

  /** Engine rounds of the whole search. */
  public int totalRounds() {
    return generations * generationRounds;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int population = DEFAULT_POPULATION;
    private int generationRounds = DEFAULT_GENERATION_ROUNDS;
    private int generations = DEFAULT_GENERATIONS;
    private double exploitFraction = DEFAULT_EXPLOIT_FRACTION;
    private List<Double> perturbFactors = DEFAULT_PERTURB_FACTORS;
    private long seed = 1;
    private String metricSplit = DEFAULT_METRIC_SPLIT;
    private String metric;
    private Direction direction = Direction.MAX;
    private Integer parallelMembers;
    private boolean seedConfigMember = true;
    private boolean keepBestSeen = true;

    public Builder population(int v) { population = v; return this; }
    public Builder generationRounds(int v) { generationRounds = v; return this; }
    public Builder generations(int v) { generations = v; return this; }
    public Builder exploitFraction(double v) { exploitFraction = v; return this; }
    public Builder perturbFactors(List<Double> v) { perturbFactors = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder metric(String split, String name) { metricSplit = split; metric = name; return this; }
    public Builder direction(Direction v) { direction = v; return this; }
    public Builder parallelMembers(int v) { parallelMembers = v; return this; }
    public Builder seedConfigMember(boolean v) { seedConfigMember = v; return this; }
    public Builder keepBestSeen(boolean v) { keepBestSeen = v; return this; }

    /** Applies {@code pbt.*} settings without their prefix; unknown keys are an error. */
    public Builder apply(Map<String, String> settings) {
      for (Map.Entry<String, String> e : settings.entrySet()) {
        String v = e.getValue().trim();
        try {
          switch (e.getKey()) {
            case "population" -> population = Integer.parseInt(v);
            case "generation-rounds" -> generationRounds = Integer.parseInt(v);
            case "generations" -> generations = Integer.parseInt(v);
            case "exploit-fraction" -> exploitFraction = Double.parseDouble(v);
            case "perturb-factors" -> {
              List<Double> f = new ArrayList<>();
              for (String s : v.split(",")) {
                f.add(Double.parseDouble(s.trim()));
              }
              perturbFactors = f;
            }
            case "seed" -> seed = Long.parseLong(v);
            case "metric-split" -> metricSplit = v;
            case "metric" -> metric = v;
            case "direction" -> direction = parseDirection(v);
            case "parallel-members" -> parallelMembers = Integer.parseInt(v);
            case "seed-config-member" -> seedConfigMember = parseBoolean(e.getKey(), v);
            case "keep-best-seen" -> keepBestSeen = parseBoolean(e.getKey(), v);
            default -> throw new IllegalArgumentException("unknown search setting 'pbt." + e.getKey() + "'");
          }
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("search setting pbt." + e.getKey() + "=" + v + " is not a number", ex);
        }
      }
      return this;
    }

    private static boolean parseBoolean(String key, String v) {
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("pbt." + key + " must be true or false, not '" + v + "'");
      };
    }

    private static Direction parseDirection(String v) {
      try {
        return Direction.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pbt.direction must be max or min, not '" + v + "'", e);
      }
    }

    public PbtConfig build() {
      return new PbtConfig(population, generationRounds, generations, exploitFraction, perturbFactors, seed,
          metricSplit, metric, direction, parallelMembers == null ? population : parallelMembers, seedConfigMember,
          keepBestSeen);
    }
  }
}
