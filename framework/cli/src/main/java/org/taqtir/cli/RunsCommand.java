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
    subcommands = {
      RunsCommand.ListRuns.class,
      RunsCommand.ShowRun.class,
      RunsCommand.Compare.class
    })
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

  @Command(
      name = "compare",
      description =
          "Compare the runs of a study (its latest recorded run, or the given study run ids):"
              + " mean ± std over seeds per student and method.")
  static final class Compare implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--store", description = "run store (default ${DEFAULT-VALUE})")
    Path store = Path.of("runs", "taqtir.db");

    @Option(names = "--study", description = "study name: compare its latest recorded run")
    String study;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "study run ids (or prefixes)")
    java.util.List<String> ids = java.util.List.of();

    @Option(names = "--format", description = "md (default), csv or html")
    String format = "md";

    @Option(names = "--out", description = "write to this file instead of the terminal")
    Path out;

    @Override
    public Integer call() throws java.io.IOException {
      if (!java.util.List.of("md", "csv", "html").contains(format)) {
        throw new IllegalArgumentException("--format must be md, csv or html, found " + format);
      }
      try (RunStore s = open(store)) {
        java.util.List<RunStore.Run> studies = new java.util.ArrayList<>();
        if (study != null) {
          studies.add(s.latestStudyRun(study));
        }
        for (String id : ids) {
          studies.add(s.run(id));
        }
        if (studies.isEmpty()) {
          throw new IllegalArgumentException(
              "give --study NAME or study run ids (see taqtir runs list)");
        }
        tech.tablesaw.api.Table t = RunComparison.table(s, studies);
        String text =
            switch (format) {
              case "csv" -> t.write().toString("csv");
              case "html" -> org.taqtir.report.Html.of("comparison", RunComparison.markdown(t));
              default -> RunComparison.markdown(t);
            };
        if (out != null) {
          java.nio.file.Files.writeString(out, text);
          spec.commandLine().getOut().println("wrote " + out);
        } else {
          spec.commandLine().getOut().print(text);
        }
      }
      return 0;
    }
  }
}
