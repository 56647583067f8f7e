package org.taqtir.tracking;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.taqtir.api.Plugin;
import org.taqtir.core.config.Study;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.RunStart;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TeacherSummary;
import org.taqtir.core.study.StudyObserver;
import org.taqtir.core.study.StudyResult;

/**
 * Records a study in a {@link RunStore} as it runs: one parent run for the study (resolved config,
 * provenance, teacher) and one child run per student × method × seed (params, per-epoch metrics,
 * final metrics, artifacts). Each record is committed as soon as it is known.
 */
public final class TrackingObserver implements StudyObserver {

  /** Tag of a student run the study's failure stopped: {@code run --resume} continues it. */
  static final String INTERRUPTED = "interrupted";

  private final RunStore store;
  private final Path home;
  private final PluginRegistry registry;
  private final Map<String, String> runIds = new ConcurrentHashMap<>();
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private long experimentId;
  private String studyRunId;
  private String resumeRunId;
  private long resumedAt;

  /**
   * Creates an observer.
   *
   * @param store the open store (the caller closes it)
   * @param home the Taqtir checkout, for the git commit (may be null)
   * @param registry the plugins, to record which jar each plugin a study uses came from (may be
   *     null)
   */
  public TrackingObserver(RunStore store, Path home, PluginRegistry registry) {
    this.store = store;
    this.home = home;
    this.registry = registry;
  }

  /**
   * Records into an existing study run instead of a new one ({@code taqtir run --resume}): its
   * student runs are matched by label; one that ended on its own (FINISHED, or FAILED by diverging)
   * is left as recorded; an interrupted one (still RUNNING after a kill, or FAILED because the
   * study stopped during it) is marked RUNNING again, its error tag moves to {@code
   * error.before_resume.<resumed.at>}, and its metrics continue at the next step (a step recorded
   * twice keeps one value, so none is duplicated).
   *
   * @param studyRunId the interrupted study run
   * @return this observer
   */
  public TrackingObserver resume(String studyRunId) {
    this.resumeRunId = store.run(studyRunId).id();
    return this;
  }

  /**
   * Returns the id of the study's parent run.
   *
   * @return the id, null before the study started
   */
  public String studyRunId() {
    return studyRunId;
  }

  @Override
  public void studyStarted(Study study, Path outputDir, String dataHash) {
    experimentId = store.experiment(study.name());
    if (resumeRunId != null) {
      studyRunId = resumeRunId;
      for (RunStore.Run child : store.children(studyRunId)) {
        runIds.put(child.name(), child.id());
        boolean stopped = "true".equals(store.tags(child.id()).get(INTERRUPTED));
        if (!"RUNNING".equals(child.status()) && !stopped) {
          done.add(child.name());
        }
      }
      store.reopen(studyRunId);
      resumedAt = System.currentTimeMillis();
      keepError(studyRunId);
      store.tags(studyRunId, Map.of("resumed.at", String.valueOf(resumedAt)));
      return;
    }
    studyRunId = store.startRun(experimentId, null, study.name() + " " + outputDir.getFileName());
    Map<String, String> tags = new LinkedHashMap<>(provenance());
    tags.put("data.hash", dataHash);
    tags.put("output.dir", outputDir.toAbsolutePath().toString());
    tags.put("study.file", study.file() == null ? "" : study.file().toAbsolutePath().toString());
    tags.put("config", study.toYaml());
    tags.putAll(pluginOrigins(study));
    store.tags(studyRunId, tags);
    store.params(
        studyRunId,
        Map.of(
            "seeds", study.seeds().toString(),
            "training.epochs", String.valueOf(study.training().epochs()),
            "training.batch_size", String.valueOf(study.training().batchSize()),
            "training.optimizer", study.training().optimizer().toString(),
            "training.schedule", study.training().schedule().toString()));
  }

  @Override
  public void teacherReady(TeacherSummary t) {
    store.tags(
        studyRunId,
        Map.of(
            "teacher.description", t.description(),
            "teacher.fingerprint", t.fingerprint(),
            "teacher.trained_now", String.valueOf(t.trainedNow())));
    store.metric(studyRunId, "teacher/val_acc", t.valAcc(), 0);
    if (!Double.isNaN(t.testAcc())) {
      store.metric(studyRunId, "teacher/test_acc", t.testAcc(), 0);
    }
  }

  /**
   * Records a run's parameters: who it is (student, architecture, method, the terms as text) and
   * its round-trippable parameters from the strategies' typed {@code Params} ({@code terms.<i>.id},
   * {@code terms.<i>.params.<name>}, ...; see {@link RunStart#params()}).
   */
  @Override
  public void runStarted(RunStart run) {
    String label = run.label();
    if (resumeRunId != null && runIds.containsKey(label)) {
      if (!done.contains(label)) {
        store.reopen(runIds.get(label));
        keepError(runIds.get(label));
        open.add(label);
      }
      return;
    }
    String id = store.startRun(experimentId, studyRunId, label);
    runIds.put(label, id);
    open.add(label);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("student", run.student());
    params.put("architecture", run.architecture());
    params.put("method", run.method());
    params.put("terms", run.description());
    run.sortedParams().forEach(e -> params.put(e.getKey(), e.getValue()));
    params.put("seed", String.valueOf(run.seed()));
    store.params(id, params);
  }

  @Override
  public void epochDone(String label, EpochMetrics m) {
    if (done.contains(label)) {
      return;
    }
    String id = runIds.get(label);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("train/loss", m.trainLoss());
    values.put("val/loss", m.valLoss());
    values.put("val/acc", m.valAcc());
    values.put("train/lr", m.learningRate());
    values.put("train/epoch_seconds", m.seconds());
    values.put("train/samples_per_second", m.samplesPerSecond());
    m.extras().forEach((k, v) -> values.put("val/" + k.replaceFirst("^val_", ""), v));
    values.values().removeIf(v -> !Double.isFinite(v));
    store.metrics(id, values, m.epoch() + 1L);
  }

  @Override
  public void runFinished(String label, RunSummary run) {
    if (done.contains(label)) {
      return;
    }
    String id = runIds.get(label);
    open.remove(label);
    var r = run.result();
    long last = r.history().size();
    try {
      if (r.error() != null) {
        store.tags(id, Map.of("error", r.error()));
      }
      // a run that diverged in its first epoch has no best accuracy (NaN): the store keeps only
      // finite values, so such a metric is left out rather than failing the whole record
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("best/epoch", r.bestEpoch() + 1.0);
      values.put("best/val_acc", r.bestValAcc());
      values.put("test/acc", r.testAcc());
      r.testMetrics().forEach(values::putIfAbsent);
      values.put("params", (double) r.parameterCount());
      values.put("wall_seconds", run.wallSeconds());
      values.values().removeIf(v -> !Double.isFinite(v));
      store.metrics(id, values, last);
      for (String f : new String[] {"history.csv", "student-0000.params", "checkpoint.bin"}) {
        Path p = run.dir().resolve(f);
        if (Files.exists(p)) {
          store.artifact(id, p);
        }
      }
    } finally {
      store.finish(id, r.ok() ? "FINISHED" : "FAILED");
    }
  }

  @Override
  public void studyFinished(StudyResult result) {
    boolean ok = result.runs().stream().allMatch(r -> r.result().ok());
    if (result.report() != null && !result.report().metrics().isEmpty()) {
      store.metrics(studyRunId, result.report().metrics(), 0);
    }
    store.artifact(studyRunId, result.outputDir().resolve("study.resolved.yaml"));
    store.finish(studyRunId, ok ? "FINISHED" : "FAILED");
  }

  /**
   * A resumed run's error is kept under {@code error.before_resume.<resumed.at>} (nothing recorded
   * is lost), and no longer stands as the run's current error.
   */
  private void keepError(String runId) {
    String error = store.tags(runId).get("error");
    if (error != null) {
      store.tags(runId, Map.of("error.before_resume." + resumedAt, error));
    }
    store.removeTags(runId, java.util.List.of("error", INTERRUPTED));
  }

  /**
   * Marks the study run and every student run it left running FAILED, each with the error (one
   * line) as its {@code error} tag: a study that throws never stays RUNNING.
   */
  @Override
  public void studyFailed(Throwable error) {
    if (studyRunId == null) {
      return;
    }
    String message =
        error.getMessage() == null
            ? error.getClass().getSimpleName()
            : error.getMessage().lines().findFirst().orElse("");
    for (String label : Set.copyOf(open)) {
      String id = runIds.get(label);
      store.tags(
          id,
          Map.of("error", "the study stopped during this run: " + message, INTERRUPTED, "true"));
      store.finish(id, "FAILED");
      open.remove(label);
    }
    store.tags(studyRunId, Map.of("error", message));
    store.finish(studyRunId, "FAILED");
  }

  /**
   * For each plugin the study names: {@code plugin.<kind>.<id>} = the jar (or folder) it came from.
   */
  private Map<String, String> pluginOrigins(Study study) {
    Map<String, String> out = new LinkedHashMap<>();
    if (registry == null) {
      return out;
    }
    if (study.teacher().trainArchitecture() != null) {
      origin(out, "student", registry.students().find(study.teacher().trainArchitecture().id()));
    }
    if (study.teacher().load() != null) {
      origin(out, "teacher", registry.teachers().find(study.teacher().load().id()));
    }
    study
        .students()
        .forEach(s -> origin(out, "student", registry.students().find(s.architecture().id())));
    study
        .strategies()
        .forEach(
            m ->
                m.terms()
                    .forEach(
                        t ->
                            origin(
                                out, "strategy", registry.strategies().find(t.strategy().id()))));
    return out;
  }

  private static void origin(
      Map<String, String> out, String kind, java.util.Optional<? extends Plugin> plugin) {
    plugin.ifPresent(
        p -> {
          var source = p.getClass().getProtectionDomain().getCodeSource();
          String where =
              source == null
                  ? "unknown"
                  : Path.of(source.getLocation().getPath()).getFileName().toString();
          String version = p.getClass().getPackage().getImplementationVersion();
          out.put("plugin." + kind + "." + p.id(), where + (version == null ? "" : " " + version));
        });
  }

  /** Environment and versions a run depends on, derived at run time. */
  Map<String, String> provenance() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("taqtir.version", "0.1.0-SNAPSHOT");
    p.put("java.version", System.getProperty("java.version"));
    p.put("java.vendor", System.getProperty("java.vendor"));
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    p.put("arch", System.getProperty("os.arch"));
    p.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    p.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
    try {
      Engine e = Engine.getInstance();
      p.put("engine", e.getEngineName() + " " + e.getVersion());
    } catch (RuntimeException e) {
      p.put("engine", "unavailable: " + e.getMessage());
    }
    p.put("djl.version", Engine.getDjlVersion());
    if (home != null) {
      String commit = git("rev-parse", "HEAD");
      if (commit != null) {
        p.put("git.commit", commit);
        String status = git("status", "--porcelain", "--untracked-files=no");
        p.put("git.dirty", String.valueOf(status != null && !status.isBlank()));
      }
    }
    return p;
  }

  private String git(String... args) {
    try {
      String[] cmd = new String[args.length + 3];
      cmd[0] = "git";
      cmd[1] = "-C";
      cmd[2] = home.toString();
      System.arraycopy(args, 0, cmd, 3, args.length);
      Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(proc.getInputStream().readAllBytes()).trim();
      if (!proc.waitFor(10, TimeUnit.SECONDS) || proc.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
