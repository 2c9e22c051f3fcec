package org.neurolake.pbt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A family's default search (see {@link org.neurolake.family.ModelFamily#defaultSearch()}): a run
 * asked for no particular search ({@code --search} not given) is trained with population-based
 * training when it has fewer than {@code fewerThan} training examples and the search-space file
 * exists, and as one run of its fixed configuration otherwise. Small training sets are where one
 * hand-picked configuration overfits (issue 22: LFADS on recordings of tens of trials) and where a
 * population of runs costs least.
 *
 * @param fewerThan PBT below this many training examples, {@code >= 1}
 * @param spaceFile the search-space file, relative to the project's home (e.g. {@code conf/search/lfads-pbt.properties})
 */
public record DefaultSearch(long fewerThan, String spaceFile) {
  public DefaultSearch {
    if (fewerThan < 1) {
      throw new IllegalArgumentException("the default search's threshold must be >= 1 training examples: " + fewerThan);
    }
    Objects.requireNonNull(spaceFile, "spaceFile");
    if (spaceFile.isBlank()) {
      throw new IllegalArgumentException("the default search needs a search-space file");
    }
  }

  /** The outcome: the search-space file to search with (empty: one run of the fixed configuration), and why. */
  public record Choice(Optional<Path> space, String reason) {
    public Choice {
      Objects.requireNonNull(space, "space");
      Objects.requireNonNull(reason, "reason");
    }

    public boolean pbt() {
      return space.isPresent();
    }
  }

  /** The default search space under the project's home {@code home}. */
  public Path spaceUnder(Path home) {
    return home.resolve(spaceFile).normalize();
  }

  /**
   * The choice for a run with {@code trainingExamples} training examples and search space {@code space}
   * (the default's under the home, or the one the user named): PBT when the examples are fewer than the
   * threshold and the file exists.
   */
  public Choice choose(long trainingExamples, Path space) {
    if (trainingExamples >= fewerThan) {
      return new Choice(Optional.empty(), "search none: " + trainingExamples + " training examples, not fewer than "
          + fewerThan + "; one run of the fixed configuration (--search pbt to search anyway)");
    }
    if (!Files.isRegularFile(space)) {
      return new Choice(Optional.empty(), "search none: " + trainingExamples + " training examples (fewer than "
          + fewerThan + ") but no search space at " + space + "; one run of the fixed configuration (name one with"
          + " --search-space)");
    }
    return new Choice(Optional.of(space), "search pbt (the default for fewer than " + fewerThan + " training examples: "
        + trainingExamples + "), space " + space + "; --search none trains the fixed configuration");
  }
}
