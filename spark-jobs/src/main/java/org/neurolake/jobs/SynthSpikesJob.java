package org.neurolake.jobs;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.spikes.SpikeEventExport;
import org.neurolake.pipelines.spikes.SpikeTrial;
import org.neurolake.pipelines.synthetic.ChaoticRnnConfig;
import org.neurolake.pipelines.synthetic.SyntheticSpikes;
import org.neurolake.pipelines.table.HadoopPaths;
import java.util.List;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "synth-spikes", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Generates the LFADS paper's chaotic-RNN spiking benchmark into spike_trials and truth (partition"
            + " session=<name>): N=50, tau=25 ms, dt=10 ms, 1 s trials, x0 ~ N(0,1), 30 Hz max rate, Poisson spikes.",
        "CHAOTIC: g=1.5, no inputs. INPUT_PULSE: g=2.5, one pulse of magnitude 20 at a random step in [T/4, 3T/4)."})
public final class SynthSpikesJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--variant", defaultValue = "CHAOTIC", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ChaoticRnnConfig.Variant variant;

  @Option(names = "--session", description = "Session name (default: synthetic-<variant>).")
  String session;

  @Option(names = "--conditions", defaultValue = "100", description = "Initial conditions C (default: ${DEFAULT-VALUE}).")
  int conditions;

  @Option(names = "--replications", defaultValue = "10", description = "Spike trains per condition R (default: ${DEFAULT-VALUE}).")
  int replications;

  @Option(names = "--neurons", defaultValue = "50", description = "RNN units, all observed (default: ${DEFAULT-VALUE}).")
  int neurons;

  @Option(names = "--seed", defaultValue = "9", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--export-events", paramLabel = "DIR",
      description = "Also write the spikes as a raw recording (sparse events CSV + trial table) into DIR.")
  String exportDir;

  public record Config(Lake lake, String session, ChaoticRnnConfig rnn, String exportDir) {
    public Config {
      PartitionKey.requireSafe(session);
    }
  }

  public Config config() {
    ChaoticRnnConfig paper = ChaoticRnnConfig.paper(variant, conditions, replications, seed);
    ChaoticRnnConfig rnn = new ChaoticRnnConfig(neurons, paper.g(), paper.tauMs(), paper.dtMs(), paper.durationMs(),
        paper.x0Std(), paper.maxRateHz(), conditions, replications, paper.inputMagnitude(), seed);
    String s = session != null ? session : "synthetic-" + variant.name().toLowerCase().replace('_', '-');
    return new Config(common.lake(), s, rnn, exportDir);
  }

  public static SyntheticSpikes.Result run(SparkSession spark, Config cfg) {
    SyntheticSpikes.Result r = SyntheticSpikes.run(spark, cfg.lake(), cfg.session(), cfg.rnn());
    if (cfg.exportDir() != null) {
      java.util.Iterator<org.apache.spark.sql.Row> rows = spark.read().parquet(r.spikeTrials().toString())
          .orderBy("trial").toLocalIterator();
      java.util.Iterator<SpikeTrial> it = new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public SpikeTrial next() {
          return SpikeTrial.fromRow(rows.next());
        }
      };
      SpikeEventExport.write(spark.sparkContext().hadoopConfiguration(),
          new Path(HadoopPaths.toUri(cfg.exportDir())), cfg.session(), it);
    }
    return r;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("synth-spikes").lake(cfg.lake()).catalog(catalog);
      for (TableDef t : List.of(LakeTables.SPIKE_TRIALS, LakeTables.TRUTH)) {
        d.writes(cfg.rnn().nTrials() + " trials", cfg.lake().partitionPath(t, PartitionKey.of(t, cfg.session())));
      }
      if (cfg.exportDir() != null) {
        d.writes("raw events", new Path(HadoopPaths.toUri(cfg.exportDir())));
      }
      return d.print();
    }
    SparkSession spark = JobRunner.session("synth-spikes " + cfg.session(), catalog);
    SyntheticSpikes.Result r = run(spark, cfg);
    System.out.printf("synth-spikes %s: %d trials, %d spikes -> %s and %s%s%n", cfg.session(), r.trials(), r.spikes(),
        r.spikeTrials(), r.truth(), cfg.exportDir() == null ? "" : "; raw events in " + cfg.exportDir());
    catalog.registerWritten(spark, LakeTables.SPIKE_TRIALS, LakeTables.TRUTH);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new SynthSpikesJob(), args);
  }
}
