package org.neurolake.model.lm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of the LSTM language model's parameters in its flat vector: named groups, each a
 * row-major [rows, cols] matrix (biases are [1, cols], the softmax bias [V, 1] so that its rows
 * are word ids like the softmax weights'). Row-sparse groups (the word embedding, the softmax
 * weights and bias) get gradients on the rows a batch touches only.
 *
 * <p>Order: the input (word {@code embedding} [V, E]; or {@code char_embedding} [259, C],
 * {@code conv<w>_kernel} [w C, F_w] and {@code conv<w>_bias} per width, {@code highway<j>_wh},
 * {@code _bh}, {@code _wt}, {@code _bt} per highway layer, {@code input_projection} [S, E] and
 * {@code input_projection_bias}), then per layer l {@code lstm<l>_wx} [I, 4H], {@code lstm<l>_wr}
 * [R, 4H] (gates i, f, o, g), {@code lstm<l>_bias} [1, 4H] and, with P > 0,
 * {@code lstm<l>_projection} [H, P]; then {@code softmax_weights} [V, R] and {@code softmax_bias}
 * [V, 1]. R = P if P > 0, else H.
 */
public final class ParameterLayout {
  /** One group: {@code rows x cols} values from {@code offset}. */
  public record Group(String name, int offset, int rows, int cols, boolean rowSparse) {
    public int size() {
      return rows * cols;
    }

    public int end() {
      return offset + size();
    }
  }

  private final Map<String, Group> groups;
  private final long size;

  private ParameterLayout(Map<String, Group> groups, long size) {
    this.groups = groups;
    this.size = size;
  }

  static ParameterLayout of(int vocab, LstmLmSpec.InputKind input, int embedding, CharCnn cnn, int layers, int hidden,
      int projection) {
    Builder b = new Builder();
    if (input == LstmLmSpec.InputKind.WORD) {
      b.add("embedding", vocab, embedding, true);
    } else {
      b.add("char_embedding", CharCnn.CHAR_VOCABULARY, cnn.charEmbedding(), false);
      for (int i = 0; i < cnn.widths().size(); i++) {
        int w = cnn.widths().get(i);
        b.add(convKernel(i, w), w * cnn.charEmbedding(), cnn.filters().get(i), false);
        b.add(convBias(i, w), 1, cnn.filters().get(i), false);
      }
      int s = cnn.pooledWidth();
      for (int j = 0; j < cnn.highwayLayers(); j++) {
        b.add("highway" + j + "_wh", s, s, false);
        b.add("highway" + j + "_bh", 1, s, false);
        b.add("highway" + j + "_wt", s, s, false);
        b.add("highway" + j + "_bt", 1, s, false);
      }
      b.add("input_projection", s, embedding, false);
      b.add("input_projection_bias", 1, embedding, false);
    }
    int out = projection > 0 ? projection : hidden;
    for (int l = 0; l < layers; l++) {
      b.add("lstm" + l + "_wx", l == 0 ? embedding : out, 4 * hidden, false);
      b.add("lstm" + l + "_wr", out, 4 * hidden, false);
      b.add("lstm" + l + "_bias", 1, 4 * hidden, false);
      if (projection > 0) {
        b.add("lstm" + l + "_projection", hidden, projection, false);
      }
    }
    b.add("softmax_weights", vocab, out, true);
    b.add("softmax_bias", vocab, 1, true);
    return new ParameterLayout(b.groups, b.offset);
  }

  /** Convolution i has width w; the name carries both so that two equal widths stay distinct. */
  static String convKernel(int i, int w) {
    return "conv" + i + "w" + w + "_kernel";
  }

  static String convBias(int i, int w) {
    return "conv" + i + "w" + w + "_bias";
  }

  /** A builder of another model's layout, groups added in order (for models reusing this package's layers). */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds groups in order; {@link #build()} fixes the layout. */
  public static final class Builder {
    final Map<String, Group> groups = new LinkedHashMap<>();
    long offset;

    public ParameterLayout build() {
      return new ParameterLayout(new LinkedHashMap<>(groups), offset);
    }

    public void add(String name, int rows, int cols, boolean rowSparse) {
      if (offset + (long) rows * cols > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("model too large: more than 2^31 parameters at group " + name);
      }
      groups.put(name, new Group(name, (int) offset, rows, cols, rowSparse));
      offset += (long) rows * cols;
    }
  }

  public Group group(String name) {
    Group g = groups.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no parameter group '" + name + "' (groups: " + groups.keySet() + ")");
    }
    return g;
  }

  public List<Group> groups() {
    return new ArrayList<>(groups.values());
  }

  public long size() {
    return size;
  }
}
