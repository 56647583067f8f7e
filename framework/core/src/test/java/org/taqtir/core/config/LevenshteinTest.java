package org.taqtir.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LevenshteinTest {

  @Test
  void distances() {
    assertEquals(0, Levenshtein.distance("kd", "kd"));
    assertEquals(3, Levenshtein.distance("", "abc"));
    assertEquals(3, Levenshtein.distance("abc", ""));
    assertEquals(1, Levenshtein.distance("epoch", "epochs"));
    assertEquals(1, Levenshtein.distance("temprature", "temperature"));
    assertEquals(3, Levenshtein.distance("kitten", "sitting"));
    assertEquals(2, Levenshtein.distance("ab", "ba"));
  }

  @Test
  void closestOnlyWhenPlausible() {
    List<String> ids = List.of("hinton-kd", "labels-only", "dkd");
    assertEquals(Optional.of("hinton-kd"), Levenshtein.closest("hinton-kdd", ids));
    assertEquals(Optional.of("dkd"), Levenshtein.closest("dk", ids));
    assertEquals(Optional.empty(), Levenshtein.closest("resnet", ids));
    assertEquals(Optional.empty(), Levenshtein.closest("x", List.of()));
    // ties go to the alphabetically first
    assertEquals(Optional.of("ab"), Levenshtein.closest("aa", List.of("ba", "ab")));
  }
}
