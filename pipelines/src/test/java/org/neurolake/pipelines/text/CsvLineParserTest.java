package org.neurolake.pipelines.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineParserTest {
  @Test
  void splitsPlainFields() {
    assertEquals(List.of("1", "a b", ""), CsvLineParser.parse("1,a b,"));
  }

  @Test
  void quotedFieldsMayHoldCommasAndDoubledQuotes() {
    assertEquals(List.of("0", "it's \"fine\", really"), CsvLineParser.parse("0,\"it's \"\"fine\"\", really\""));
  }

  @Test
  void dropsTrailingCarriageReturn() {
    assertEquals(List.of("1", "x"), CsvLineParser.parse("1,x\r"));
  }

  @Test
  void unterminatedQuoteIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvLineParser.parse("1,\"open"));
    assertEquals("unterminated quoted field starting at column 2", e.getMessage());
  }

  @Test
  void textAfterClosingQuoteIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> CsvLineParser.parse("\"a\"b,c"));
  }
}
