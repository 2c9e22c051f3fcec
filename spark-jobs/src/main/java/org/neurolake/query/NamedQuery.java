package org.neurolake.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The queries shipped with the project, {@code conf/queries/<name>.sql}, packaged into the
 * application jar as resources {@value #RESOURCE_DIR}{@code <name>.sql}; run them with
 * {@code bin/pipeline query --name <name>}.
 */
public enum NamedQuery {
  BEST_RUNS("best run per model, dataset, split and metric, judged on each run's final evaluation"),
  LEARNING_CURVE("a run's evaluations by round"),
  STRAGGLERS("per run: rounds, task attempts, dropped fraction, p50/p95/p99 task time from train_rounds"),
  DATA_EFFICIENCY("the sentiment probe's accuracy against the number of labeled examples, over seeds"),
  TRANSFER("the sentiment transfer table of a run: task x {mLSTM features, sentiment unit, bag of words, byte n-grams}"),
  MELC("per UCI set: balanced accuracy of MELC exact/binned/discard, LinearSVC, logistic; thresholds; fit times"),
  LM_VS_KN5("perplexity per corpus and split: evaluate-lm runs next to the Kneser-Ney 5-gram (evaluate-kn5)");

  public static final String RESOURCE_DIR = "neurolake/queries/";

  public final String description;

  NamedQuery(String description) {
    this.description = description;
  }

  /** The name users type, e.g. {@code best_runs}. */
  public String queryName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NamedQuery byName(String name) {
    return Arrays.stream(values()).filter(q -> q.queryName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no shipped query '" + name + "'; the shipped ones are "
            + Arrays.stream(values()).map(NamedQuery::queryName).collect(Collectors.joining(", "))));
  }

  public SqlTemplate template() {
    String resource = RESOURCE_DIR + queryName() + ".sql";
    try (InputStream in = NamedQuery.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the application is missing its query resource " + resource);
      }
      return new SqlTemplate("--name " + queryName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
