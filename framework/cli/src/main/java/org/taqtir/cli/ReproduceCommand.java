package org.taqtir.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.tracking.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code taqtir reproduce <run>}: re-runs a recorded study run from nothing but its record (the
 * resolved config stored with it) and says, run by run, whether every recorded metric matches
 * bitwise.
 */
@Command(
    name = "reproduce",
    description = "Re-run a recorded study run from its stored config and compare every metric.")
final class ReproduceCommand implements Callable<Integer> {

  private static final String[] HISTORIES = {"train/loss", "val/loss", "val/acc"};

  @Spec CommandSpec spec;

  @Option(names = "--store", description = "run store (default ${DEFAULT-VALUE})")
  Path store = Path.of("runs", "taqtir.db");

  @Parameters(paramLabel = "ID", description = "study run id, or one of its student runs (prefix)")
  String id;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    try (RunStore s = RunsCommand.openToWrite(store)) {
      RunStore.Run original = s.run(id);
      if (original.parentId() != null) {
        original = s.run(original.parentId());
      }
      Map<String, String> tags = s.tags(original.id());
      String yaml = tags.get("config");
      if (yaml == null) {
        throw new IllegalArgumentException(
            "run " + original.id() + " has no stored config; it cannot be reproduced");
      }
      String file = tags.getOrDefault("study.file", "");
      Study study =
          new StudyParser(registry).parse(yaml, file.isEmpty() ? null : Path.of(file), Map.of());
      out.println("reproducing " + original.name() + " (" + original.id() + ")");
      out.flush();
      int code = StudyCli.run(study, registry, out, s);
      RunStore.Run again = s.latestStudyRun(study.name());
      int mismatches = 0;
      int compared = 0;
      for (RunStore.Run child : s.children(original.id())) {
        RunStore.Run twin =
            s.children(again.id()).stream()
                .filter(c -> c.name().equals(child.name()))
                .findFirst()
                .orElse(null);
        if (twin == null) {
          out.println("MISSING " + child.name() + ": not re-run");
          mismatches++;
          continue;
        }
        compared++;
        StringBuilder diff = new StringBuilder();
        for (String key : HISTORIES) {
          var a = s.history(child.id(), key);
          var b = s.history(twin.id(), key);
          if (a.size() != b.size()) {
            diff.append(" ")
                .append(key)
                .append(" has ")
                .append(b.size())
                .append(" steps, recorded ")
                .append(a.size());
            continue;
          }
          for (int i = 0; i < a.size(); i++) {
            if (Double.doubleToRawLongBits(a.get(i)[1])
                != Double.doubleToRawLongBits(b.get(i)[1])) {
              diff.append(
                  String.format(
                      " %s@%d %s vs %s", key, (long) a.get(i)[0], b.get(i)[1], a.get(i)[1]));
              break;
            }
          }
        }
        Double testA = s.latestMetrics(child.id()).get("test/acc");
        Double testB = s.latestMetrics(twin.id()).get("test/acc");
        if (!Objects.equals(testA, testB)) {
          diff.append(" test/acc ").append(testB).append(" vs ").append(testA);
        }
        if (diff.length() == 0) {
          out.println("MATCH   " + child.name() + ": every metric bitwise equal");
        } else {
          out.println("DIFF    " + child.name() + ":" + diff);
          mismatches++;
        }
      }
      out.printf(
          "reproduced as run %s: %d of %d runs match bitwise%n",
          again.id(), compared - Math.min(compared, mismatches), compared);
      return code != 0 ? code : mismatches == 0 ? 0 : 1;
    }
  }
}
