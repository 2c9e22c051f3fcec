package org.neurolake.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurolake.jobs.TrainLfadsJob;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.RunOptions;
import picocli.CommandLine;

/** The shipped LFADS search: train-lfads --search pbt reads it, and every point of its space is a valid LfadsSpec. */
class LfadsPbtConfigTest {
  static String conf(String file) {
    return Path.of("..").resolve(file).toAbsolutePath().normalize().toString();
  }

  @Test
  void theShippedSearchSelectsByValidationCoBpsAndEveryPointIsAValidSpec() {
    TrainLfadsJob job = new TrainLfadsJob();
    new CommandLine(job).parseArgs("--lake", "/tmp/unused-lake", "--session", "ex1", "--config",
        conf("conf/train/lfads-spiking-ex1.properties"), "--set", "workers=1", "--search", "pbt", "--search-space",
        conf("conf/search/lfads-pbt.properties"), "--search-set", "pbt.population=4");
    PbtSearch.Config c = job.searchConfig();
    assertEquals("lfads", c.family().name());
    assertEquals(4, c.pbt().population());
    assertEquals("valid", c.pbt().metricSplit());
    assertEquals("co_bps", c.pbt().metric());
    assertEquals(PbtConfig.Direction.MAX, c.pbt().direction());
    assertEquals(c.pbt().totalRounds(), c.run().trainer().rounds());
    for (String searched : new String[] {"model.coordinatedDropout", "model.klScale", "model.l2GenScale"}) {
      assertTrue(c.space().ranges().containsKey(searched), searched + " not in " + c.space().ranges().keySet());
    }
    boolean klScaleVaries = false;
    assertTrue(Double.parseDouble(c.request().options().data().get("held-out-fraction")) > 0, "co-bps needs held-out neurons");
    LfadsSpec base = LfadsSpec.builder(40, 50).build();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      Hyperparameters h = c.space().sample(rng);
      Map<String, String> model = new java.util.TreeMap<>();
      h.asOptions().forEach((k, v) -> {
        if (k.startsWith(RunOptions.MODEL_PREFIX)) {
          model.put(k.substring(RunOptions.MODEL_PREFIX.length()), v);
        }
      });
      LfadsSpec s = ModelSpecOptions.apply(base, model);
      klScaleVaries |= s.klScale() != base.klScale();
      assertEquals(base.parameterCount(), s.parameterCount(), "a searched key must not change the model's size");
      PbtSearch.memberTrainer(c.run().trainer(), i % 4, h);
    }
    assertTrue(klScaleVaries, "the searched KL scale reaches the spec");
  }

  @Test
  void theSeededMemberCarriesExactlyTheShippedConfigsValues() {
    TrainLfadsJob job = new TrainLfadsJob();
    new CommandLine(job).parseArgs("--lake", "/tmp/unused-lake", "--session", "ex1", "--config",
        conf("conf/train/lfads-spiking-ex1.properties"), "--search", "pbt", "--search-space",
        conf("conf/search/lfads-pbt.properties"));
    PbtSearch.Config c = job.searchConfig();
    assertTrue(c.pbt().seedConfigMember(), "on by default");
    assertTrue(c.pbt().keepBestSeen(), "on by default");
    LfadsSpec spec = ModelSpecOptions.apply(LfadsSpec.builder(40, 50).build(), c.request().options().model());
    Hyperparameters h = c.space().configured(c.run().trainer(), spec);
    LfadsSpec defaults = LfadsSpec.builder(40, 50).build();
    assertEquals(Map.of("learning-rate", 0.01, "model.keepProb", 0.9, "model.l2GenScale", defaults.l2GenScale(),
        "model.coordinatedDropout", 0.0, "model.klScale", 1.0), h.values());
    // As options, the member's spec and engine options are the config's own: the same run.
    Map<String, String> model = new java.util.TreeMap<>(c.request().options().model());
    h.asOptions().forEach((k, v) -> {
      if (k.startsWith(RunOptions.MODEL_PREFIX)) {
        model.put(k.substring(RunOptions.MODEL_PREFIX.length()), v);
      }
    });
    assertEquals(spec, ModelSpecOptions.apply(LfadsSpec.builder(40, 50).build(), model));
    assertEquals(c.run().trainer().learningRate(), PbtSearch.memberTrainer(c.run().trainer(), 0, h).learningRate());

    TrainLfadsJob off = new TrainLfadsJob();
    new CommandLine(off).parseArgs("--lake", "/tmp/unused-lake", "--session", "ex1", "--config",
        conf("conf/train/lfads-spiking-ex1.properties"), "--search", "pbt", "--search-space",
        conf("conf/search/lfads-pbt.properties"), "--search-set", "pbt.seed-config-member=false",
        "--search-set", "pbt.keep-best-seen=false");
    assertTrue(!off.searchConfig().pbt().seedConfigMember() && !off.searchConfig().pbt().keepBestSeen());
  }
}
