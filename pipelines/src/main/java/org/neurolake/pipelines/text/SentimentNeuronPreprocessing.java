package org.neurolake.pipelines.text;

import java.nio.charset.StandardCharsets;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The text preprocessing of Radford, Jozefowicz and Sutskever's released sentiment-neuron encoder
 * ({@code encoder.py: preprocess}): HTML-unescape, newlines to spaces, strip, prepend
 * {@code "\n "}, append {@code " "}, encode as UTF-8.
 *
 * <p>Differences from Python's {@code html.unescape} and {@code str.strip}: entities are those of
 * HTML 4 plus {@code &apos;} (commons-text), and stripping removes Java whitespace
 * ({@link Character#isWhitespace}), which excludes U+00A0. Reviews in the paper's corpora are
 * unaffected in practice; the tests pin the behaviour.
 */
public final class SentimentNeuronPreprocessing implements TextTransform {
  public static final String FRONT_PAD = "\n ";
  public static final String END_PAD = " ";

  @Override
  public byte[] apply(String text) {
    String s = text.indexOf('&') >= 0 ? unescapeHtml(text) : text;
    s = s.replace('\n', ' ').strip();
    return (FRONT_PAD + s + END_PAD).getBytes(StandardCharsets.UTF_8);
  }

  static String unescapeHtml(String text) {
    return StringEscapeUtils.unescapeHtml4(text).replace("&apos;", "'");
  }

  @Override
  public String name() {
    return "sentiment-neuron";
  }
}
