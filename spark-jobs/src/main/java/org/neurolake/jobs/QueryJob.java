package org.neurolake.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.neurolake.pipelines.table.LakeCatalog;
import org.neurolake.query.NamedQuery;
import org.neurolake.query.ResultFormat;
import org.neurolake.query.ResultPrinter;
import org.neurolake.query.SqlTemplate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs one SQL query on the lake's tables by name (documents, examples, train_rounds, evaluations, ...) and"
            + " prints the result as an aligned table or CSV.",
        "First registers every table of the lake in the catalog (new partitions added, vanished ones dropped), then"
            + " runs the query in the catalog database. Parameters are written '$${name}' in the SQL.",
        "Examples: query --name best_runs | query --name learning_curve --param run_id=mlp-blobs"
            + " | query --sql \"SELECT model, count(*) FROM evaluations GROUP BY model\" --format csv"})
public final class QueryJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--sql", paramLabel = "SQL", description = "The query text.")
    String sql;

    @Option(names = "--file", paramLabel = "PATH", description = "A file holding the query, e.g. conf/queries/stragglers.sql.")
    String file;

    @Option(names = "--name", paramLabel = "NAME", description = "A shipped query (--list shows them).")
    String name;

    @Option(names = "--list", description = "List the shipped queries and their parameters.")
    boolean list;
  }

  @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A query parameter, e.g. --param run_id=mlp-blobs. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--format", defaultValue = "TABLE", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Option(names = "--max-rows", defaultValue = "10000", description = "Print at most this many rows (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Option(names = "--no-sync", description = "Query the catalog as it is, without registering the lake's tables first.")
  boolean noSync;

  public record Config(CatalogSettings catalog, SqlTemplate template, String sql, ResultFormat format, int maxRows,
      boolean sync) {
    public Config {
      if (maxRows < 1) {
        throw new IllegalArgumentException("--max-rows must be >= 1");
      }
    }
  }

  /** The validated query: its text from --sql, --file or --name, with the parameters substituted. */
  public Config config() {
    SqlTemplate template;
    if (source.sql != null) {
      template = new SqlTemplate("--sql", source.sql);
    } else if (source.file != null) {
      java.nio.file.Path f = java.nio.file.Path.of(source.file);
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("query file " + f.toAbsolutePath() + " does not exist");
      }
      try {
        template = new SqlTemplate(f.toString(), Files.readString(f));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read query file " + f, e);
      }
    } else {
      template = NamedQuery.byName(source.name).template();
    }
    String sql = template.render(params);
    try {
      CatalystSqlParser$.MODULE$.parsePlan(sql);
    } catch (Exception e) { // Scala declares no checked exceptions; ParseException is one to Java
      if (e instanceof ParseException) {
        throw new IllegalArgumentException("the query from " + template.source() + " is not valid SQL: "
            + e.getMessage(), e);
      }
      throw e;
    }
    return new Config(common.catalog(), template, sql, format, maxRows, !noSync);
  }

  /** Registers the lake's tables (unless --no-sync), and runs the query in the catalog database. */
  public static Dataset<Row> run(SparkSession spark, Config cfg) {
    LakeCatalog catalog = cfg.catalog().open(spark);
    if (cfg.sync()) {
      catalog.registerAll();
    }
    spark.sql("USE `" + catalog.database() + "`");
    return spark.sql(cfg.sql());
  }

  @Override
  public Integer call() {
    if (source.list) {
      for (NamedQuery q : NamedQuery.values()) {
        List<String> p = List.copyOf(q.template().parameters());
        System.out.printf("  %-16s %s%s%n", q.queryName(), q.description,
            p.isEmpty() ? "" : " (" + String.join(" ", p.stream().map(n -> "--param " + n + "=...").toList()) + ")");
      }
      return 0;
    }
    Config cfg = config();
    if (common.dryRun()) {
      return new DryRun("query").lake(cfg.catalog().lake()).catalog(cfg.catalog())
          .note("query from " + cfg.template().source() + " parses; would run:")
          .note(cfg.sql().strip().replace("\n", "\n    "))
          .print();
    }
    SparkSession spark = JobRunner.session("query", cfg.catalog());
    Dataset<Row> result = run(spark, cfg);
    List<Row> rows = result.limit(cfg.maxRows() + 1).collectAsList();
    boolean truncated = rows.size() > cfg.maxRows();
    new ResultPrinter(cfg.format()).print(result.schema(), truncated ? rows.subList(0, cfg.maxRows()) : rows, System.out);
    if (truncated) {
      System.err.println("(the first " + cfg.maxRows() + " rows; --max-rows to see more)");
    }
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new QueryJob(), args);
  }
}
