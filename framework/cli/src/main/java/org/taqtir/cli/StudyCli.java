package org.taqtir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.study.RunLock;
import org.taqtir.core.study.StudyPipeline;
import org.taqtir.core.study.StudyRenderer;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.tracking.MlflowSink;
import org.taqtir.tracking.RunStore;
import org.taqtir.tracking.TrackingObserver;

/** Shared by {@code run} and {@code quickstart}: parse, run, print and write the results. */
final class StudyCli {

  private StudyCli() {}

  static int run(Path file, Map<String, String> overrides, PrintWriter out) {
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    Study study = new StudyParser(registry).parse(file, overrides);
    out.println("study " + study.name() + " (" + file + ")");
    out.flush();
    Path storeFile = study.output().dir().resolve("taqtir.db");
    try (RunStore store = RunStore.open(storeFile)) {
      return run(study, registry, out, store);
    }
  }

  /**
   * {@code taqtir run --resume <run>}: continues a recorded study run in its own directory. The
   * run's lock is taken first, then its status read again: a run another process is running or
   * resuming is refused, and so is one that finished (nothing to resume: {@code reproduce} runs it
   * again), so no student run is ever trained or recorded twice.
   */
  static int resume(String id, Path storeFile, PrintWriter out) {
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    try (RunStore store = RunsCommand.openToWrite(storeFile)) {
      RunStore.Run run = store.run(id);
      if (run.parentId() != null) {
        run = store.run(run.parentId());
      }
      Map<String, String> tags = store.tags(run.id());
      String yaml = tags.get("config");
      String dir = tags.get("output.dir");
      if (yaml == null || dir == null) {
        throw new IllegalArgumentException(
            "run " + run.id() + " has no stored config or output directory; it cannot be resumed");
      }
      Path runDir = Path.of(dir);
      if (!Files.isDirectory(runDir)) {
        throw new IllegalArgumentException(
            "run " + run.id() + ": its directory " + runDir + " is gone; it cannot be resumed");
      }
      try (RunLock lock =
          RunLock.acquire(
              runDir,
              "run "
                  + run.id()
                  + " is being run or resumed by another process (it holds "
                  + runDir.resolve(RunLock.FILE)
                  + "); wait for it to end")) {
        run = store.run(run.id());
        if ("FINISHED".equals(run.status())) {
          throw new IllegalArgumentException(
              "run "
                  + run.id()
                  + " finished; there is nothing to resume (its records and results stay as they"
                  + " are); to run the study again, use taqtir reproduce "
                  + run.id().substring(0, 8));
        }
        String file = tags.getOrDefault("study.file", "");
        Study study =
            new StudyParser(registry).parse(yaml, file.isEmpty() ? null : Path.of(file), Map.of());
        out.println("resuming " + run.name() + " (" + run.id() + ", was " + run.status() + ")");
        out.flush();
        return run(study, registry, out, store, run.id(), runDir);
      }
    }
  }

  /**
   * Runs a parsed study, records it in the store, prints and writes its results.
   *
   * @return the exit code
   */
  static int run(Study study, PluginRegistry registry, PrintWriter out, RunStore store) {
    return run(study, registry, out, store, null, null);
  }

  private static int run(
      Study study,
      PluginRegistry registry,
      PrintWriter out,
      RunStore store,
      String resumeRunId,
      Path resumeDir) {
    mirror(store, out);
    TrackingObserver tracking =
        new TrackingObserver(store, Path.of(System.getProperty("taqtir.home", ".")), registry);
    if (resumeRunId != null) {
      tracking.resume(resumeRunId);
    }
    StudyRunner runner =
        new StudyRunner(
            registry,
            label -> new ProgressListener(label, out),
            line -> {
              out.println(line);
              out.flush();
            });
    runner.observer(tracking);
    if (resumeDir != null) {
      runner.resume(resumeDir);
    }
    StudyResult result = runner.run(study);
    StudyRenderer.Rendered rendered = writeResults(result, out);
    recordArtifacts(store, tracking.studyRunId(), rendered.files(), runner.pipeline(), out);
    int failures = runner.pipeline().recordingFailures();
    if (failures > 0 || tracking.studyRunId() == null) {
      out.println(
          "NOT RECORDED: "
              + failures
              + " record(s) of this study failed in "
              + store.file()
              + " (first: "
              + runner.pipeline().firstRecordingFailure()
              + "); its files are in "
              + result.outputDir());
      return 1;
    }
    out.println("recorded: run " + tracking.studyRunId() + " in " + store.file());
    long failed = result.runs().stream().filter(r -> !r.result().ok()).count();
    if (failed > 0) {
      out.println(failed + " run(s) failed; see the table above");
      return 1;
    }
    if (!rendered.missedTargets().isEmpty() && study.evaluation().failOnTargets()) {
      out.println("preservation targets not met (evaluation.fail_on_targets: true)");
      return 1;
    }
    return 0;
  }

  /**
   * Mirrors the store into MLflow when {@code MLFLOW_TRACKING_URI} (or the system property {@code
   * taqtir.mlflow.uri}, which wins) is an http(s) URL. The local store is written first either way.
   */
  static void mirror(RunStore store, PrintWriter out) {
    String uri = System.getProperty("taqtir.mlflow.uri", System.getenv(MlflowSink.ENV));
    if (uri == null || uri.isBlank()) {
      return;
    }
    java.util.function.Consumer<String> warn =
        line -> {
          out.println(line);
          out.flush();
        };
    var sink = MlflowSink.forUri(uri, warn);
    if (sink.isEmpty()) {
      warn.accept(
          "note: "
              + MlflowSink.ENV
              + "="
              + uri
              + " is not an http(s) server; runs are recorded only in "
              + store.file());
      return;
    }
    store.mirror(sink.get(), warn);
    warn.accept("mirroring runs to " + sink.get().name());
  }

  /**
   * Prints the results table and writes the study's report (tables, plots, the Distillation Loss
   * Statement) into the result's directory, through the renderers of the study's task.
   *
   * @return what was written
   */
  static StudyRenderer.Rendered writeResults(StudyResult result, PrintWriter out) {
    return StudyPipeline.render(
        result,
        line -> {
          out.println(line);
          out.flush();
        });
  }

  private static void recordArtifacts(
      RunStore store,
      String runId,
      java.util.List<Path> files,
      StudyPipeline pipeline,
      PrintWriter out) {
    if (runId == null) {
      return;
    }
    pipeline.observe(
        o -> {
          for (Path f : files) {
            if (Files.exists(f)) {
              store.artifact(runId, f);
            }
          }
        });
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
