package org.neurolake.bench;

import java.util.Arrays;
import java.util.Optional;

/** The benchmarks {@code bin/bench <name>} runs. Each ends its output with one {@code BENCH <name> key=value ...} line. */
public enum BenchCatalog {
  INGEST("ingest", IngestBenchmark.class, "text ingestion vs a bare text->Parquet copy, and with capped memory"),
  BACKUP_WORKERS_SIM("backup-workers-sim", BackupWorkersSimBenchmark.class,
      "sync SGD with b backups (fixed, auto) vs async at 100 machines, simulated clock, real arithmetic"),
  ENGINE_SCALE("engine-scale", EngineScaleBenchmark.class,
      "engine round overhead and driver MB per round at 1 M, 10 M, 50 M parameters, N = 8, collect vs sharded"),
  BACKUP_WORKERS("backup-workers", BackupWorkersBenchmark.class,
      "sync SGD round times with/without backups and stragglers, vs DL4J parameter averaging"),
  LFADS_SYNTHETIC("lfads-synthetic", LfadsSyntheticBenchmark.class,
      "LFADS on the chaotic-RNN set within a time budget: R^2 of rates vs smoothing and linear-latent baselines"),
  LFADS_STEP("lfads-step", LfadsStepBenchmark.class,
      "one LFADS training step (B=64, T=100, 50 neurons, D=64, controller on), fused CPU path vs ND4J path"),
  LFADS_SEARCH("lfads-search", LfadsSearchBenchmark.class,
      "LFADS tuned by PBT vs the fixed ex1 config vs both baselines, on ex1 and a 60-trial generated set: test co-bps"),
  MLSTM_STEP("mlstm-step", MlstmStepBenchmark.class,
      "one mLSTM training step (H=1024, B=128, T=64) vs ND4J's own GEMM rate in the same process"),
  LM_SOFTMAX("lm-softmax", LmSoftmaxBenchmark.class,
      "one LSTM-LM training step, full vs sampled softmax (K=1024) at V=10k and 100k: tokens/s and speedups"),
  LM_TABLES("lm-tables", LmTablesBenchmark.class,
      "tokenize + build-vocab + token streams on a Zipf corpus (default 50 M tokens) at 1x and 4x: scaling, heap"),
  ODM("odm", OdmBenchmark.class,
      "Output Distribution Matching: digit test error with 0/2/4 labels vs supervised, PTB cipher (budget 25 min)"),
  PROBE("probe", ProbeBenchmark.class,
      "SST-2 sentiment probe (full C grid + data-efficiency curve): in-process LIBLINEAR vs MLlib, speedup"),
  MELC("melc", MelcBenchmark.class,
      "MELC vs SVM/logistic balanced accuracy on the UCI sets; exact vs binned/discard objective speed-ups, error/bound"),
  MELC_SCALE("melc-scale", MelcScaleBenchmark.class,
      "distributed binned MELC objective at n1 and n2 rows (default 1e6, 1e7): seconds, scaling, error on a sample"),
  VAE_PTB("vae-ptb", VaePtbBenchmark.class,
      "the sentence VAE and its RNNLM on PTB within a budget (default 2400 s): test NLL bound, KL, IS-NLL, ppl, active units",
      // Its live heap is under 1 GB; a larger heap only lets garbage (and RSS) grow between collections.
      "3g"),
  LM_PTB("lm-ptb", LmPtbBenchmark.class,
      "KN5 and the LSTM LM (word, charcnn or a config) on PTB or another corpus in a budget (default 2400 s):"
          + " valid-selected test ppl");

  /** The JVM heap (-Xmx) of a benchmark that states none; $NEUROLAKE_BENCH_HEAP overrides either. */
  public static final String DEFAULT_HEAP = "8g";

  public final String benchName;
  public final Class<?> mainClass;
  public final String summary;
  /** The -Xmx bin/bench gives this benchmark unless $NEUROLAKE_BENCH_HEAP is set. */
  public final String heap;

  BenchCatalog(String benchName, Class<?> mainClass, String summary) {
    this(benchName, mainClass, summary, DEFAULT_HEAP);
  }

  BenchCatalog(String benchName, Class<?> mainClass, String summary, String heap) {
    this.benchName = benchName;
    this.mainClass = mainClass;
    this.summary = summary;
    this.heap = heap;
  }

  public static Optional<BenchCatalog> byName(String name) {
    return Arrays.stream(values()).filter(b -> b.benchName.equals(name)).findFirst();
  }

  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals("resolve")) {
      // The main class, then the default heap: "<class> <heap>".
      Optional<BenchCatalog> b = byName(args[1]);
      if (b.isEmpty()) {
        System.err.println("unknown benchmark '" + args[1] + "'; run bin/bench --help for the list");
        System.exit(2);
      }
      System.out.println(b.get().mainClass.getName() + " " + b.get().heap);
      return;
    }
    System.out.println("Benchmarks:");
    for (BenchCatalog b : values()) {
      System.out.printf("  %-16s %s%n", b.benchName, b.summary);
    }
  }
}
