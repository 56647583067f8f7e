package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HelpOptionTest {

  @Test
  void everyCommandAnswersHelp() {
    String[][] commands = {
      {"--help"},
      {"run", "--help"},
      {"quickstart", "--help"},
      {"describe", "-h"},
      {"kernel", "install", "--help"},
      {"runs", "list", "--help"},
      {"help", "run"}
    };
    for (String[] c : commands) {
      TinyStudy.Result r = TinyStudy.cli(c);
      assertEquals(0, r.code(), String.join(" ", c) + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: taqtir"), String.join(" ", c) + ": " + r.out());
    }
  }
}
