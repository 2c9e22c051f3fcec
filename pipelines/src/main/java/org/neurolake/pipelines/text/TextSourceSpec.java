package org.neurolake.pipelines.text;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * What to ingest as one source of {@code documents}: its name (the partition), its format and
 * field names, how records get their split, and the preprocessing. Build with {@link #builder}.
 */
public record TextSourceSpec(
    String source,
    TextFormat format,
    String textField,
    String ratingField,
    String labelField,
    String splitField,
    Preprocessing preprocessing,
    HashSplitter hashSplitter,
    List<TextInput> inputs,
    String charset) implements Serializable {
  /** The inputs' encoding unless told otherwise. */
  public static final String DEFAULT_CHARSET = "UTF-8";

  public TextSourceSpec {
    inputs = List.copyOf(inputs);
  }

  /** The inputs' encoding (a name, since {@link Charset} is not serializable). */
  public Charset inputCharset() {
    return Charset.forName(charset);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String source;
    private TextFormat format;
    private String textField;
    private String ratingField;
    private String labelField;
    private String splitField;
    private Preprocessing preprocessing = Preprocessing.SENTIMENT_NEURON;
    private HashSplitter hashSplitter = HashSplitter.DEFAULT;
    private final List<TextInput> inputs = new ArrayList<>();
    private String charset = DEFAULT_CHARSET;

    public Builder preset(CorpusPreset p) {
      format = p.format;
      textField = p.textField;
      ratingField = p.ratingField;
      labelField = p.labelField;
      splitField = p.splitField;
      return this;
    }

    public Builder source(String v) { source = v; return this; }
    public Builder format(TextFormat v) { format = v; return this; }
    public Builder textField(String v) { textField = v; return this; }
    public Builder ratingField(String v) { ratingField = v; return this; }
    public Builder labelField(String v) { labelField = v; return this; }
    public Builder splitField(String v) { splitField = v; return this; }
    public Builder preprocessing(Preprocessing v) { preprocessing = v; return this; }
    public Builder hashSplitter(HashSplitter v) { hashSplitter = v; return this; }
    public Builder input(TextInput v) { inputs.add(v); return this; }
    public Builder charset(String v) { charset = v; return this; }

    public TextSourceSpec build() {
      PartitionKey.requireSafe(source);
      if (format == null) {
        throw new IllegalArgumentException("format is required (or a preset)");
      }
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("at least one input is required");
      }
      Charset cs = lineCharset(charset);
      if (format == TextFormat.TEXT) {
        if (ratingField != null || labelField != null || splitField != null) {
          throw new IllegalArgumentException("plain text has no fields: rating/label/split fields cannot be set");
        }
      } else if (textField == null || textField.isBlank()) {
        throw new IllegalArgumentException("text field is required for " + format);
      }
      if (preprocessing == null || hashSplitter == null) {
        throw new IllegalArgumentException("preprocessing and hash splitter are required");
      }
      if (splitField != null && inputs.stream().anyMatch(i -> i.split() != null)) {
        throw new IllegalArgumentException("a split field and per-input splits exclude each other");
      }
      if (labelField != null && inputs.stream().anyMatch(i -> i.label() != null)) {
        throw new IllegalArgumentException("a label field ('" + labelField + "') and per-input labels exclude each"
            + " other");
      }
      return new TextSourceSpec(source, format, textField, ratingField, labelField, splitField,
          preprocessing, hashSplitter, inputs, cs.name());
    }

    /**
     * A supported charset in which a line break is the single byte '\n' (and '\r' is 13), since
     * Hadoop cuts lines on those bytes: UTF-8, ISO-8859-1, windows-1252 and the like, not UTF-16.
     */
    private static Charset lineCharset(String name) {
      Charset cs;
      try {
        cs = Charset.forName(java.util.Objects.requireNonNull(name, "charset"));
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        throw new IllegalArgumentException("unknown or unsupported charset '" + name + "'", e);
      }
      if (!cs.canEncode() || !Arrays.equals("\n\r".getBytes(cs), new byte[] {'\n', '\r'})) {
        throw new IllegalArgumentException("charset " + cs.name() + " does not write a line break as the byte '\\n';"
            + " the inputs are read line by line (use UTF-8, ISO-8859-1, windows-1252 or similar)");
      }
      return cs;
    }
  }
}
