package org.neurolake.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a training job searches hyperparameters: not at all (one run), or population-based training. */
public final class SearchOptions {
  /** The searches a training job knows. */
  public enum Search { NONE, PBT }

  @Option(names = "--search", defaultValue = "none", converter = SearchConverter.class,
      description = "none: one run (default); pbt: population-based training of a population of runs whose"
          + " hyperparameters (ranges in --search-space) are tuned while they train.")
  Search search = Search.NONE;

  @Option(names = "--search-space", paramLabel = "FILE",
      description = "The search's properties file (e.g. conf/search/lfads-pbt.properties): '<option> = log|linear"
          + " <min> <max> [int]' per hyperparameter, and its pbt.* settings.")
  String searchSpace;

  @Option(names = "--search-set", paramLabel = "KEY=VALUE",
      description = "Overrides a pbt.* setting of the search-space file, e.g. --search-set pbt.population=4. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  boolean pbt() {
    if (search == Search.NONE && (searchSpace != null || !overrides.isEmpty())) {
      throw new IllegalArgumentException("--search-space and --search-set need --search pbt");
    }
    if (search == Search.PBT && searchSpace == null) {
      throw new IllegalArgumentException("--search pbt needs --search-space <file>");
    }
    return search == Search.PBT;
  }

  static final class SearchConverter implements picocli.CommandLine.ITypeConverter<Search> {
    @Override
    public Search convert(String v) {
      try {
        return Search.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("--search must be none or pbt, not '" + v + "'");
      }
    }
  }
}
