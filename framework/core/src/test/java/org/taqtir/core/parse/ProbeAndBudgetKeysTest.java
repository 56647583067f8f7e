package org.taqtir.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taqtir.core.config.*;
import org.taqtir.core.registry.fake.Fakes;

/**
 * {@code data.transfer_exclude_classes}, {@code data.labelled}, {@code
 * evaluation.cascade_budget|max_deferral}.
 */
class ProbeAndBudgetKeysTest {

  private static final Path FILE = Path.of("/studies/p/study.yaml").toAbsolutePath();

  private static final String BASE =
      """
      name: probe
      teacher:
        load: {id: djl-model, params: {path: teacher-dir}}
      students:
        - architecture: {id: mlp}
      strategies:
        - id: labels-only
        - id: hinton-kd
      """;

  private final StudyParser parser = new StudyParser(Fakes.registry());

  private Study parse(String yaml) {
    return parser.parse(yaml, FILE, Map.of());
  }

  @Test
  void keysParseRoundTripAndDefaultToOff() {
    Study plain = parse(BASE);
    assertEquals(List.of(), ((DataConfig) plain.data()).transferExcludeClasses());
    assertTrue(Double.isNaN(((EvaluationConfig) plain.evaluation()).cascadeBudget()));
    assertTrue(Double.isNaN(((EvaluationConfig) plain.evaluation()).cascadeMaxDeferral()));

    Study s =
        parse(
            BASE
                + "data: {transfer_exclude_classes: [3]}\n"
                + "evaluation: {cascade_budget: 0.3}\n");
    assertEquals(List.of(3), ((DataConfig) s.data()).transferExcludeClasses());
    assertEquals(0.3, ((EvaluationConfig) s.evaluation()).cascadeBudget());
    Study back = parser.parse(s.toYaml(), FILE, Map.of());
    assertEquals(s, back, s.toYaml());
    assertTrue(s.toYaml().contains("transfer_exclude_classes"), s.toYaml());

    Study cut = parse(BASE + "data: {transfer_limit: 1650}\n");
    assertEquals(1650, ((DataConfig) cut.data()).transferLimit());
    assertEquals(cut, parser.parse(cut.toYaml(), FILE, Map.of()), cut.toYaml());
    Study few = parse(BASE + "data: {labelled: 500}\n");
    assertEquals(500, ((DataConfig) few.data()).labelled());
    assertEquals(0, ((DataConfig) plain.data()).labelled());
    assertEquals(few, parser.parse(few.toYaml(), FILE, Map.of()), few.toYaml());

    Study jittered = parse(BASE + "training: {jitter: 2}\n");
    assertEquals(2, jittered.training().jitter());
    assertEquals(0, plain.training().jitter());
    assertEquals(jittered, parser.parse(jittered.toYaml(), FILE, Map.of()), jittered.toYaml());
    // a teacher's identity includes this text: unchanged from before jitter existed when it is 0
    assertTrue(
        plain.training().toString().endsWith("schedule=" + plain.training().schedule() + "]"));
    assertTrue(jittered.training().toString().endsWith(", jitter=2]"));

    Study cap = parse(BASE + "evaluation: {cascade_max_deferral: 0.2}\n");
    assertEquals(0.2, ((EvaluationConfig) cap.evaluation()).cascadeMaxDeferral());
    assertEquals(cap, parser.parse(cap.toYaml(), FILE, Map.of()));
  }

  @Test
  void badValuesNameTheFieldAndTheValue() {
    String m =
        assertThrows(
                ConfigException.class,
                () -> parse(BASE + "data: {transfer_exclude_classes: [3, 3]}\n"))
            .getMessage();
    assertTrue(m.contains("data.transfer_exclude_classes[1]") && m.contains("found 3"), m);
    m =
        assertThrows(
                ConfigException.class,
                () -> parse(BASE + "data: {transfer_exclude_classes: [-1]}\n"))
            .getMessage();
    assertTrue(m.contains("data.transfer_exclude_classes[0]") && m.contains("-1"), m);
    m =
        assertThrows(ConfigException.class, () -> parse(BASE + "training: {jitter: 9}\n"))
            .getMessage();
    assertTrue(m.contains("training.jitter") && m.contains("9"), m);
    m =
        assertThrows(ConfigException.class, () -> parse(BASE + "data: {labelled: -5}\n"))
            .getMessage();
    assertTrue(m.contains("data.labelled") && m.contains("-5"), m);
    m =
        assertThrows(
                ConfigException.class,
                () -> parse(BASE + "evaluation: {cascade_max_deferral: 1.5}\n"))
            .getMessage();
    assertTrue(m.contains("evaluation.cascade_max_deferral") && m.contains("1.5"), m);
    m =
        assertThrows(
                ConfigException.class,
                () -> parse(BASE + "evaluation: {cascade_budget: 0.3, target_accuracy: 0.9}\n"))
            .getMessage();
    assertTrue(m.contains("at most one of target_accuracy, cascade_budget"), m);
  }
}
