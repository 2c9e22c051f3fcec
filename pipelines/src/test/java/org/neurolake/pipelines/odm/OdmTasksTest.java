package org.neurolake.pipelines.odm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OdmTasksTest {
  /** 30 tiny "images": image i is all (i + 1) / 100, digit i mod 10. */
  private static DigitImages images() {
    float[] px = new float[30 * DigitImages.PIXELS];
    int[] d = new int[30];
    for (int i = 0; i < 30; i++) {
      Arrays.fill(px, i * DigitImages.PIXELS, (i + 1) * DigitImages.PIXELS, (i + 1) / 100f);
      d[i] = i % 10;
    }
    return new DigitImages(px, d);
  }

  private static final String TEXT = "the rain in spain stays mainly on the plain, so the old heron said: "
      .repeat(40);

  @Test
  void lettersMapByFrequencyRankAndOtherCharactersAreDropped() {
    char[] top = OdmTasks.topLetters("aaa bb c", 3);
    assertArrayEquals(new char[] {'a', 'b', 'c'}, top);
    assertArrayEquals(new int[] {1, 0, 2, 0}, OdmTasks.digitSequence("B, a! c? zA", top));
  }

  @Test
  void inputsShowImagesOfTheirDigitsAndNeverATestImage() {
    OdmTask t = OdmTasks.digits(TEXT, images(), 200, 0.2, 3);
    assertEquals(6, t.testClasses().length);
    Set<Float> testImages = new HashSet<>();
    for (int i = 0; i < t.testClasses().length; i++) {
      testImages.add(t.testFeatures()[i * DigitImages.PIXELS]);
    }
    for (int p = 0; p < 200; p++) {
      float v = t.inputs()[p * DigitImages.PIXELS];
      int image = Math.round(v * 100) - 1;
      assertEquals(t.inputClasses()[p], image % 10, "position " + p + " shows an image of another digit");
      assertFalse(testImages.contains(v), "position " + p + " shows test image " + image);
    }
    // The label sequence is the second half of the text, not the inputs' classes.
    int[] seq = OdmTasks.digitSequence(TEXT, OdmTasks.topLetters(TEXT, 10));
    assertArrayEquals(Arrays.copyOfRange(seq, seq.length / 2, seq.length / 2 + 200), t.labels());
  }

  @Test
  void cipherIsAPermutationAndTheAlphabetDecodesIt() {
    OdmTask t = OdmTasks.cipher(TEXT, "the old plain", 100, 50, 4);
    int a = t.nIn();
    Set<Integer> cipherSymbols = new HashSet<>();
    for (int p = 0; p < a; p++) {
      int hot = -1;
      for (int d = 0; d < a; d++) {
        hot = t.alphabetFeatures()[p * a + d] == 1f ? d : hot;
      }
      cipherSymbols.add(hot);
    }
    assertEquals(a, cipherSymbols.size(), "two plain symbols share a cipher symbol");
    assertEquals("the old plain".length(), t.testClasses().length);
    assertTrue(a < 30);
  }
}
