package org.neurolake.pipelines.odm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.neurolake.pipelines.quarantine.BadInputException;

/**
 * Builds the two ODM tasks of "Towards Principled Unsupervised Learning" from real text:
 * <ul>
 *   <li>{@link #digits}: the text's 10 most frequent letters map, by rank, to digits 0-9 (other
 *       characters are dropped), so the digit sequence has the text's sequential statistics; each
 *       digit of the input sequence is replaced by a random training image of its class. The input
 *       sequence comes from the first half of the text, the label sequence from the second half
 *       (independent of the inputs); a {@code testFraction} of the images is held out and never
 *       appears in the input sequence.</li>
 *   <li>{@link #cipher}: the text's characters under a random permutation; inputs are one-hot cipher
 *       symbols of the first half, labels the plain characters of the second half, test the
 *       enciphered held-out text, alphabet one example per symbol.</li>
 * </ul>
 * Everything is a function of the inputs and the seed.
 */
public final class OdmTasks {
  private OdmTasks() {}

  /** A text file (gzip if it ends in .gz), its lines joined by single spaces. */
  public static String readText(Path file) {
    StringBuilder sb = new StringBuilder();
    try (InputStream raw = Files.newInputStream(file);
        BufferedReader r = new BufferedReader(new InputStreamReader(
            file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        sb.append(line.strip()).append(' ');
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read text " + file + ": " + e.getMessage(), e);
    }
    if (sb.length() == 0) {
      throw new BadInputException(file + " holds no text");
    }
    return sb.toString();
  }

  /** The text's {@code n} most frequent letters (lowercased a-z), most frequent first; ties by letter. */
  public static char[] topLetters(String text, int n) {
    long[] counts = new long[26];
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if (c >= 'a' && c <= 'z') {
        counts[c - 'a']++;
      }
    }
    Integer[] order = new Integer[26];
    for (int i = 0; i < 26; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
    char[] top = new char[n];
    for (int i = 0; i < n; i++) {
      if (counts[order[i]] == 0) {
        throw new BadInputException("the text has fewer than " + n + " distinct letters");
      }
      top[i] = (char) ('a' + order[i]);
    }
    return top;
  }

  /** The digit sequence of {@code text}: letter of rank r → digit r, other characters dropped. */
  public static int[] digitSequence(String text, char[] letters) {
    int[] map = new int[26];
    Arrays.fill(map, -1);
    for (int r = 0; r < letters.length; r++) {
      map[letters[r] - 'a'] = r;
    }
    int[] out = new int[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if (c >= 'a' && c <= 'z' && map[c - 'a'] >= 0) {
        out[n++] = map[c - 'a'];
      }
    }
    return Arrays.copyOf(out, n);
  }

  public static OdmTask digits(String text, DigitImages images, int positions, double testFraction, long seed) {
    if (positions < 1 || !(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("need positions >= 1 and testFraction in (0, 1), got " + positions + ", "
          + testFraction);
    }
    int[] sequence = digitSequence(text, topLetters(text, DigitImages.CLASSES));
    int half = sequence.length / 2;
    if (half < positions) {
      throw new BadInputException("the text gives " + sequence.length + " digits, fewer than 2 x " + positions
          + " positions (inputs and labels)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = shuffled(images.size(), random);
    int nTest = (int) Math.round(images.size() * testFraction);
    List<List<Integer>> pool = new ArrayList<>();
    for (int d = 0; d < DigitImages.CLASSES; d++) {
      pool.add(new ArrayList<>());
    }
    for (int i = nTest; i < order.length; i++) {
      pool.get(images.digits()[order[i]]).add(order[i]);
    }
    for (int d = 0; d < DigitImages.CLASSES; d++) {
      if (pool.get(d).isEmpty()) {
        throw new BadInputException("no training image of digit " + d + " is left after holding out the test images");
      }
    }
    int px = DigitImages.PIXELS;
    float[] inputs = new float[positions * px];
    int[] inputClasses = Arrays.copyOf(sequence, positions);
    for (int t = 0; t < positions; t++) {
      List<Integer> candidates = pool.get(inputClasses[t]);
      int image = candidates.get(random.nextInt(candidates.size()));
      System.arraycopy(images.pixels(), image * px, inputs, t * px, px);
    }
    int[] labels = Arrays.copyOfRange(sequence, half, half + positions);
    float[] test = new float[nTest * px];
    int[] testClasses = new int[nTest];
    for (int i = 0; i < nTest; i++) {
      System.arraycopy(images.pixels(), order[i] * px, test, i * px, px);
      testClasses[i] = images.digits()[order[i]];
    }
    return new OdmTask(px, DigitImages.CLASSES, inputs, inputClasses, labels, test, testClasses, new float[0],
        new int[0]);
  }

  public static OdmTask cipher(String text, String testText, int positions, int testPositions, long seed) {
    TreeSet<Character> chars = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) {
      chars.add(text.charAt(i));
    }
    TreeMap<Character, Integer> plainId = new TreeMap<>();
    for (char c : chars) {
      plainId.put(c, plainId.size());
    }
    int a = plainId.size();
    if (a < 2 || text.length() / 2 < positions) {
      throw new BadInputException("the cipher text needs >= 2 symbols and 2 x " + positions + " characters, has " + a
          + " symbols and " + text.length() + " characters");
    }
    int[] key = shuffled(a, new SplittableRandom(seed)); // plain id p is enciphered as key[p]
    int half = text.length() / 2;
    float[] inputs = new float[positions * a];
    int[] inputClasses = new int[positions];
    for (int t = 0; t < positions; t++) {
      int p = plainId.get(text.charAt(t));
      inputClasses[t] = p;
      inputs[t * a + key[p]] = 1f;
    }
    int[] labels = new int[positions];
    for (int t = 0; t < positions; t++) {
      labels[t] = plainId.get(text.charAt(half + t));
    }
    int[] testPlain = testText.chars().filter(c -> plainId.containsKey((char) c)).limit(testPositions)
        .map(c -> plainId.get((char) c)).toArray();
    float[] test = new float[testPlain.length * a];
    for (int t = 0; t < testPlain.length; t++) {
      test[t * a + key[testPlain[t]]] = 1f;
    }
    float[] alphabet = new float[a * a];
    int[] alphabetClasses = new int[a];
    for (int p = 0; p < a; p++) {
      alphabet[p * a + key[p]] = 1f;
      alphabetClasses[p] = p;
    }
    return new OdmTask(a, a, inputs, inputClasses, labels, test, testPlain, alphabet, alphabetClasses);
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
