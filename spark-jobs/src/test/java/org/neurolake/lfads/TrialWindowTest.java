package org.neurolake.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurolake.train.RunOptions;

/** The window's options and where it falls in a trial, at the edges. */
class TrialWindowTest {
  private static final TrialWindow GO = TrialWindow.parse("go_ms", "-20:30");

  @Test
  void optionsParseAndTheDefaultIsTheWholeTrial() {
    assertEquals(TrialWindow.WHOLE, TrialWindow.from(new RunOptions(Map.of(), Map.of(), Map.of())));
    assertTrue(TrialWindow.WHOLE.isWhole());
    assertEquals(new TrialWindow("move_onset_ms", -250.0, 450.0), TrialWindow.from(new RunOptions(Map.of(), Map.of(),
        Map.of("align", "move_onset_ms", "window-ms", " -250 : 450 "))));
    assertEquals(5, GO.nBins(10));
  }

  @Test
  void badOptionsNameTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TrialWindow.parse("go_ms", null)).getMessage()
        .contains("data.align = go_ms needs data.window-ms"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TrialWindow.parse("start", "100"))
        .getMessage().contains("is not FROM:TO in ms"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TrialWindow.parse("start", "50:50"))
        .getMessage().contains("must be FROM:TO ms with FROM < TO"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TrialWindow.parse("start", "0:25").nBins(10))
        .getMessage().contains("not a whole number of 10.0 ms bins"));
  }

  @Test
  void windowsNearTheStartAndTheEnd() {
    // A trial of 10 bins of 10 ms (100 ms); the window is 5 bins from 20 ms before the event.
    assertEquals(0, GO.place(10, 10, Map.of("go_ms", "20")).firstBin(), "starts exactly at the trial's start");
    TrialWindow.Placement early = GO.place(10, 10, Map.of("go_ms", "19"));
    assertFalse(early.fits());
    assertEquals("window starts at -1.0 ms, before the trial's start", early.outside());
    assertEquals(5, GO.place(10, 10, Map.of("go_ms", "70")).firstBin(), "ends exactly at the trial's end");
    TrialWindow.Placement late = GO.place(10, 10, Map.of("go_ms", "80"));
    assertFalse(late.fits());
    assertTrue(late.outside().startsWith("window ends at bin 11 (110.0 ms), after the trial's 10 bins"),
        late.outside());
    assertEquals(2, GO.place(10, 10, Map.of("go_ms", "47.5")).firstBin(), "27.5 ms is in bin 2");
    assertEquals(3, TrialWindow.parse("start", "30:60").place(10, 10, null).firstBin());
    assertFalse(TrialWindow.parse("start", "30:110").place(10, 10, null).fits());
  }

  @Test
  void trialsWithoutAUsableEventAreLeftOutWithTheReason() {
    assertEquals("has no go_ms in trial_info", GO.place(10, 10, Map.of("other", "1")).outside());
    assertEquals("has no go_ms in trial_info", GO.place(10, 10, null).outside());
    assertEquals("has no go_ms in trial_info", GO.place(10, 10, Map.of("go_ms", " ")).outside());
    assertEquals("go_ms = 'late' is not a number of ms", GO.place(10, 10, Map.of("go_ms", "late")).outside());
    assertEquals("go_ms is NaN", GO.place(10, 10, Map.of("go_ms", "NaN")).outside());
  }
}
