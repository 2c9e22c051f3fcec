package org.neurolake.jobs;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.LakeCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "catalog", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Catalog maintenance. 'repair': re-registers the lake's tables at its current location, for a lake moved or"
            + " copied to another path (its catalog entries still name the old one); only catalog entries change.",
        "Example: catalog repair --lake /new/place/lake"})
public final class CatalogJob implements Callable<Integer> {
  /** What to do. */
  public enum Action { repair }

  @Parameters(index = "0", paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}")
  Action action;

  @Mixin CommonOptions common = new CommonOptions();

  @Override
  public Integer call() {
    CatalogSettings catalog = common.catalog();
    if (catalog.kind() == CatalogSettings.Kind.SESSION) {
      throw new IllegalArgumentException("catalog repair changes a persistent catalog; it cannot run with --no-catalog");
    }
    if (common.dryRun()) {
      return new DryRun("catalog repair").lake(common.lake()).catalog(catalog)
          .note("re-registers the lake's tables at " + common.lake().root()).print();
    }
    SparkSession spark = JobRunner.session("catalog repair", catalog);
    for (LakeCatalog.Registration r : catalog.open(spark).repair()) {
      System.out.printf("catalog: %s registered at this lake (%d partition%s%s) in the %s%n", r.table(), r.partitions(),
          r.partitions() == 1 ? "" : "s", r.reregistered() ? ", was registered elsewhere" : "", catalog.describe());
    }
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new CatalogJob(), args);
  }
}
