package org.taqtir.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taqtir.core.config.*;
import org.taqtir.core.registry.fake.Fakes;

/** Per-term epoch windows (e.g. FitNets' two-stage schedule). */
class TermWindowTest {

  private static final String STUDY =
      """
      name: two-stage
      teacher:
        train:
          architecture: {id: mlp}
      students:
        - architecture: {id: mlp}
      strategies:
        - name: staged
          terms:
            - {id: labels-only, until_epoch: 2}
            - {id: hinton-kd, from_epoch: 3}
      training:
        epochs: 5
      """;

  private static Study parse(String yaml, Map<String, String> overrides) {
    return new StudyParser(Fakes.registry()).parse(yaml, Path.of("study.yaml"), overrides);
  }

  @Test
  void windowsAreParsedAppliedAndRoundTrip() {
    Study s = parse(STUDY, Map.of());
    Term first = s.strategies().get(0).terms().get(0);
    Term second = s.strategies().get(0).terms().get(1);
    assertEquals(1, first.fromEpoch());
    assertEquals(2, first.untilEpoch());
    assertTrue(first.activeIn(2));
    assertFalse(first.activeIn(3));
    assertFalse(second.activeIn(2));
    assertTrue(second.activeIn(5));
    assertEquals(s, parse(s.toYaml(), Map.of()), "windows survive the resolved YAML");
  }

  @Test
  void anEpochWithoutATermAndAnInvertedWindowAreRejectedWithTheirLine() {
    var gap =
        assertThrows(
            ConfigException.class,
            () -> parse(STUDY, Map.of("strategies[0].terms[1].from_epoch", "4")));
    assertTrue(
        gap.getMessage().contains("strategies[0].terms leave epoch 3 of 5 without any active term"),
        gap.getMessage());
    var inverted =
        assertThrows(
            ConfigException.class,
            () -> parse(STUDY.replace("from_epoch: 3", "from_epoch: 3, until_epoch: 2"), Map.of()));
    assertTrue(
        inverted
            .getMessage()
            .startsWith("study.yaml:11: strategies[0].terms[1].until_epoch must be 0"),
        inverted.getMessage());
  }
}
