package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped diabetes table end to end: a Tribuo teacher fitted in the study, a DJL student and a
 * Tribuo tree student, the group-disparity section of the Loss Statement, and a bad cell refused
 * with its file, row and column.
 */
class TabularStudyTest {

  @TempDir Path dir;

  private static final String CSV =
      Path.of("../../experiments/tabular-compression/data/diabetes.csv")
          .toAbsolutePath()
          .normalize()
          .toString();

  private String yaml(String file) {
    return """
        name: tabular
        data: {source: csv, file: %s, target: progression, binarize_target: median, group: sex,
               validation: 80, test: 100}
        teacher: {load: {id: tribuo, params: {model: random-forest, trees: 10, max_depth: 3}}}
        students:
          - {name: mlp, architecture: {id: mlp, params: {hidden: [8]}}}
          - {name: tree, architecture: {id: tribuo-tree, params: {max_depth: 2, munge: 2}}}
        strategies:
          - id: labels-only
          - {name: kd, id: hinton-kd, params: {temperature: 2}}
        training: {epochs: 2, batch_size: 32, optimizer: {type: adam, lr: 0.01}}
        seeds: [1]
        output: {dir: %s, plots: false}
        evaluation: {bootstrap: 100}
        """
        .formatted(file, dir.resolve("runs"));
  }

  @Test
  void tribuoTeacherDistilsIntoMlpAndTreeWithGroupDisparity() throws IOException {
    Path study = TinyStudy.write(dir, yaml(CSV));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("tree/teacher-labels/seed1: fitted in"), r.out());
    assertTrue(
        r.out().contains("tree/teacher-labels/seed1: MUNGE (p 0.50, s 1.00) added 524 synthetic"),
        r.out());
    assertTrue(r.out().contains("corruption suite: skipped"), r.out());
    Path run;
    try (var s = Files.list(dir.resolve("runs").resolve("tabular"))) {
      run = s.findFirst().orElseThrow();
    }
    String statement = Files.readString(run.resolve("loss-statement.md"));
    assertTrue(statement.contains("## Group disparity"), statement);
    assertTrue(statement.contains("| teacher | |"), statement);
    assertTrue(statement.contains("| tree | teacher-labels |"), statement);
    // class names come from the table, not Fashion-MNIST's
    assertTrue(statement.contains("class progression "), statement);
    assertFalse(statement.contains("T-shirt"), statement);
    assertTrue(
        Files.readString(run.resolve("runs/tree_teacher-labels_seed1/model.txt")).contains("if "));
    assertTrue(Files.readString(run.resolve("data-schema.json")).contains("binarize_threshold"));
  }

  @Test
  void badCellIsRefusedWithFileRowAndColumn() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(
        csv, Files.readString(Path.of(CSV)).replaceFirst("\n48,1,21.6,", "\n48,1,abc,"));
    Path study = TinyStudy.write(dir, yaml(csv.toString()));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("bad.csv: row 2, column \"bmi\": \"abc\" is not a number"),
        r.out() + r.err());
  }
}
