package org.neurolake.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of the test run, how many tests were skipped and why (a missing data root, no
 * browser, ...), so that a run that skipped the real-data tests says so in its summary instead of
 * passing quietly. Registered in META-INF/services.
 */
public final class SkippedTestsReport implements TestExecutionListener {
  private final List<String> skipped = new ArrayList<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    skipped.add(test.getDisplayName() + ": " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skipped.add(test.getDisplayName() + ": "
          + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    Map<String, Integer> byReason = new TreeMap<>();
    for (String s : skipped) {
      byReason.merge(s.substring(s.indexOf(": ") + 2), 1, Integer::sum);
    }
    // A class whose @BeforeAll aborts counts once here, and not at all in surefire's "Skipped" count.
    StringBuilder out = new StringBuilder("SKIPPED " + skipped.size() + " test(s) or test class(es):");
    byReason.forEach((reason, n) -> out.append("\n  ").append(n).append(" x ").append(reason));
    System.out.println(out);
  }
}
