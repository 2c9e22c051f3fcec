package org.neurolake.pbt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurolake.checkpoint.Checkpoint;
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
    int p = members.size();
    int nParams = members.get(0).state().parameters().length;
    int nOpt = members.get(0).state().optimizerState().length;
    int round = members.get(0).state().nextRound();
    float[] params = new float[p * nParams];
    float[] opt = new float[p * nOpt];
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
    int nParams = c.parameters().length / p;
    int nOpt = c.optimizerState().length / p;
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
}
