package org.neurolake.pbt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.TrainingState;

/**
 * A whole population at a generation boundary as one {@link Checkpoint}, so that a generation is
 * committed atomically by the existing {@link org.neurolake.checkpoint.CheckpointStore} (all members
 * or none). The members' parameter vectors are concatenated in member order, as are their optimizer
 * states (every member has the same model size, which {@link #of} checks); the checkpoint's
 * {@code modelSpecJson} is the search's base spec; its key-value section holds, per member, its
 * parent, update count and hyperparameters ({@code member.<i>.h.<option>}, exact as
 * {@link Double#toString}). {@code nextRound} is the boundary's round.
 */
public final class PopulationCheckpoint {
  private PopulationCheckpoint() {}

  public static Checkpoint of(List<Member> members, long seed, String baseSpecJson) {
    return of(members, null, seed, baseSpecJson);
  }

  /** The population and the best state seen so far ({@code best} null: none kept). */
  public static Checkpoint of(List<Member> members, BestSeen best, long seed, String baseSpecJson) {
    int p = members.size();
    int slots = p + (best == null ? 0 : 1);
    int nParams = members.get(0).state().parameters().length;
    int nOpt = members.get(0).state().optimizerState().length;
    int round = members.get(0).state().nextRound();
    float[] params = new float[slots * nParams];
    float[] opt = new float[slots * nOpt];
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("pbt.population", Integer.toString(p));
    long updates = 0;
    for (Member m : members) {
      TrainingState s = m.state();
      if (s.parameters().length != nParams || s.optimizerState().length != nOpt || s.nextRound() != round) {
        throw new IllegalArgumentException("member " + m.index() + " has " + s.parameters().length + " parameters, "
            + s.optimizerState().length + " optimizer values at round " + s.nextRound() + "; member 0 has " + nParams
            + ", " + nOpt + " at round " + round + " (a searched hyperparameter must not change the model's size)");
      }
      System.arraycopy(s.parameters(), 0, params, m.index() * nParams, nParams);
      System.arraycopy(s.optimizerState(), 0, opt, m.index() * nOpt, nOpt);
      String prefix = "member." + m.index() + ".";
      kv.put(prefix + "parent", Integer.toString(m.parent()));
      kv.put(prefix + "updates", Long.toString(s.updates()));
      m.hyperparameters().values().forEach((k, v) -> kv.put(prefix + "h." + k, Double.toString(v)));
      updates += s.updates();
    }
    if (best != null) {
      TrainingState s = best.state();
      if (s.parameters().length != nParams || s.optimizerState().length != nOpt) {
        throw new IllegalArgumentException("the best state seen has " + s.parameters().length + " parameters, "
            + s.optimizerState().length + " optimizer values; the members have " + nParams + ", " + nOpt);
      }
      System.arraycopy(s.parameters(), 0, params, p * nParams, nParams);
      System.arraycopy(s.optimizerState(), 0, opt, p * nOpt, nOpt);
      kv.put("best.generation", Integer.toString(best.generation()));
      kv.put("best.member", Integer.toString(best.member()));
      kv.put("best.value", Double.toString(best.value()));
      kv.put("best.round", Integer.toString(s.nextRound()));
      kv.put("best.updates", Long.toString(s.updates()));
      best.hyperparameters().values().forEach((k, v) -> kv.put("best.h." + k, Double.toString(v)));
      kv.put("best.evaluations", Integer.toString(best.evaluations().size()));
      for (int i = 0; i < best.evaluations().size(); i++) {
        TrainingRun.Evaluation e = best.evaluations().get(i);
        kv.put("best.eval." + i + ".split", e.split());
        kv.put("best.eval." + i + ".metric", e.metric());
        kv.put("best.eval." + i + ".value", Double.toString(e.value()));
      }
    }
    return new Checkpoint(round, updates, seed, params, opt, baseSpecJson, kv);
  }

  /** The members a checkpoint written by {@link #of} holds. */
  public static List<Member> members(Checkpoint c) {
    Map<String, String> kv = c.trainerConfig();
    String population = kv.get("pbt.population");
    if (population == null) {
      throw new IllegalArgumentException("checkpoint of round " + c.nextRound() + " is not a PBT population");
    }
    int p = Integer.parseInt(population);
    int slots = p + (kv.containsKey("best.member") ? 1 : 0);
    int nParams = c.parameters().length / slots;
    int nOpt = c.optimizerState().length / slots;
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < p; i++) {
      String prefix = "member." + i + ".";
      Map<String, Double> h = new TreeMap<>();
      kv.forEach((k, v) -> {
        if (k.startsWith(prefix + "h.")) {
          h.put(k.substring(prefix.length() + 2), Double.parseDouble(v));
        }
      });
      float[] params = java.util.Arrays.copyOfRange(c.parameters(), i * nParams, (i + 1) * nParams);
      float[] opt = java.util.Arrays.copyOfRange(c.optimizerState(), i * nOpt, (i + 1) * nOpt);
      out.add(new Member(i, Integer.parseInt(kv.get(prefix + "parent")), new Hyperparameters(h),
          new TrainingState(c.nextRound(), params, opt, Long.parseLong(kv.get(prefix + "updates")))));
    }
    return out;
  }

  /** The best state seen that a checkpoint written by {@link #of} holds, if it kept one. */
  public static Optional<BestSeen> best(Checkpoint c) {
    Map<String, String> kv = c.trainerConfig();
    if (!kv.containsKey("best.member")) {
      return Optional.empty();
    }
    int p = Integer.parseInt(kv.get("pbt.population"));
    int nParams = c.parameters().length / (p + 1);
    int nOpt = c.optimizerState().length / (p + 1);
    Map<String, Double> h = new TreeMap<>();
    kv.forEach((k, v) -> {
      if (k.startsWith("best.h.")) {
        h.put(k.substring("best.h.".length()), Double.parseDouble(v));
      }
    });
    List<TrainingRun.Evaluation> evaluations = new ArrayList<>();
    int n = Integer.parseInt(kv.get("best.evaluations"));
    for (int i = 0; i < n; i++) {
      String prefix = "best.eval." + i + ".";
      evaluations.add(new TrainingRun.Evaluation(kv.get(prefix + "split"), kv.get(prefix + "metric"),
          Double.parseDouble(kv.get(prefix + "value"))));
    }
    TrainingState state = new TrainingState(Integer.parseInt(kv.get("best.round")),
        java.util.Arrays.copyOfRange(c.parameters(), p * nParams, (p + 1) * nParams),
        java.util.Arrays.copyOfRange(c.optimizerState(), p * nOpt, (p + 1) * nOpt),
        Long.parseLong(kv.get("best.updates")));
    return Optional.of(new BestSeen(Integer.parseInt(kv.get("best.generation")), Integer.parseInt(kv.get("best.member")),
        new Hyperparameters(h), Double.parseDouble(kv.get("best.value")), state, evaluations));
  }
}
