package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmTargetsTest {

  @Test
  void everyReportedKeyCanBeATargetAndAMisspeltOneCannot() {
    for (String ok :
        List.of(
            "test/bpc <= teacher + 0.3",
            "out_of_domain/agreement >= 0.5",
            "test_typos_10/bpc < 4",
            "held_out/cascade_25/bpc <= teacher + 0.1",
            "test/words_unseen/bpc <= teacher + 1",
            "test/delta_bpc_vs_baseline_hi < 0",
            "test/churn <= 0.2",
            "generation/looping <= 0.5",
            "exposure/excess <= 1",
            "test/errors/inherited <= 0.5",
            "facts/inherited <= 0.5",
            "facts/confidence_inherited < 0.9",
            "facts_gen/false <= 0.1",
            "style/bpc_teacher_text >= 1")) {
      assertNull(LmTargets.problem(ok), ok);
    }
    for (String bucket : WordFrequency.BUCKETS) {
      assertNull(LmTargets.problem("test/words_" + bucket + "/bpc <= 9"), bucket);
    }
    for (String k : LmTargets.FACT_KEYS) {
      assertNull(LmTargets.problem("facts/" + k + " >= 0"), k);
    }
    assertTrue(LmTargets.problem("test/facts/inherited <= 0.5").contains("unknown metric"));
    assertTrue(LmTargets.problem("test/bcp <= 2").contains("unknown metric 'test/bcp'"));
    assertTrue(LmTargets.problem("test/churn <= ").contains("does not parse"));
    assertTrue(LmTargets.problem("test_typos_5/agreement >= 0.5").contains("unknown metric"));
  }

  @Test
  void aMetricTheStudyDidNotMeasureIsAMissedTargetWithNoValue() {
    var r =
        LmTargets.check(
            List.of("test/bpc <= teacher + 0.3", "held_out/bpc <= 3", "test/agreement >= 0.5"),
            Map.of("test/bpc", 2.5, "test/agreement", 0.4),
            Map.of("test/bpc", 2.3));
    assertEquals(List.of(true, false, false), r.stream().map(x -> x.met()).toList());
    assertEquals(2.6, r.get(0).bound(), 1e-12);
    assertTrue(Double.isNaN(r.get(1).value()));
    assertEquals(0.4, r.get(2).value());
  }
}
