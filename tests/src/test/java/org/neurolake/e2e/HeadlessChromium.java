package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens local HTML pages in headless Chromium (Debian's {@code chromium}, /usr/bin/chromium or
 * $CHROMIUM). Without it the calling test is skipped, unless REQUIRE_BROWSER=1 (as .ci/run sets,
 * after installing it), where that is a failure.
 */
final class HeadlessChromium {
  private HeadlessChromium() {}

  private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");
  private static final Pattern ATTR = Pattern.compile("\\b(src|data-loaded)=\"([^\"]*)\"");
  private static final Pattern CHECKED = Pattern.compile("data-images-checked=\"(\\d+)\"");
  /** Runs after the page's load event, when every image has loaded or failed. */
  private static final String MARK_IMAGES = "<script>window.addEventListener('load', () => {"
      + " for (const img of document.images) { img.setAttribute('data-loaded',"
      + " img.complete && img.naturalWidth > 0 ? 'yes' : 'no'); }"
      + " document.body.setAttribute('data-images-checked', String(document.images.length)); });</script>";

  static Path binary() {
    String env = System.getenv("CHROMIUM");
    Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    if (!Files.isExecutable(p)) {
      String msg = "headless Chromium is missing at " + p + " (apt-get install -y chromium)";
      if ("1".equals(System.getenv("REQUIRE_BROWSER"))) {
        throw new IllegalStateException(msg + " and REQUIRE_BROWSER=1");
      }
      Assumptions.abort(msg);
    }
    return p;
  }

  /**
   * Each {@code <img>} of {@code page} (by src, in page order) and whether Chromium loaded it
   * (naturalWidth > 0). The page is opened as a copy beside it, with a script that marks its images
   * once the page has loaded, so that relative image paths resolve as in the page itself.
   */
  static Map<String, Boolean> images(Path page) throws IOException, InterruptedException {
    Path copy = page.resolveSibling(".imagecheck-" + UUID.randomUUID() + ".html");
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertTrue(html.contains("</body>"), page + " has a body");
    Files.writeString(copy, html.replace("</body>", MARK_IMAGES + "</body>"), StandardCharsets.UTF_8);
    try {
      String dom = run(List.of("--virtual-time-budget=10000", "--dump-dom", copy.toUri().toString()));
      Matcher checked = CHECKED.matcher(dom);
      assertTrue(checked.find(), "the check script ran in " + page + ":\n" + dom);
      Map<String, Boolean> images = new LinkedHashMap<>();
      Matcher img = IMG.matcher(dom);
      while (img.find()) {
        Map<String, String> attrs = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(img.group());
        while (a.find()) {
          attrs.put(a.group(1), a.group(2));
        }
        images.put(attrs.get("src"), "yes".equals(attrs.get("data-loaded")));
      }
      assertEquals(Integer.parseInt(checked.group(1)), images.size(), "every image was checked: " + dom);
      return images;
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /** A PNG screenshot of {@code page}, for a person to look at. */
  static void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png,
        page.toUri().toString()));
    assertTrue(Files.size(png) > 0, png + " written");
  }

  private static String run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory("chromium")));
    cmd.addAll(args);
    Path err = Files.createTempFile("chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium timed out: " + cmd);
    assertEquals(0, p.exitValue(), "chromium failed: " + cmd + "\n" + Files.readString(err));
    return out;
  }
}
