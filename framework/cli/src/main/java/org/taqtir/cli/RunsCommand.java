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
      RunsCommand.Compare.class,
      RunsCommand.Export.class,
      RunsCommand.Plot.class
    })
final class RunsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Opens an existing store to query it (a damaged one is refused, exit 2). */
  static RunStore open(Path store) {
    exists(store);
    return RunStore.openToQuery(store);
  }

  /** Opens an existing store to record into it: the whole file is checked first. */
  static RunStore openToWrite(Path store) {
    exists(store);
    return RunStore.open(store);
  }

  private static void exists(Path store) {
    if (!Files.exists(store)) {
      throw new IllegalArgumentException(
          store + ": no run store yet (run a study first, or pass --store FILE)");
    }
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
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be >= 1, found " + limit);
      }
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
          write(out, text);
          spec.commandLine().getOut().println("wrote " + out);
        } else {
          spec.commandLine().getOut().print(text);
        }
      }
      return 0;
    }
  }

  /**
   * Writes {@code --out}, saying in one line why it cannot (exit 2): a missing directory, a
   * directory in the way, no permission.
   */
  static void write(Path out, String text) {
    try {
      Files.writeString(out, text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--out " + out + ": cannot write it: " + why(out, e), e);
    }
  }

  /** Creates {@code --out} as a directory, or says in one line why it cannot. */
  static void writableDir(Path out) {
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "--out " + out + ": cannot create this directory: " + why(out, e), e);
    }
  }

  private static String why(Path out, java.io.IOException e) {
    Path parent = out.toAbsolutePath().getParent();
    if (e instanceof java.nio.file.NoSuchFileException && parent != null && !Files.exists(parent)) {
      return "its directory " + parent + " does not exist";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (Files.isDirectory(out)) {
      return "it is a directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  /** The study runs named by {@code --study} (its latest) and by ids, at least one. */
  static java.util.List<RunStore.Run> studies(
      RunStore s, String study, java.util.List<String> ids) {
    java.util.List<RunStore.Run> studies = new java.util.ArrayList<>();
    if (study != null) {
      studies.add(s.latestStudyRun(study));
    }
    for (String id : ids) {
      RunStore.Run r = s.run(id);
      studies.add(r.parentId() == null ? r : s.run(r.parentId()));
    }
    if (studies.isEmpty()) {
      throw new IllegalArgumentException(
          "give --study NAME or study run ids (see taqtir runs list)");
    }
    return studies;
  }

  @Command(
      name = "export",
      description =
          "Export the student runs of studies (latest run of --study, or the given run ids): one"
              + " row per run with its params and latest metrics, or with --history every metric"
              + " at every step; as CSV, Markdown or HTML.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--store", description = "run store (default ${DEFAULT-VALUE})")
    Path store = Path.of("runs", "taqtir.db");

    @Option(names = "--study", description = "study name: export its latest recorded run")
    String study;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "study run ids (or prefixes)")
    java.util.List<String> ids = java.util.List.of();

    @Option(names = "--format", description = "csv (default), md or html")
    String format = "csv";

    @Option(
        names = "--history",
        description = "every metric at every step (long format: run, name, key, step, value)")
    boolean history;

    @Option(names = "--out", description = "write to this file instead of the terminal")
    Path out;

    @Override
    public Integer call() throws java.io.IOException {
      if (!java.util.List.of("md", "csv", "html").contains(format)) {
        throw new IllegalArgumentException("--format must be csv, md or html, found " + format);
      }
      try (RunStore s = open(store)) {
        org.taqtir.report.RunViews v = org.taqtir.report.RunViews.of(s);
        java.util.List<RunStore.Run> studies = studies(s, study, ids);
        tech.tablesaw.api.Table t = history ? longHistory(s, studies) : v.runTable(studies);
        String text =
            switch (format) {
              case "md" -> org.taqtir.report.RunViews.markdown(t);
              case "html" ->
                  org.taqtir.report.Html.of("runs", org.taqtir.report.RunViews.markdown(t));
              default -> t.write().toString("csv");
            };
        if (out != null) {
          write(out, text);
          spec.commandLine().getOut().println("wrote " + t.rowCount() + " rows to " + out);
        } else {
          spec.commandLine().getOut().print(text);
        }
      }
      return 0;
    }

    private static tech.tablesaw.api.Table longHistory(
        RunStore s, java.util.List<RunStore.Run> studies) {
      var run = tech.tablesaw.api.StringColumn.create("run_id");
      var name = tech.tablesaw.api.StringColumn.create("name");
      var key = tech.tablesaw.api.StringColumn.create("key");
      var step = tech.tablesaw.api.LongColumn.create("step");
      var value = tech.tablesaw.api.DoubleColumn.create("value");
      for (RunStore.Run st : studies) {
        for (RunStore.Run c : s.children(st.id())) {
          for (String k : s.latestMetrics(c.id()).keySet()) {
            for (double[] p : s.history(c.id(), k)) {
              run.append(c.id());
              name.append(c.name());
              key.append(k);
              step.append((long) p[0]);
              value.append(p[1]);
            }
          }
        }
      }
      return tech.tablesaw.api.Table.create("history", run, name, key, step, value);
    }
  }

  @Command(
      name = "plot",
      description =
          "Plot from the store: learning curves (a metric per step, one line per student run) and"
              + " the strategy comparison (mean ± std over seeds as error bars), as PNG.")
  static final class Plot implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--store", description = "run store (default ${DEFAULT-VALUE})")
    Path store = Path.of("runs", "taqtir.db");

    @Option(names = "--study", description = "study name: plot its latest recorded run")
    String study;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "study run ids (or prefixes)")
    java.util.List<String> ids = java.util.List.of();

    @Option(
        names = "--metric",
        description = "metric of the learning curves (default ${DEFAULT-VALUE})")
    String metric = "val/acc";

    @Option(
        names = "--compare",
        description = "test_acc (default) or val_acc for the comparison bars")
    String compare = "test_acc";

    @Option(names = "--out", description = "directory for the PNGs (default ${DEFAULT-VALUE})")
    Path out = Path.of(".");

    @Override
    public Integer call() throws java.io.IOException {
      PrintWriter w = spec.commandLine().getOut();
      try (RunStore s = open(store)) {
        org.taqtir.report.RunViews v = org.taqtir.report.RunViews.of(s);
        java.util.List<RunStore.Run> studies = studies(s, study, ids);
        java.util.List<RunStore.Run> children = new java.util.ArrayList<>();
        studies.forEach(st -> children.addAll(s.children(st.id())));
        writableDir(out);
        Path curves =
            org.taqtir.report.StudyCharts.savePng(
                v.learningCurves(children, metric),
                out.resolve("learning-curves-" + metric.replaceAll("[^A-Za-z0-9]+", "-") + ".png"));
        Path bars =
            org.taqtir.report.StudyCharts.savePng(
                v.strategyComparison(v.comparison(studies), compare),
                out.resolve("comparison-" + compare + ".png"));
        w.println("wrote " + curves + "\n      " + bars);
      }
      return 0;
    }
  }
}
