package org.neurolake.pipelines.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SentimentNeuronPreprocessingTest {
  private final SentimentNeuronPreprocessing p = new SentimentNeuronPreprocessing();

  private String run(String s) {
    return new String(p.apply(s), StandardCharsets.UTF_8);
  }

  @Test
  void padsFrontWithNewlineSpaceAndBackWithSpace() {
    assertEquals("\n great movie ", run("great movie"));
  }

  @Test
  void unescapesHtmlEntitiesIncludingNumericAndApos() {
    assertEquals("\n a & b < c \"d\" 'e' 'f' é ", run("a &amp; b &lt; c &quot;d&quot; &#39;e&#39; &apos;f&apos; &eacute;"));
  }

  @Test
  void newlinesBecomeSpacesThenStrips() {
    assertEquals("\n line one  line two ", run("  line one\n\nline two\n  "));
  }

  @Test
  void keepsBrTagsAsThePaperDoes() {
    // The released encoder does not strip IMDB's <br /> markup.
    assertEquals("\n a<br /><br />b ", run("a<br /><br />b"));
  }

  @Test
  void encodesUtf8() {
    byte[] expected = "\n naïve café ".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, p.apply("naïve café"));
    assertEquals(15, expected.length);
  }

  @Test
  void unescapeHappensBeforeNewlineReplacement() {
    assertEquals("\n a b ", run("a&#10;b"));
  }
}
