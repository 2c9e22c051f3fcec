package org.neurolake.pipelines.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.apache.commons.text.StringEscapeUtils;
import org.junit.jupiter.api.Test;

class HtmlUnescaperTest {
  @Test
  void decodesNamedNumericAndHexReferences() {
    assertEquals("a & b <c> \"d\" 'e' 'f' é € ' ' 😀",
        HtmlUnescaper.unescape("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#39;f&#39; &eacute; &euro; &#x27; &#X27; &#128512;"));
  }

  @Test
  void keepsAmpersandsThatStartNoReference() {
    assertEquals("AT&T & co &nosuch; &#xZZ; &#; &; &", HtmlUnescaper.unescape("AT&T & co &nosuch; &#xZZ; &#; &; &"));
  }

  @Test
  void keepsOutOfRangeCodePointsWhereCommonsTextWouldThrow() {
    // commons-text's unescapeHtml4 throws IllegalArgumentException here, which would fail a whole task.
    assertEquals("&#1114112; ok", HtmlUnescaper.unescape("&#1114112; ok"));
  }

  @Test
  void returnsTheSameStringWhenThereIsNothingToDo() {
    String s = "no entities here";
    assertSame(s, HtmlUnescaper.unescape(s));
  }

  @Test
  void agreesWithCommonsTextOnRandomEntitySoup() {
    String[] parts = {"&amp;", "&lt;", "&quot;", "&#39;", "&#x41;", "&eacute;", "&nbsp;", "&hellip;", "&", ";", "x",
        " ", "&amp", "&#", "&zz;", "<br />", "é"};
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 12; k++) {
        sb.append(parts[r.nextInt(parts.length)]);
      }
      String s = sb.toString();
      String expected = StringEscapeUtils.unescapeHtml4(s).replace("&apos;", "'");
      assertEquals(expected, HtmlUnescaper.unescape(s), s);
    }
  }
}
