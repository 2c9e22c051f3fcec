package org.neurolake.jobs;

import java.util.Arrays;
import java.util.Optional;

/**
 * The jobs {@code bin/pipeline} can run, by name. Each is also a plain main class that can be
 * handed to any spark-submit: {@code spark-submit --class <class> neurolake-app.jar --help}.
 */
public enum JobCatalog {
  INGEST_TEXT("ingest-text", IngestTextJob.class, "text corpora (JSONL/CSV/text, gzip) -> documents"),
  CUT_SEQUENCES("cut-sequences", CutSequencesJob.class, "documents -> byte_sequences for LM training"),
  INGEST_SPIKES("ingest-spikes", IngestSpikesJob.class, "spike recordings (events CSV, MAT, NWB) -> spike_trials"),
  SYNTH_SPIKES("synth-spikes", SynthSpikesJob.class, "LFADS chaotic-RNN benchmark -> spike_trials + truth"),
  MAKE_EXAMPLES("make-examples", MakeExamplesJob.class, "generated classification set -> examples"),
  MAKE_ODM_TASK("make-odm-task", MakeOdmTaskJob.class,
      "ODM tasks from real text: digit images in letter order, or a substitution cipher -> odm_sequences"),
  TRAIN("train", TrainJob.class, "any model family (--family lfads|mlstm|mlp|dl4j|...), sync SGD with backup workers"),
  INFER("infer", InferJob.class, "a trained run applied to a table, as its family does it (lfads_outputs, features)"),
  TRAIN_CLASSIFIER("train-classifier", TrainClassifierJob.class, "MLP on examples, synchronous SGD with backup workers"),
  SIMULATE_TRAINING("simulate-training", SimulateTrainingJob.class,
      "engine settings at M machines (sync with b backups or auto, async) on a virtual clock, real arithmetic"),
  PLOT_ROUNDS("plot-rounds", PlotRoundsJob.class, "train_rounds of a run -> completion-time CDF and loss curve PNGs"),
  TRAIN_LFADS("train-lfads", TrainLfadsJob.class, "LFADS on a spike_trials session, sync SGD with backup workers"),
  INFER_LFADS("infer-lfads", InferLfadsJob.class, "a trained LFADS run -> lfads_outputs (rates, factors, inputs)"),
  EVALUATE_LFADS("evaluate-lfads", EvaluateLfadsJob.class,
      "lfads_outputs vs truth / held-out neurons, with smoothing and linear baselines -> evaluations + PNGs"),
  TRAIN_MLSTM("train-mlstm", TrainMlstmJob.class, "sentiment-neuron mLSTM on byte_sequences, sync SGD with backup workers"),
  EXTRACT_FEATURES("extract-features", ExtractFeaturesJob.class, "a trained mLSTM run -> features (final cell states)"),
  PROBE_SENTIMENT("probe-sentiment", ProbeSentimentJob.class,
      "L1 logistic probe, sentiment unit, data efficiency, BOW/n-gram baselines -> evaluations + PNGs"),
  GENERATE("generate", GenerateJob.class, "samples from a trained mLSTM run (optionally clamping a unit) -> samples"),
  TOKENIZE("tokenize", TokenizeJob.class, "tokenized text (a sentence per line) -> sentences (tokens + <eos>)"),
  BUILD_VOCAB("build-vocab", BuildVocabJob.class, "sentences -> vocab, vocab_chars, out-of-vocabulary rates"),
  TOKEN_STREAMS("token-streams", TokenStreamsJob.class, "sentences + vocab -> token_streams (ids in contiguous streams)"),
  KN5("kn5", Kn5Job.class, "interpolated modified Kneser-Ney 5-gram counted with Spark -> kn_* tables, ppl"),
  EVALUATE_KN5("evaluate-kn5", EvaluateKn5Job.class, "a kn5 model's perplexity on splits -> evaluations"),
  EVALUATE_VAE("evaluate-vae", EvaluateVaeJob.class, "a sentence-vae run: bound, KL, ppl, IS-NLL, active units on splits -> evaluations"),
  SAMPLE_VAE("sample-vae", SampleVaeJob.class, "a sentence-vae run's decodes of z drawn from the prior -> vae_samples"),
  HOMOTOPY("homotopy", HomotopyJob.class, "greedy decodes between two sentences' posterior means -> homotopies"),
  IMPUTE("impute", ImputeJob.class,
      "last 20% of test sentences filled by the VAE vs the RNNLM, held-out log-lik, exact match -> imputations"),
  EVALUATE_LM("evaluate-lm", EvaluateLmJob.class, "a trained lstm-lm run's perplexity on splits, in order -> evaluations"),
  SAMPLE_LM("sample-lm", SampleLmJob.class, "sentences sampled from a trained lstm-lm run -> samples"),
  REPORT("report", ReportJob.class, "a run's HTML report (config, evaluations, plots) and the index of runs"),
  QUERY("query", QueryJob.class, "SQL on the lake's tables by name (shipped queries: --list), as a table or CSV"),
  CATALOG("catalog", CatalogJob.class, "catalog repair: re-register a moved or copied lake's tables at its new path"),
  TRAIN_MELC("train-melc", TrainMelcJob.class, "MELC on examples: L-BFGS on the driver, binned objective by Spark aggregation"),
  EVALUATE_MELC("evaluate-melc", EvaluateMelcJob.class,
      "MELC exact/binned/discard vs LinearSVC and logistic on the UCI sets, stratified CV -> evaluations");

  public final String jobName;
  public final Class<?> mainClass;
  public final String summary;

  JobCatalog(String jobName, Class<?> mainClass, String summary) {
    this.jobName = jobName;
    this.mainClass = mainClass;
    this.summary = summary;
  }

  public static Optional<JobCatalog> byName(String name) {
    return Arrays.stream(values()).filter(j -> j.jobName.equals(name)).findFirst();
  }

  /** {@code list}: one line per job; {@code resolve <name>}: the job's main class. Used by bin/pipeline. */
  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals("resolve")) {
      Optional<JobCatalog> j = byName(args[1]);
      if (j.isEmpty()) {
        System.err.println("unknown job '" + args[1] + "'; run bin/pipeline --help for the list");
        System.exit(2);
      }
      System.out.println(j.get().mainClass.getName());
      return;
    }
    System.out.println("Jobs:");
    for (JobCatalog j : values()) {
      System.out.printf("  %-16s %s%n", j.jobName, j.summary);
    }
  }
}
