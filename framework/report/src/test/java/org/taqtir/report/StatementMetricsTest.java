package org.taqtir.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatementMetricsTest {

  @Test
  void readsEachSectionsRowsWithMeanStdAndTeacher() {
    List<String> md =
        List.of(
            "# Distillation Loss Statement: demo",
            "",
            "## mlp-64 / labels-only (label-only baseline)",
            "",
            "| metric | value | teacher |",
            "|---|---|---|",
            "| acc — test accuracy | 0.8762 ± 0.0037 | 0.8910 |",
            "| params — trainable parameters | 5.09e+04 ± 0.0000 | 2.40e+06 |",
            "",
            "## mlp-64 / hinton-kd",
            "",
            "| acc — test accuracy | 0.8679 ± 0.0009 | 0.8910 |",
            "| acc_delta_lo — 2.5th percentile of Δ accuracy (paired bootstrap) | -0.0112 |  |",
            "| omitted.3.acc — test accuracy on the omitted class (Hinton et al. 2015) | 0.8277"
                + " ± 0.0045 | 0.9090 |",
            "",
            "## Paired comparisons",
            "",
            "| student | A | B | Δ accuracy (points) | 95 % interval | verdict |",
            "| mlp-64 | labels-only | hinton-kd | +0.82 ± 0.32 | +0.55 to +1.12 | labels-only better |");
    Map<String, Map<String, StatementMetrics.Value>> m = StatementMetrics.parse(md, "demo.md");

    assertEquals(List.of("mlp-64 / labels-only", "mlp-64 / hinton-kd"), List.copyOf(m.keySet()));
    assertEquals(
        new StatementMetrics.Value(0.8762, 0.0037, 0.8910),
        m.get("mlp-64 / labels-only").get("acc"));
    assertEquals(50900, m.get("mlp-64 / labels-only").get("params").mean());
    StatementMetrics.Value lo = m.get("mlp-64 / hinton-kd").get("acc_delta_lo");
    assertEquals(-0.0112, lo.mean());
    assertTrue(Double.isNaN(lo.std()) && Double.isNaN(lo.teacher()));
    assertEquals(0.8277, m.get("mlp-64 / hinton-kd").get("omitted.3.acc").mean());
    // the comparison table is not a method's metric table
    assertEquals(3, m.get("mlp-64 / hinton-kd").size());
  }

  @Test
  void readsACommittedStatement() {
    Path file = Path.of("../../experiments/hinton-2015/results-omitted-class/loss-statement.md");
    var m = StatementMetrics.read(file);
    assertEquals(2, m.size());
    assertEquals(0.0, m.get("mlp-800-800 / labels-only").get("omitted.3.acc").mean());
    assertTrue(m.get("mlp-800-800 / soft-targets-T20").get("omitted.3.acc").mean() > 0.5);
  }

  @Test
  void aFileWithoutMetricsIsAClearError() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StatementMetrics.parse(List.of("# nothing", "## Charts"), "x.md"));
    assertTrue(e.getMessage().startsWith("x.md: no metric table"), e.getMessage());
  }
}
