package org.taqtir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.tracking.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code taqtir evaluate <run>}: computes the whole "what did we lose" evaluation again for the
 * students of a finished study run, from their saved weights and the cached teacher outputs,
 * without training; optionally with another {@code evaluation:} block (other corruptions, targets,
 * cascade rule). Results go into a new directory; the original is never touched.
 */
@Command(
    name = "evaluate",
    description =
        "Re-evaluate a finished study run from its saved student weights, without retraining;"
            + " writes the results and the Loss Statement into a new directory.")
final class EvaluateCommand implements Callable<Integer> {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "RUN",
      description = "a study run directory (holding study.resolved.yaml) or a run id (prefix)")
  String target;

  @Option(
      names = "--evaluation",
      paramLabel = "FILE",
      description =
          "YAML file with the evaluation block to use instead (top-level `evaluation:`"
              + " or the block itself)")
  Path evaluationFile;

  @Option(
      names = "-P",
      paramLabel = "PATH=VALUE",
      description =
          "override an evaluation field, e.g. -P evaluation.cascade_budget=0.3, or keep a subset"
              + " of the seeds, e.g. -P seeds=[1]")
  List<String> overrides = List.of();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "where to write (must not exist; default: <run dir>-evaluated-<timestamp>)")
  Path outDir;

  @Option(names = "--store", description = "run store, to find a run id (default ${DEFAULT-VALUE})")
  Path store = Path.of("runs", "taqtir.db");

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path runDir = Path.of(target);
    Path studyFile = null;
    if (!Files.isDirectory(runDir)) {
      if (!Files.isRegularFile(store)) {
        throw new IllegalArgumentException(
            target + ": neither a study run directory nor a run id (no store at " + store + ")");
      }
      try (RunStore s = RunsCommand.open(store)) {
        RunStore.Run run = s.run(target);
        if (run.parentId() != null) {
          run = s.run(run.parentId());
        }
        Map<String, String> tags = s.tags(run.id());
        String dir = tags.get("output.dir");
        if (dir == null) {
          throw new IllegalArgumentException("run " + run.id() + " has no recorded output.dir");
        }
        runDir = Path.of(dir);
        String file = tags.getOrDefault("study.file", "");
        studyFile = file.isEmpty() ? null : Path.of(file);
      }
    }
    runDir = runDir.toAbsolutePath().normalize();
    Path resolved = runDir.resolve("study.resolved.yaml");
    if (!Files.isRegularFile(resolved)) {
      throw new IllegalArgumentException(
          runDir + ": no study.resolved.yaml; give the directory of a finished study run");
    }
    if (studyFile == null) {
      studyFile = recordedStudyFile(runDir, out);
    }
    Map<String, String> o = new LinkedHashMap<>();
    // The run directory is <output.dir>/<study>/<stamp>: teachers and cache are in <output.dir>.
    o.put("output.dir", runDir.getParent().getParent().toString());
    if (evaluationFile != null) {
      o.put("evaluation", evaluationBlock(evaluationFile));
    }
    for (var e : RunCommand.parseOverrides(overrides).entrySet()) {
      if (!e.getKey().equals("evaluation")
          && !e.getKey().startsWith("evaluation.")
          && !e.getKey().equals("seeds")) {
        throw new IllegalArgumentException(
            "-P "
                + e.getKey()
                + "="
                + e.getValue()
                + ": evaluate changes only the evaluation block (evaluation.*) and may keep a"
                + " subset of the seeds; other fields would not match the saved students");
      }
      o.put(e.getKey(), e.getValue());
    }
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    Study study =
        new StudyParser(registry)
            .parse(Files.readString(resolved), studyFile == null ? resolved : studyFile, o);
    List<Long> recorded =
        new StudyParser(registry)
            .parse(
                Files.readString(resolved),
                studyFile == null ? resolved : studyFile,
                Map.of("output.dir", o.get("output.dir")))
            .seeds();
    if (!recorded.containsAll(study.seeds())) {
      throw new IllegalArgumentException(
          "-P seeds=" + study.seeds() + ": the run has students for seeds " + recorded + " only");
    }
    if (!study.evaluation().test()) {
      throw new IllegalArgumentException(
          "evaluation.test is false: there is nothing to evaluate; set evaluation.test: true");
    }
    Path dest =
        outDir != null
            ? outDir.toAbsolutePath().normalize()
            : runDir.resolveSibling(
                runDir.getFileName()
                    + "-evaluated-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    out.println("evaluating " + study.name() + " from " + runDir + " (no training)");
    out.flush();
    long start = System.nanoTime();
    StudyResult result =
        new StudyRunner(
                registry,
                label -> new ProgressListener(label, out),
                line -> {
                  out.println(line);
                  out.flush();
                })
            .reuseStudents(runDir)
            .outputDir(dest)
            .run(study);
    Files.writeString(
        dest.resolve("evaluated-from.txt"),
        "Re-evaluated without training from the saved students of\n" + runDir + "\n");
    boolean targetsMissed = !StudyCli.writeResults(result, out).missedTargets().isEmpty();
    out.printf(
        Locale.ROOT,
        "evaluation: %d runs in %.2f s (teacher set-up, student inference and metrics)%n",
        result.runs().size(),
        (System.nanoTime() - start) / 1e9);
    long failed = result.runs().stream().filter(r -> !r.result().ok()).count();
    if (failed > 0) {
      out.println(failed + " run(s) could not be evaluated; see the table above");
      return 1;
    }
    if (targetsMissed && study.evaluation().failOnTargets()) {
      out.println("preservation targets not met (evaluation.fail_on_targets: true)");
      return 1;
    }
    return 0;
  }

  /**
   * The study file the run was started from, as the run store next to it recorded it (relative
   * paths in the study, e.g. a teacher to load, resolve against its directory); null when unknown.
   */
  private static Path recordedStudyFile(Path runDir, PrintWriter out) {
    Path db = runDir.getParent().getParent().resolve("taqtir.db");
    if (!Files.isRegularFile(db)) {
      return null;
    }
    try (RunStore s = RunStore.openToQuery(db)) {
      for (RunStore.Run r : s.runs(100_000)) {
        if (r.parentId() == null) {
          Map<String, String> tags = s.tags(r.id());
          if (runDir.toString().equals(tags.get("output.dir"))) {
            String file = tags.getOrDefault("study.file", "");
            return file.isEmpty() ? null : Path.of(file);
          }
        }
      }
    } catch (RuntimeException e) {
      out.println(
          "warning: cannot read "
              + db
              + " ("
              + e.getMessage()
              + "); relative paths in the study resolve against "
              + runDir);
    }
    return null;
  }

  /** The file's evaluation block as one YAML flow value. */
  private static String evaluationBlock(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          file + ": must be a mapping: an evaluation block, or a file with `evaluation:`");
    }
    JsonNode block = root.has("evaluation") ? root.get("evaluation") : root;
    return block.toString();
  }
}
