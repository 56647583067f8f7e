package org.taqtir.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.taqtir.tracking.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taqtir runs list|show}: the recorded runs of the embedded run store. */
@Command(
    name = "runs",
    description = "List and show recorded runs.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class})
final class RunsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  static RunStore open(Path store) {
    if (!Files.exists(store)) {
      throw new IllegalArgumentException(
          store + ": no run store yet (run a study first, or pass --store FILE)");
    }
    return RunStore.open(store);
  }

  @Command(name = "list", description = "List recent runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--store", description = "run store (default ${DEFAULT-VALUE})")
    Path store = Path.of("runs", "taqtir.db");

    @Option(names = "--limit", description = "most runs to show (default ${DEFAULT-VALUE})")
    int limit = 20;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (RunStore s = open(store)) {
        out.printf(
            "%-10s %-19s %-9s %-18s %s%n", "id", "started (UTC)", "status", "experiment", "name");
        for (RunStore.Run r : s.runs(limit)) {
          Double acc = s.latestMetrics(r.id()).get("test/acc");
          out.printf(
              Locale.ROOT,
              "%-10s %-19s %-9s %-18s %s%s%n",
              r.id().substring(0, 8),
              TIME.format(Instant.ofEpochMilli(r.startTime())),
              r.status(),
              r.experiment(),
              r.parentId() == null ? "" : "  ",
              r.name() + (acc == null ? "" : String.format(Locale.ROOT, "  test acc %.4f", acc)));
        }
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Show a run: params, tags, latest metrics, artifacts.")
  static final class ShowRun implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--store", description = "run store (default ${DEFAULT-VALUE})")
    Path store = Path.of("runs", "taqtir.db");

    @Parameters(paramLabel = "ID", description = "run id or a unique prefix")
    String id;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (RunStore s = open(store)) {
        RunStore.Run r = s.run(id);
        out.printf("run %s (%s) in %s: %s%n", r.id(), r.name(), r.experiment(), r.status());
        if (r.parentId() != null) {
          out.println("parent: " + r.parentId());
        }
        out.println("params:");
        s.params(r.id()).forEach((k, v) -> out.printf("  %s = %s%n", k, v));
        out.println("metrics (latest):");
        s.latestMetrics(r.id()).forEach((k, v) -> out.printf(Locale.ROOT, "  %s = %.6g%n", k, v));
        out.println("tags:");
        s.tags(r.id())
            .forEach(
                (k, v) ->
                    out.printf(
                        "  %s = %s%n",
                        k, k.equals("config") ? "(" + v.lines().count() + " lines of YAML)" : v));
      }
      return 0;
    }
  }
}
