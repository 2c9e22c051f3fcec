package org.neurolake.model.lm;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch as the network reads it, time-major: position q = t * rows + b is step t of row b.
 *
 * @param ids input word ids (length steps x rows)
 * @param chars with the character CNN: each input word's characters, [q * maxWordLength + k]; else null
 * @param targets the next word's id at each position (padding: any valid id)
 * @param mask [steps x rows, 1]: 1 where a prediction counts, 0 for padding
 * @param count the number of positions that count
 */
public record Window(int rows, int steps, int[] ids, int[] chars, int[] targets, INDArray mask, int count) {
  public int positions() {
    return rows * steps;
  }
}
