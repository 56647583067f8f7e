package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliErrorsTest {

  @TempDir Path dir;

  @Test
  void listShowsEveryKindAndFamily() {
    TinyStudy.Result r = TinyStudy.cli("list");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("response   hinton-kd"), r.out());
    assertTrue(r.out().contains("labels     labels-only"), r.out());
    String out = r.out();
    String students = out.substring(out.indexOf("students:"), out.indexOf("teachers:"));
    for (String id : new String[] {"cnn", "mlp"}) {
      assertTrue(students.contains("\n  " + id + " "), id + " under students: " + out);
    }
    String teachers = out.substring(out.indexOf("teachers:"));
    for (String id : new String[] {"djl-model", "ensemble", "logits-file", "onnx"}) {
      assertTrue(teachers.contains("\n  " + id + " "), id + " under teachers: " + out);
    }
  }

  @Test
  void describeShowsParamsDefaultsRangesAndPaper() {
    TinyStudy.Result r = TinyStudy.cli("describe", "hinton-kd");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("temperature      default 4.0"), r.out());
    assertTrue(r.out().contains("a number > 0"), r.out());
    assertTrue(r.out().contains("alpha            default 0.9        a number in [0, 1]"), r.out());
    assertTrue(r.out().contains("arXiv:1503.02531"), r.out());
    // a formula of two lines, the second aligned under the first
    assertTrue(
        r.out().contains("  formula: L = (1-α)·CE(s, y)")
            && r.out().contains("\n           KL(p ‖ q) = Σ_c p_c·(log p_c - log q_c)"),
        r.out());
  }

  @Test
  void unknownIdIsBadInputWithTheClosestMatch() {
    TinyStudy.Result r = TinyStudy.cli("describe", "hinton-kdd");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown plugin id 'hinton-kdd'"), r.err());
    assertTrue(r.err().contains("closest: 'hinton-kd'"), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
  }

  @Test
  void badParameterIsOneLineNamingFileLineFieldAndValue() throws IOException {
    Path data = TinyStudy.data(dir);
    String yaml = TinyStudy.yaml(dir, data, "").replace("temperature: 4", "temperature: -1");
    Path study = TinyStudy.write(dir, yaml);
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    int line = lineOf(yaml, "temperature: -1");
    assertEquals(
        "taqtir: study.yaml:" + line + ": strategies[1].params.temperature must be > 0, found -1",
        r.err().strip());
  }

  @Test
  void overrideErrorsNameTheOverride() throws IOException {
    Path data = TinyStudy.data(dir);
    Path study = TinyStudy.write(dir, TinyStudy.yaml(dir, data, ""));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString(), "-P", "training.epochs=0");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("training.epochs"), r.err());
    assertTrue(r.err().contains("-P training.epochs=0"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void missingStudyFileIsBadInput() {
    TinyStudy.Result r = TinyStudy.cli("run", dir.resolve("nope.yaml").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nope.yaml: no such study file"), r.err());
  }

  @Test
  void aDirectoryIsNotReportedAsAMissingStudyFile() {
    TinyStudy.Result r = TinyStudy.cli("run", dir.toString());
    assertEquals(2, r.code());
    assertEquals(
        "taqtir: " + dir + ": a directory, not a study file; give the study's YAML file",
        r.err().strip());
  }

  @Test
  void anOutputDirThatIsAFileIsRefusedAtItsLine() throws IOException {
    Path data = TinyStudy.data(dir);
    Path file = java.nio.file.Files.writeString(dir.resolve("afile"), "x");
    String yaml =
        TinyStudy.yaml(dir, data, "").replace(dir.resolve("runs").toString(), file + "/runs");
    Path study = TinyStudy.write(dir, yaml);
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(
        "taqtir: study.yaml:"
            + lineOf(yaml, "dir: " + file)
            + ": output.dir must be a directory (created when missing), but "
            + file
            + " is a file, found \""
            + file
            + "/runs\"",
        r.err().strip());
  }

  @Test
  void runsOptionsAreCheckedAndAnUnwritableOutSaysWhy() throws IOException {
    Path db = dir.resolve("runs.db");
    try (org.taqtir.tracking.RunStore s = org.taqtir.tracking.RunStore.open(db)) {
      String id = s.startRun(s.experiment("tiny"), null, "tiny 1");
      s.finish(s.startRun(s.experiment("tiny"), id, "small/kd/seed1"), "FINISHED");
      s.finish(id, "FINISHED");
    }
    TinyStudy.Result limit =
        TinyStudy.cli("runs", "list", "--store", db.toString(), "--limit", "-1");
    assertEquals(2, limit.code(), limit.out() + limit.err());
    assertEquals("taqtir: --limit must be >= 1, found -1", limit.err().strip());

    Path nowhere = dir.resolve("no/such/dir/runs.csv");
    TinyStudy.Result export =
        TinyStudy.cli(
            "runs",
            "export",
            "--study",
            "tiny",
            "--store",
            db.toString(),
            "--out",
            nowhere.toString());
    assertEquals(2, export.code(), export.out() + export.err());
    assertEquals(
        "taqtir: --out "
            + nowhere
            + ": cannot write it: its directory "
            + nowhere.getParent()
            + " does not exist",
        export.err().strip());
    TinyStudy.Result toDir =
        TinyStudy.cli(
            "runs",
            "compare",
            "--study",
            "tiny",
            "--store",
            db.toString(),
            "--out",
            dir.toString());
    assertEquals(2, toDir.code(), toDir.out() + toDir.err());
    assertEquals(
        "taqtir: --out " + dir + ": cannot write it: it is a directory", toDir.err().strip());
  }

  private static int lineOf(String text, String needle) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle);
  }
}
