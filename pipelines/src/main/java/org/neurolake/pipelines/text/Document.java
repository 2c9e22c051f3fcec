package org.neurolake.pipelines.text;

/** A parsed document, before it becomes a row of {@code documents}. */
public record Document(String docId, Split split, byte[] textBytes, Double rating, Integer label) {}
