package org.neurolake.model.lfads;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter tensor sits in the flat parameter vector of an {@link LfadsModel}. The order
 * depends only on the spec's sizes. Matrices are row-major {@code rows x cols} and multiply from
 * the right ({@code y = x W + b}). GRU blocks per cell {@code P}: {@code P/wx} (inputs to the
 * r, u, c pre-activations, absent without inputs), {@code P/wh_ru} and {@code P/b_ru} (state to r,
 * u), {@code P/wh_c} and {@code P/b_c} (reset state to the candidate), and for the encoders and the
 * controller a learnable initial state {@code P/h0}.
 *
 * <p>Blocks: {@code ic_enc_fwd/*}, {@code ic_enc_bwd/*}, {@code g0_post/w} (2E x 2Z: mean columns
 * then log-variance columns) and {@code g0_post/b}, {@code g0_prior/mean}, {@code g0_prior/logvar},
 * {@code g0_to_gen/w}, {@code g0_to_gen/b}, {@code gen/*}, {@code factors/w} (before the per-factor
 * normalization), {@code readout/w}, {@code readout/b}; with the controller also {@code ci_enc_fwd/*},
 * {@code ci_enc_bwd/*}, {@code con/*} (inputs: forward encoder, backward encoder, previous factors),
 * {@code u_post/w}, {@code u_post/b} (mean columns then log-variance columns),
 * {@code u_prior/log_tau}, {@code u_prior/log_noise_var}.
 */
public final class ParameterLayout {
  /** A named tensor: {@code rows x cols} values from {@code offset}. */
  public record Block(String name, int offset, int rows, int cols) {
    public int size() {
      return rows * cols;
    }
  }

  private final Map<String, Block> blocks;
  private final int size;

  public ParameterLayout(LfadsSpec s) {
    this(s.nIn(), s.nOut(), s.icEncDim(), s.g0Dim(), s.genDim(), s.factors(), s.ciEncDim(), s.controllerDim(),
        s.inputDim());
  }

  private ParameterLayout(int nIn, int nOut, int icEnc, int g0, int gen, int factors, int ciEnc, int con, int u) {
    List<long[]> dims = new ArrayList<>();
    List<String> names = new ArrayList<>();
    gru(names, dims, "ic_enc_fwd", nIn, icEnc, true);
    gru(names, dims, "ic_enc_bwd", nIn, icEnc, true);
    add(names, dims, "g0_post/w", 2L * icEnc, 2L * g0);
    add(names, dims, "g0_post/b", 1, 2L * g0);
    add(names, dims, "g0_prior/mean", 1, g0);
    add(names, dims, "g0_prior/logvar", 1, g0);
    add(names, dims, "g0_to_gen/w", g0, gen);
    add(names, dims, "g0_to_gen/b", 1, gen);
    gru(names, dims, "gen", u, gen, false);
    add(names, dims, "factors/w", gen, factors);
    add(names, dims, "readout/w", factors, nOut);
    add(names, dims, "readout/b", 1, nOut);
    if (con > 0) {
      gru(names, dims, "ci_enc_fwd", nIn, ciEnc, true);
      gru(names, dims, "ci_enc_bwd", nIn, ciEnc, true);
      gru(names, dims, "con", 2L * ciEnc + factors, con, true);
      add(names, dims, "u_post/w", con, 2L * u);
      add(names, dims, "u_post/b", 1, 2L * u);
      add(names, dims, "u_prior/log_tau", 1, u);
      add(names, dims, "u_prior/log_noise_var", 1, u);
    }
    long total = 0;
    for (long[] d : dims) {
      total += d[0] * d[1];
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("model too large: " + total + " parameters");
    }
    Map<String, Block> map = new LinkedHashMap<>();
    int offset = 0;
    for (int i = 0; i < names.size(); i++) {
      Block b = new Block(names.get(i), offset, (int) dims.get(i)[0], (int) dims.get(i)[1]);
      map.put(b.name(), b);
      offset += b.size();
    }
    this.blocks = Collections.unmodifiableMap(map);
    this.size = offset;
  }

  private static void gru(List<String> names, List<long[]> dims, String prefix, long in, long h, boolean h0) {
    if (in > 0) {
      add(names, dims, prefix + "/wx", in, 3 * h);
    }
    add(names, dims, prefix + "/wh_ru", h, 2 * h);
    add(names, dims, prefix + "/b_ru", 1, 2 * h);
    add(names, dims, prefix + "/wh_c", h, h);
    add(names, dims, prefix + "/b_c", 1, h);
    if (h0) {
      add(names, dims, prefix + "/h0", 1, h);
    }
  }

  private static void add(List<String> names, List<long[]> dims, String name, long rows, long cols) {
    names.add(name);
    dims.add(new long[] {rows, cols});
  }

  /** Total parameters for these sizes (what {@link LfadsSpec#parameterCount()} reports). */
  static long count(int nIn, int nOut, int icEnc, int g0, int gen, int factors, int ciEnc, int con, int u) {
    long n = 0;
    n += 2 * gruCount(nIn, icEnc, true);
    n += 2L * icEnc * 2 * g0 + 2L * g0 + 2L * g0;
    n += (long) g0 * gen + gen;
    n += gruCount(u, gen, false);
    n += (long) gen * factors + (long) factors * nOut + nOut;
    if (con > 0) {
      n += 2 * gruCount(nIn, ciEnc, true);
      n += gruCount(2L * ciEnc + factors, con, true);
      n += (long) con * 2 * u + 2L * u + 2L * u;
    }
    return n;
  }

  private static long gruCount(long in, long h, boolean h0) {
    return in * 3 * h + h * 2 * h + 2 * h + h * h + h + (h0 ? h : 0);
  }

  public List<Block> blocks() {
    return List.copyOf(blocks.values());
  }

  /** The block called {@code name}; fails naming the unknown block. */
  public Block block(String name) {
    Block b = blocks.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no parameter block " + name + "; blocks: " + blocks.keySet());
    }
    return b;
  }

  public boolean has(String name) {
    return blocks.containsKey(name);
  }

  public int size() {
    return size;
  }
}
