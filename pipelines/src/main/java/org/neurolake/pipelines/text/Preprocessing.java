package org.neurolake.pipelines.text;

/** The named text transforms a job can apply. */
public enum Preprocessing {
  SENTIMENT_NEURON(new SentimentNeuronPreprocessing()),
  NONE(TextTransform.IDENTITY);

  private final TextTransform transform;

  Preprocessing(TextTransform transform) {
    this.transform = transform;
  }

  public TextTransform transform() {
    return transform;
  }
}
