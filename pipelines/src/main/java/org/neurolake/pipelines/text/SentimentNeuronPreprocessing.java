package org.neurolake.pipelines.text;

import java.nio.charset.StandardCharsets;

/**
 * The text preprocessing of Radford, Jozefowicz and Sutskever's released sentiment-neuron encoder
 * ({@code encoder.py: preprocess}): HTML-unescape, newlines to spaces, strip, prepend
 * {@code "\n "}, append {@code " "}, encode as UTF-8.
 *
 * <p>It is written as the plain chain of String operations on purpose: on compact (Latin-1)
 * strings the JDK's intrinsics run it at ~700 MB/s per core, where a hand-written one-pass UTF-8
 * encoder measured 165 MB/s. Each step returns its input unchanged when there is nothing to do.
 *
 * <p>Differences from Python's {@code html.unescape} and {@code str.strip}: entities are those of
 * HTML 4 plus {@code &apos;} ({@link HtmlUnescaper}), and stripping removes Java whitespace
 * ({@link Character#isWhitespace}), which excludes U+00A0.
 */
public final class SentimentNeuronPreprocessing implements TextTransform {
  public static final String FRONT_PAD = "\n ";
  public static final String END_PAD = " ";

  @Override
  public byte[] apply(String text) {
    String s = HtmlUnescaper.unescape(text).replace('\n', ' ').strip();
    return (FRONT_PAD + s + END_PAD).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return "sentiment-neuron";
  }
}
