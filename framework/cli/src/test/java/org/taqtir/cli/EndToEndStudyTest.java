package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.tracking.RunStore;

class EndToEndStudyTest {

  @TempDir Path dir;

  @Test
  void runsAStudyPrintsTheTableWritesPlotsAndReusesTeacherAndCache() throws IOException {
    Path data = TinyStudy.data(dir);
    Path study = TinyStudy.write(dir, TinyStudy.yaml(dir, data, ""));

    TinyStudy.Result first = TinyStudy.cli("run", study.toString());
    assertEquals(0, first.code(), first.out() + first.err());
    String out = first.out();
    assertTrue(out.contains("teacher: training mlp 784-64-10"), out);
    assertTrue(out.contains("computed and cached"), out);
    assertTrue(out.contains("| small | mlp 784-16-10 | labels-only | 2 |"), out);
    assertTrue(out.contains("| small | mlp 784-16-10 | kd | 2 |"), out);
    double teacherTest = percent(out, "teacher: .*test acc ([0-9.]+) %");
    assertTrue(teacherTest > 70, "teacher learns the synthetic classes: " + teacherTest);

    Path runDir = onlyRunDir();
    for (String f :
        List.of(
            "results.md",
            "results.csv",
            "learning-curves.png",
            "test-accuracy.png",
            "study.resolved.yaml")) {
      assertTrue(Files.size(runDir.resolve(f)) > 100, f);
    }
    assertEquals(
        (byte) 0x89, Files.readAllBytes(runDir.resolve("learning-curves.png"))[0], "PNG magic");
    Path history = runDir.resolve("runs/small_kd_seed1/history.csv");
    assertEquals(1 + 3, Files.readAllLines(history).size(), "header + one line per epoch");
    assertTrue(Files.exists(runDir.resolve("runs/small_kd_seed1/student-0000.params")));

    assertTrue(first.out().contains("recorded: run "), first.out());
    String statement = Files.readString(runDir.resolve("loss-statement.md"));
    assertTrue(statement.contains("# Distillation Loss Statement: tiny"), statement);
    assertTrue(statement.contains("## small / kd"), statement);
    assertTrue(statement.contains("**Recommended deferral.**"), statement);
    assertTrue(statement.contains("**Under shift** (15 seeded corruptions"), statement);
    assertTrue(Files.size(runDir.resolve("corruptions.png")) > 1000);
    assertTrue(Files.size(runDir.resolve("reliability.png")) > 1000);
    assertTrue(Files.size(runDir.resolve("cascade-small-kd.png")) > 1000);
    assertTrue(Files.readString(runDir.resolve("loss-statement.html")).contains("<table>"));
    try (RunStore store = RunStore.open(dir.resolve("runs/taqtir.db"))) {
      List<RunStore.Run> runs = store.runs(100);
      assertEquals(1 + 2 * 2, runs.size(), "the study run and one run per method and seed");
      RunStore.Run kd =
          runs.stream().filter(r -> r.name().equals("small/kd/seed1")).findFirst().orElseThrow();
      assertEquals("FINISHED", kd.status());
      assertEquals(3, store.history(kd.id(), "val/acc").size(), "one point per epoch");
      assertTrue(store.tags(kd.parentId()).containsKey("config"));
      assertTrue(store.tags(kd.parentId()).containsKey("teacher.fingerprint"));
      assertTrue(
          store
              .tags(kd.parentId())
              .get("plugin.strategy.hinton-kd")
              .contains("strategies-response"),
          store.tags(kd.parentId()).toString());
    }

    String db = dir.resolve("runs/taqtir.db").toString();
    TinyStudy.Result compare = TinyStudy.cli("runs", "compare", "--store", db, "--study", "tiny");
    assertEquals(0, compare.code(), compare.err());
    // The store alone reproduces the study's own table: same seeds, same mean ± std.
    for (String line : first.out().lines().filter(l -> l.startsWith("| small")).toList()) {
      String[] cells = line.split("\\|");
      String expected =
          cells[3].trim()
              + " | "
              + cells[4].trim()
              + " | "
              + cells[5].trim()
              + " | "
              + cells[6].trim();
      assertTrue(compare.out().contains(expected), expected + " in\n" + compare.out());
    }
    TinyStudy.Result csv =
        TinyStudy.cli("runs", "compare", "--store", db, "--study", "tiny", "--format", "csv");
    assertTrue(csv.out().startsWith("study_run,student,method,seeds,val_acc_mean"), csv.out());
    TinyStudy.Result list = TinyStudy.cli("runs", "list", "--store", db);
    assertTrue(list.out().contains("small/kd/seed2"), list.out());
    String studyRun =
        compare.out().lines().skip(2).findFirst().orElseThrow().split("\\|")[1].trim();
    TinyStudy.Result reproduce = TinyStudy.cli("reproduce", "--store", db, studyRun);
    assertEquals(0, reproduce.code(), reproduce.out() + reproduce.err());
    assertTrue(
        reproduce.out().contains("MATCH   small/kd/seed1: every metric bitwise equal"),
        reproduce.out());
    assertTrue(reproduce.out().contains(": 4 of 4 runs match bitwise"), reproduce.out());

    TinyStudy.Result second = TinyStudy.cli("run", study.toString());
    assertEquals(0, second.code(), second.err());
    assertTrue(second.out().contains("teacher: reusing"), second.out());
    assertTrue(second.out().contains("read from cache"), second.out());
    try (Stream<Path> runs = Files.list(dir.resolve("runs/tiny"))) {
      assertEquals(
          3, runs.count(), "neither the reproduction nor a second run overwrites the first");
    }
    // Same seeds, same data, same teacher: the tables are identical apart from timings.
    assertEquals(accuracyColumns(first.out()), accuracyColumns(second.out()));
  }

  @Test
  void unmetPreservationTargetsFailTheStudyWhenAsked() throws IOException {
    Path data = TinyStudy.data(dir);
    Path study =
        TinyStudy.write(dir, TinyStudy.yaml(dir, data, "").replace("seeds: [1, 2]", "seeds: [1]"));
    TinyStudy.Result r =
        TinyStudy.cli(
            "run",
            study.toString(),
            "-P",
            "evaluation.targets=[\"agreement >= 1.01\", \"ece <= teacher + 1\"]",
            "-P",
            "evaluation.fail_on_targets=true");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("target not met: small / kd: agreement >= 1.01"), r.out());
    assertTrue(!r.out().contains("target not met: small / kd: ece"), r.out());
    TinyStudy.Result bad =
        TinyStudy.cli("run", study.toString(), "-P", "evaluation.targets=[\"ece is low\"]");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("evaluation.targets[0]"), bad.err());
  }

  private Path onlyRunDir() throws IOException {
    try (Stream<Path> runs = Files.list(dir.resolve("runs/tiny"))) {
      return runs.findFirst().orElseThrow();
    }
  }

  private static double percent(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in " + text);
    return Double.parseDouble(m.group(1));
  }

  private static List<String> accuracyColumns(String out) {
    return out.lines()
        .filter(l -> l.startsWith("| small"))
        .map(l -> String.join("|", List.of(l.split("\\|")).subList(1, 8)))
        .toList();
  }
}
