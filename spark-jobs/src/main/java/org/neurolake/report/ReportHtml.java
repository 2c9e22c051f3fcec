package org.neurolake.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Renders the static HTML of run reports: one self-contained page per run (images are relative
 * links to PNGs in the run's folder) and the index of runs. No scripts, no external resources.
 */
public final class ReportHtml {
  private ReportHtml() {}

  private static final String STYLE = """
      body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
      table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
      th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      th { background: #f3f3f3; }
      figure { margin: 1em 0 2em; }
      figure img { max-width: 100%; border: 1px solid #ddd; }
      figcaption { color: #555; font-size: 0.9em; }
      pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
      .meta, .note { color: #555; }
      """;

  /** The page of one run; its images are {@code <name>} and {@code plots/<name>} beside it. */
  public static String runPage(RunReport r) {
    StringBuilder h = head("Run " + r.runId());
    h.append("<p><a href=\"../index.html\">All runs</a></p>\n");
    h.append("<h1>Run <code>").append(esc(r.runId())).append("</code></h1>\n");
    h.append("<p class=\"meta\">models: ").append(esc(list(r.models()))).append(" &middot; datasets: ")
        .append(esc(list(r.datasets()))).append(" &middot; generated ").append(esc(r.generatedAt())).append("</p>\n");

    h.append("<h2>Final metrics</h2>\n");
    if (r.evaluations().isEmpty()) {
      h.append("<p class=\"note\">No evaluations of this run in the lake.</p>\n");
    } else {
      evaluationTable(h, r.finalEvaluations(), false);
    }

    h.append("<h2>Training rounds</h2>\n");
    if (r.roundPlots().isEmpty()) {
      h.append("<p class=\"note\">No train_rounds rows for this run.</p>\n");
    } else {
      for (String png : r.roundPlots()) {
        figure(h, png, caption(png));
      }
    }

    if (!r.modelPlots().isEmpty()) {
      h.append("<h2>Model plots</h2>\n");
      for (String png : r.modelPlots()) {
        figure(h, "plots/" + png, png);
      }
    }

    if (!r.evaluations().isEmpty()) {
      h.append("<h2>All evaluations</h2>\n");
      evaluationTable(h, r.sortedEvaluations(), true);
    }

    h.append("<h2>Configuration</h2>\n");
    if (r.configJson().isPresent()) {
      h.append("<p class=\"meta\">").append(esc(r.configLocation())).append("</p>\n<pre>")
          .append(esc(r.configJson().get())).append("</pre>\n");
    } else {
      h.append("<p class=\"note\">No run.json at ").append(esc(r.configLocation())).append(".</p>\n");
    }
    return h.append("</body>\n</html>\n").toString();
  }

  /** The index of runs, newest report first; links are {@code <run-id>/index.html}. */
  public static String index(List<RunSummary> runs) {
    StringBuilder h = head("Runs");
    h.append("<h1>Runs</h1>\n");
    if (runs.isEmpty()) {
      h.append("<p class=\"note\">No run reports yet.</p>\n");
    } else {
      h.append("<table>\n<tr><th>run</th><th>models</th><th>datasets</th><th>final metrics</th><th>plots</th>"
          + "<th>report generated</th></tr>\n");
      for (RunSummary s : runs.stream().sorted(Comparator.comparing(RunSummary::generatedAt).reversed()
          .thenComparing(RunSummary::runId)).toList()) {
        h.append("<tr><td><a href=\"").append(esc(relative(s.runId() + "/index.html"))).append("\">")
            .append(esc(s.runId())).append("</a></td><td>").append(esc(list(s.models()))).append("</td><td>")
            .append(esc(list(s.datasets()))).append("</td><td>")
            .append(String.join("<br>", s.finalMetrics().stream().map(ReportHtml::esc).toList()))
            .append("</td><td class=\"num\">").append(s.plots()).append("</td><td>").append(esc(s.generatedAt()))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    return h.append("</body>\n</html>\n").toString();
  }

  /** Numbers as in the tables: up to 6 significant digits. */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    String s = String.format(java.util.Locale.ROOT, "%.6g", v);
    if (s.contains("e")) {
      return s;
    }
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  private static void evaluationTable(StringBuilder h, List<RunReport.Evaluation> rows, boolean withTime) {
    h.append("<table>\n<tr><th>model</th><th>dataset</th><th>split</th><th>metric</th><th>round</th><th>value</th>")
        .append(withTime ? "<th>evaluated at</th>" : "").append("</tr>\n");
    for (RunReport.Evaluation e : rows) {
      h.append("<tr><td>").append(esc(e.model())).append("</td><td>").append(esc(e.dataset())).append("</td><td>")
          .append(esc(e.split())).append("</td><td>").append(esc(e.metric())).append("</td><td class=\"num\">")
          .append(e.round() == null ? "" : e.round()).append("</td><td class=\"num\">").append(number(e.value()))
          .append("</td>");
      if (withTime) {
        h.append("<td>").append(esc(e.createdAt())).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void figure(StringBuilder h, String src, String caption) {
    h.append("<figure><img src=\"").append(esc(relative(src))).append("\" alt=\"").append(esc(caption))
        .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
  }

  private static String caption(String png) {
    return switch (png) {
      case RoundPlots.LOSS -> "Training loss: mean loss of the accepted tasks per round";
      case RoundPlots.COMPLETION_CDF -> "Task completion time within the round, accepted and dropped tasks";
      default -> png;
    };
  }

  private static StringBuilder head(String title) {
    return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc(title)).append(" - neurolake</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
  }

  /** A relative URL for a file name: percent-encoded where a path needs it. */
  private static String relative(String path) {
    try {
      return new URI(null, null, path, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a usable file name for a link: " + path, e);
    }
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "-" : String.join(", ", items);
  }

  static String esc(String s) {
    return StringEscapeUtils.escapeHtml4(s);
  }
}
