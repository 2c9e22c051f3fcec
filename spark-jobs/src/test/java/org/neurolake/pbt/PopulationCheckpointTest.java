package org.neurolake.pbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.TrainingState;

/** The population checkpoint keeps the best state seen beside the members; BestSeen keeps the first best. */
class PopulationCheckpointTest {
  static TrainingState state(int round, float base) {
    return new TrainingState(round, new float[] {base, base + 1, base + 2}, new float[] {-base, -base - 1}, round * 3L);
  }

  static Member member(int i) {
    return new Member(i, i, new Hyperparameters(Map.of("learning-rate", 0.01 * (i + 1))), state(6, 10 * i));
  }

  @Test
  void theBestStateSeenSurvivesTheCheckpointBesideTheMembers() {
    List<Member> members = List.of(member(0), member(1), member(2));
    BestSeen best = new BestSeen(0, 2, new Hyperparameters(Map.of("learning-rate", 0.5)), 0.75, state(2, 99),
        List.of(new TrainingRun.Evaluation("valid", "co_bps", 0.75), new TrainingRun.Evaluation("valid", "nll", 1.5)));
    Checkpoint c = PopulationCheckpoint.of(members, best, 7, "{}");
    List<Member> back = PopulationCheckpoint.members(c);
    assertEquals(3, back.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(members.get(i).state().parameters(), back.get(i).state().parameters(), "member " + i);
      assertArrayEquals(members.get(i).state().optimizerState(), back.get(i).state().optimizerState());
      assertEquals(members.get(i).hyperparameters(), back.get(i).hyperparameters());
    }
    BestSeen b = PopulationCheckpoint.best(c).orElseThrow();
    assertEquals(0, b.generation());
    assertEquals(2, b.member());
    assertEquals(0.75, b.value());
    assertEquals(best.hyperparameters(), b.hyperparameters());
    assertEquals(best.evaluations(), b.evaluations());
    assertEquals(2, b.state().nextRound());
    assertEquals(6L, b.state().updates());
    assertArrayEquals(best.state().parameters(), b.state().parameters());
    assertArrayEquals(best.state().optimizerState(), b.state().optimizerState());

    Checkpoint without = PopulationCheckpoint.of(members, 7, "{}");
    assertTrue(PopulationCheckpoint.best(without).isEmpty());
    assertArrayEquals(members.get(2).state().parameters(), PopulationCheckpoint.members(without).get(2).state().parameters());
  }

  @Test
  void theBestSeenIsTheFirstStrictlyBetterOneAndNaNNeverWins() {
    BestSeen a = new BestSeen(0, 1, new Hyperparameters(Map.of("x", 1.0)), 0.5, state(2, 1), List.of());
    BestSeen tie = new BestSeen(1, 0, new Hyperparameters(Map.of("x", 2.0)), 0.5, state(4, 2), List.of());
    BestSeen worse = new BestSeen(1, 2, new Hyperparameters(Map.of("x", 3.0)), 0.4, state(4, 3), List.of());
    BestSeen nan = new BestSeen(1, 3, new Hyperparameters(Map.of("x", 4.0)), Double.NaN, state(4, 4), List.of());
    assertSame(a, BestSeen.better(null, a, PbtConfig.Direction.MAX));
    assertSame(a, BestSeen.better(a, tie, PbtConfig.Direction.MAX));
    assertSame(a, BestSeen.better(a, worse, PbtConfig.Direction.MAX));
    assertSame(worse, BestSeen.better(a, worse, PbtConfig.Direction.MIN));
    assertSame(a, BestSeen.better(a, nan, PbtConfig.Direction.MAX));
    assertSame(a, BestSeen.better(nan, a, PbtConfig.Direction.MIN));
  }
}
