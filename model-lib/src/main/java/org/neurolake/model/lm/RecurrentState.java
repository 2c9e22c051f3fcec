package org.neurolake.model.lm;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Every layer's (c, r) for each row: c [rows, H], r [rows, R] (r = the projected h, or h). */
record RecurrentState(INDArray[] c, INDArray[] r) {
  int rows() {
    return (int) c[0].size(0);
  }

  /** This state with every array moved out of the workspace it was computed in (as is when in none). */
  RecurrentState detach() {
    INDArray[] c2 = new INDArray[c.length];
    INDArray[] r2 = new INDArray[r.length];
    for (int l = 0; l < c.length; l++) {
      c2[l] = c[l].detach();
      r2[l] = r[l].detach();
    }
    return new RecurrentState(c2, r2);
  }

  RecurrentState dup() {
    INDArray[] c2 = new INDArray[c.length];
    INDArray[] r2 = new INDArray[r.length];
    for (int l = 0; l < c.length; l++) {
      c2[l] = c[l].dup('c');
      r2[l] = r[l].dup('c');
    }
    return new RecurrentState(c2, r2);
  }
}
