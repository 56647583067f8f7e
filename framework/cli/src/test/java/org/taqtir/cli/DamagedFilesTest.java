package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.train.WeightFiles;

/**
 * Weights whose bytes changed after they were written are never used silently: a study's teacher is
 * trained again, a student's saved weights are refused by name (exit 2).
 */
class DamagedFilesTest {

  @TempDir Path dir;

  static void flip(Path file, int fromEnd) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length - fromEnd] ^= 0x40;
    Files.write(file, b);
  }

  static Path only(Path parent) throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      List<Path> all = s.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  @Test
  void aFlippedTeacherIsTrainedAgainAndFlippedStudentWeightsAreRefusedByName() throws IOException {
    Path data = TinyStudy.data(dir);
    Path study =
        TinyStudy.write(dir, TinyStudy.yaml(dir, data, "").replace("seeds: [1, 2]", "seeds: [1]"));
    TinyStudy.Result first = TinyStudy.cli("run", study.toString());
    assertEquals(0, first.code(), first.out() + first.err());
    Path teacher = only(dir.resolve("runs/teachers")).resolve("teacher-0000.params");
    assertEquals(WeightFiles.Check.MATCHES, WeightFiles.check(teacher));

    flip(teacher, 101);
    TinyStudy.Result again = TinyStudy.cli("run", study.toString());
    assertEquals(0, again.code(), again.out() + again.err());
    assertFalse(again.out().contains("teacher: reusing"), again.out());
    assertTrue(
        again.out().contains(teacher + ": the saved weights do not match the SHA-256"),
        again.out());
    assertTrue(again.out().contains("training the teacher again"), again.out());
    assertEquals(WeightFiles.Check.MATCHES, WeightFiles.check(teacher));

    Path runDir;
    try (Stream<Path> s = Files.list(dir.resolve("runs/tiny"))) {
      runDir = s.sorted().findFirst().orElseThrow();
    }
    Path student = runDir.resolve("runs/small_labels-only_seed1/student-0000.params");
    flip(student, 57);
    TinyStudy.Result evaluated = TinyStudy.cli("evaluate", runDir.toString());
    assertEquals(2, evaluated.code(), evaluated.out() + evaluated.err());
    assertEquals(
        "taqtir: "
            + student
            + ": the saved weights do not match the SHA-256 recorded in"
            + " student-0000.params.sha256 when they were written; the file was damaged or"
            + " replaced since",
        evaluated.err().strip());
  }
}
