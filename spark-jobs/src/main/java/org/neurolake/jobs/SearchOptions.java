package org.neurolake.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a training job searches hyperparameters: not at all (one run), by population-based training, or,
 * when not asked ({@code auto}), as the family's default search decides from the training set's size.
 */
public final class SearchOptions {
  /** The searches a training job knows; {@code AUTO} is the family's default (see {@link org.neurolake.pbt.DefaultSearch}). */
  public enum Search { AUTO, NONE, PBT }

  @Option(names = "--search", defaultValue = "auto", converter = SearchConverter.class,
      description = "auto (default): the family's default, for LFADS pbt with its default search space"
          + " (" + org.neurolake.lfads.LfadsFamily.SEARCH_SPACE + " under the project's home, or --search-space) when the"
          + " session has fewer than " + org.neurolake.lfads.LfadsFamily.PBT_BELOW_TRIALS + " training trials, else"
          + " none; none: one run of the configuration; pbt: population-based"
          + " training of a population of runs whose hyperparameters (ranges in --search-space) are tuned while"
          + " they train.")
  Search search = Search.AUTO;

  @Option(names = "--search-space", paramLabel = "FILE",
      description = "The search's properties file (e.g. conf/search/lfads-pbt.properties): '<option> = log|linear"
          + " <min> <max> [int]' per hyperparameter, and its pbt.* settings.")
  String searchSpace;

  @Option(names = "--search-set", paramLabel = "KEY=VALUE",
      description = "Overrides a pbt.* setting of the search-space file, e.g. --search-set pbt.population=4. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** The search asked for, its options checked: none takes no search options, pbt needs a space file. */
  Search requested() {
    if (search == Search.NONE && (searchSpace != null || !overrides.isEmpty())) {
      throw new IllegalArgumentException("--search-space and --search-set need --search pbt (or auto)");
    }
    if (search == Search.PBT && searchSpace == null) {
      throw new IllegalArgumentException("--search pbt needs --search-space <file>");
    }
    return search;
  }

  static final class SearchConverter implements picocli.CommandLine.ITypeConverter<Search> {
    @Override
    public Search convert(String v) {
      try {
        return Search.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("--search must be auto, none or pbt, not '" + v + "'");
      }
    }
  }
}
