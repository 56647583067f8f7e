package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager.ResultFlag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CellHistoryTest {

  static List<String> inputs(List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::getInput).toList();
  }

  @Test
  void tailRangeAndSearch() {
    CellHistory h = new CellHistory();
    h.add(1, "6*7", "42");
    h.add(2, "int x = 1;", null);
    h.add(3, "6*7", "42");
    Set<ResultFlag> none = EnumSet.noneOf(ResultFlag.class);
    assertEquals(List.of("int x = 1;", "6*7"), inputs(h.lookupTail(2, none)));
    assertEquals(List.of("int x = 1;"), inputs(h.lookupRange(0, 2, 3, none)));
    assertEquals(List.of("6*7", "6*7"), inputs(h.search("6?7", 0, none)));
    assertEquals(List.of("6*7"), inputs(h.search("6?7", 0, EnumSet.of(ResultFlag.UNIQUE))));
    assertEquals("42", h.lookupTail(1, EnumSet.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput());
  }

  @Test
  void globIsSqliteGlob() {
    assertTrue(CellHistory.glob("a*c").matcher("abbc").matches());
    assertTrue(CellHistory.glob("[a-c]x").matcher("bx").matches());
    assertFalse(CellHistory.glob("[^a-c]x").matcher("bx").matches());
    assertTrue(CellHistory.glob("a.b").matcher("a.b").matches());
    assertFalse(CellHistory.glob("a.b").matcher("axb").matches());
  }
}
