package org.neurolake.pipelines.text;

/** Field layouts of the corpora this project knows; each can be overridden field by field. */
public enum CorpusPreset {
  /** aclImdb as JSON lines: {@code {"split","id","rating","label","text"}}. */
  IMDB(TextFormat.JSONL, "text", "rating", "label", "split"),
  /** Blitzer et al. multi-domain Amazon reviews as JSON lines. */
  AMAZON(TextFormat.JSONL, "review_text", "rating", "label", null),
  /** SST binary sentences: CSV {@code label,sentence}; splits come from the file names. */
  SST2(TextFormat.CSV, "sentence", null, "label", null),
  /** One document per line, nothing else. */
  PLAIN(TextFormat.TEXT, null, null, null, null);

  public final TextFormat format;
  public final String textField;
  public final String ratingField;
  public final String labelField;
  public final String splitField;

  CorpusPreset(TextFormat format, String textField, String ratingField, String labelField, String splitField) {
    this.format = format;
    this.textField = textField;
    this.ratingField = ratingField;
    this.labelField = labelField;
    this.splitField = splitField;
  }
}
