package org.neurolake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTemplateTest {
  @Test
  void substitutesEscapedValuesAndListsParametersInOrder() {
    SqlTemplate t = new SqlTemplate("t", "SELECT * FROM x WHERE a = '${b}' AND c = '${a}' OR d = '${b}'");
    assertEquals(List.of("b", "a"), List.copyOf(t.parameters()));
    assertEquals("SELECT * FROM x WHERE a = 'it\\'s' AND c = 'back\\\\slash' OR d = 'it\\'s'",
        t.render(Map.of("b", "it's", "a", "back\\slash")));
    assertEquals("a $1 b", new SqlTemplate("t", "a ${v} b").render(Map.of("v", "$1")));
  }

  @Test
  void refusesMissingAndUnusedParametersAndEmptyText() {
    SqlTemplate t = new SqlTemplate("f.sql", "SELECT '${x}'");
    assertEquals("the query from f.sql needs --param x=VALUE",
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of())).getMessage());
    assertEquals("the query from f.sql has no parameter y (it takes x)",
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("x", "1", "y", "2"))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SqlTemplate("f.sql", "  \n"));
  }
}
