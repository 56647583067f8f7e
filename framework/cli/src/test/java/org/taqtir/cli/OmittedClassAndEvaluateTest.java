package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.tracking.RunStore;

/**
 * End to end on synthetic data: a study whose students learn from a transfer set without class 3
 * (the omitted-class probe), then {@code taqtir evaluate} of that run with another evaluation
 * block.
 */
class OmittedClassAndEvaluateTest {

  @TempDir Path dir;

  @Test
  void studentsNeverSeeTheOmittedClassAndEvaluateRecomputesWithoutTouchingTheRun()
      throws IOException {
    Path data = TinyStudy.data(dir);
    String yaml =
        TinyStudy.yaml(dir, data, "")
            .replace("  split_seed: 3\n", "  split_seed: 3\n  transfer_exclude_classes: [3]\n")
            .replace(
                "  - id: labels-only\n  - name: kd\n    id: hinton-kd\n"
                    + "    params: {temperature: 4, alpha: 0.9}",
                "  - name: labels\n    terms: [{id: labels-only}, {id: record-labels}]\n"
                    + "  - name: kd\n    terms: [{id: hinton-kd, params: {temperature: 4,"
                    + " alpha: 0.9}}, {id: record-labels}]")
            .replace("seeds: [1, 2]", "seeds: [1]");
    Path study = TinyStudy.write(dir, yaml);

    Path services = dir.resolve("services/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve("org.taqtir.api.StrategyProvider"), LabelRecorder.class.getName());
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.resolve("services").toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      LabelRecorder.SEEN.clear();
      TinyStudy.Result run = TinyStudy.cli("run", study.toString());
      assertEquals(0, run.code(), run.out() + run.err());
      assertTrue(run.out().contains("without classes [3] (omitted-class probe)"), run.out());
      // the trainer handed the students every class but the omitted one, and never that one
      assertEquals(Set.of(0, 1, 2, 4, 5, 6, 7, 8, 9), Set.copyOf(LabelRecorder.SEEN));

      Path runDir = onlyRunDir();
      String statement = Files.readString(runDir.resolve("loss-statement.md"));
      assertTrue(statement.contains("**Omitted class** Dress (3)"), statement);
      assertTrue(statement.contains("| omitted.3.bias"), statement);
      assertTrue(statement.contains("| omitted.3.acc_corrected"), statement);
      assertFalse(statement.contains("Not measured here: the omitted-class probe"), statement);
      assertTrue(statement.contains("## Paired comparisons"), statement);
      assertTrue(statement.contains("| small | labels | kd | "), statement);
      // labels only can only reach the class through the bias correction: before it, its test
      // accuracy there is far below the teacher's
      Map<String, Double> labels = metrics(statement, "labels");
      Map<String, Double> kd = metrics(statement, "kd");
      assertTrue(labels.get("omitted.3.acc") < 0.2, labels.toString());
      assertTrue(kd.containsKey("omitted.3.acc_corrected"), kd.toString());
      assertTrue(
          kd.get("omitted.3.val_freq_corrected") > kd.get("omitted.3.val_freq"), kd.toString());

      Map<Path, String> before = snapshot(runDir);
      Path out = dir.resolve("re-evaluated");
      TinyStudy.Result eval =
          TinyStudy.cli(
              "evaluate",
              runDir.toString(),
              "-P",
              "evaluation.cascade_budget=0.5",
              "-P",
              "evaluation.targets=['agreement >= 0.0']",
              "--out",
              out.toString());
      assertEquals(0, eval.code(), eval.out() + eval.err());
      assertTrue(eval.out().contains("(no training)"), eval.out());
      assertFalse(eval.out().contains("/seed1: epoch"), "no training progress: " + eval.out());
      assertEquals(before, snapshot(runDir), "the original run directory is unchanged");
      String again = Files.readString(out.resolve("loss-statement.md"));
      assertTrue(again.contains("at a mean cost of at most 0.50 × the teacher's"), again);
      assertTrue(again.contains("`agreement >= 0.0` |"), again);
      assertTrue(Files.isRegularFile(out.resolve("evaluated-from.txt")));
      // the same weights and teacher outputs give the same test numbers
      for (String method : List.of("labels", "kd")) {
        Map<String, Double> a = metrics(statement, method);
        Map<String, Double> b = metrics(again, method);
        for (String k :
            List.of("acc", "agreement", "kl", "ece", "omitted.3.acc", "omitted.3.bias")) {
          assertEquals(a.get(k), b.get(k), method + " " + k);
        }
      }

      // by run id from the store: a student run's id names its study run
      String db = dir.resolve("runs/taqtir.db").toString();
      String kdRun;
      try (RunStore store = RunStore.open(Path.of(db))) {
        kdRun =
            store.runs(100).stream()
                .filter(r -> r.name().equals("small/kd/seed1"))
                .findFirst()
                .orElseThrow()
                .id();
      }
      Path byId = dir.resolve("by-id");
      TinyStudy.Result fromStore =
          TinyStudy.cli("evaluate", kdRun.substring(0, 8), "--store", db, "--out", byId.toString());
      assertEquals(0, fromStore.code(), fromStore.out() + fromStore.err());
      assertEquals(
          metrics(statement, "kd").get("acc"),
          metrics(Files.readString(byId.resolve("loss-statement.md")), "kd").get("acc"));

      TinyStudy.Result exists =
          TinyStudy.cli("evaluate", runDir.toString(), "--out", out.toString());
      assertEquals(Main.BAD_INPUT, exists.code(), exists.out() + exists.err());
      assertTrue(exists.err().contains("already exists"), exists.err());
      TinyStudy.Result notEval =
          TinyStudy.cli("evaluate", runDir.toString(), "-P", "training.epochs=9");
      assertEquals(Main.BAD_INPUT, notEval.code());
      assertTrue(notEval.err().contains("evaluate changes only the evaluation block"));
      TinyStudy.Result otherSeed = TinyStudy.cli("evaluate", runDir.toString(), "-P", "seeds=[2]");
      assertEquals(Main.BAD_INPUT, otherSeed.code());
      assertTrue(otherSeed.err().contains("has students for seeds [1] only"), otherSeed.err());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  private Path onlyRunDir() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("runs/tiny"))) {
      List<Path> dirs = s.toList();
      assertEquals(1, dirs.size(), dirs.toString());
      return dirs.get(0);
    }
  }

  private static Map<Path, String> snapshot(Path root) throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p), java.util.Arrays.toString(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  /** The metric table of one method's section: key to mean. */
  private static Map<String, Double> metrics(String statement, String method) {
    int start = statement.indexOf("## small / " + method);
    int end = statement.indexOf("\n## ", start + 1);
    String section = statement.substring(start, end < 0 ? statement.length() : end);
    Map<String, Double> out = new TreeMap<>();
    Matcher m =
        Pattern.compile("(?m)^\\| ([a-z0-9_.]+) — [^|]*\\| (-?[0-9.]+(?:e-?[0-9]+)?)")
            .matcher(section);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
