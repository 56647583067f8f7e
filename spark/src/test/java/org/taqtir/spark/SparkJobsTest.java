package org.taqtir.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.Teacher;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.Synthetic;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.teacher.TeacherOutputCache;
import org.taqtir.core.train.TrainingListener;
import org.taqtir.tracking.RunStore;

/**
 * The two jobs in {@code local[2,2]} (two task threads, two attempts per task) on tiny synthetic
 * data: the precomputed cache is bitwise the single-process one and a study reads it; a 12-run
 * sweep whose one task dies once records all 12 runs exactly once; failed runs are recorded as
 * failed.
 */
class SparkJobsTest {

  private static JavaSparkContext sc;
  private static final PluginRegistry REGISTRY = PluginRegistry.load();

  @BeforeAll
  static void start() {
    sc =
        new JavaSparkContext(
            new SparkConf()
                .setMaster("local[2,2]")
                .setAppName("taqtir-spark-test")
                .set("spark.ui.enabled", "false")
                // the run processes get this JVM's PyTorch thread count, so comparing a run here
                // with the same run in a task does not depend on the thread count
                .set("spark.taqtir.runThreads", "2")
                .set("spark.driver.host", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.close();
    }
  }

  private static Study study(Path dir, Path data, String methods, String students, String extra)
      throws Exception {
    String yaml =
        """
        name: spark-tiny
        data:
          dir: %s
          validation: 100
          split_seed: 3
        teacher:
          train:
            architecture: {id: mlp, params: {hidden: [32]}}
            training: {epochs: 1, batch_size: 64}
        students:
        %s
        strategies:
        %s
        training:
          epochs: 1
          batch_size: 64
          optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
        output:
          dir: %s
        %s
        """
            .formatted(data, students, methods, dir.resolve("runs"), extra);
    Path f = dir.resolve("study.yaml");
    Files.writeString(f, yaml);
    return new StudyParser(REGISTRY).parse(f, Map.of());
  }

  @Test
  void precomputedCacheIsBitwiseTheSingleProcessOneAndAStudyReadsIt(@TempDir Path dir)
      throws Exception {
    // 2,600 training images: 2,500 after validation, so the transfer set has 3 ranges of 1,000
    // rows and the test set 2: both cross partitions
    Path data = Synthetic.writeTinyFashionLike(dir.resolve("data"), 2600, 1500, 7);
    Study study =
        study(
            dir,
            data,
            "  - {name: kd, id: hinton-kd}\n  - {name: hint, id: fitnets}",
            "  - {name: small, architecture: {id: mlp, params: {hidden: [8]}}}",
            "seeds: [1]");
    StudyData loaded = StudyData.driver(REGISTRY, study);
    List<TeacherPrecompute.Written> written = TeacherPrecompute.run(sc, loaded, 2, line -> {});
    // the study's loss statement also reads the teacher on the corrupted test sets
    assertEquals(List.of("train", "validation", "test"), names(written).subList(0, 3));
    assertEquals(3 + 15, written.size(), names(written).toString());
    assertEquals(2500, written.get(0).rows());

    // the single-process path: the same teacher, loaded as a study loads it, into another cache
    Path single = dir.resolve("single-cache");
    Set<String> taps = loaded.resolved.teacherTaps();
    assertEquals(Set.of("hidden1"), taps);
    try (NDManager manager = NDManager.newBaseManager();
        StudyData again = StudyData.driver(REGISTRY, study)) {
      Teacher teacher = again.teacher();
      TeacherOutputCache cache = new TeacherOutputCache(single);
      for (var e : loaded.targets(taps).entrySet()) {
        TeacherOutputCache.Entry entry =
            cache.get(teacher, e.getValue().data(), e.getValue().taps(), manager);
        assertFalse(entry.hit(), e.getKey());
      }
    }
    for (TeacherPrecompute.Written w : written) {
      Path twin = single.resolve(w.file().getFileName());
      assertTrue(Files.isRegularFile(twin), twin.toString());
      assertArrayEquals(Files.readAllBytes(twin), Files.readAllBytes(w.file()), w.target());
    }

    // a single-machine run of the study reads the Spark cache instead of running the teacher
    StudyResult result =
        new StudyRunner(REGISTRY, l -> TrainingListener.NONE, l -> {})
            .run(new StudyParser(REGISTRY).parse(study.file(), Map.of()));
    assertTrue(result.teacher().cacheHit(), "the study ran the teacher over the transfer set");
    assertFalse(result.teacher().trainedNow());
  }

  @Test
  void sweepRecordsEveryRunExactlyOnceWhenATaskDiesAndIsRetried(@TempDir Path dir)
      throws Exception {
    Path data = Synthetic.writeTinyFashionLike(dir.resolve("data"), 500, 150, 11);
    // 2 students x 2 methods x 3 seeds = 12 runs
    Study study =
        study(
            dir,
            data,
            "  - {name: ce, id: labels-only}\n  - {name: kd, id: hinton-kd}",
            "  - {name: tiny, architecture: {id: mlp, params: {hidden: [8]}}}\n"
                + "  - {name: small, architecture: {id: mlp, params: {hidden: [16]}}}",
            "seeds: [1, 2, 3]");
    StudyData loaded = StudyData.driver(REGISTRY, study);
    StudySweep.prepare(sc, loaded, 2, l -> {});
    Path storeFile = StudySweep.defaultStore(study);
    String killed = "small/kd/seed2";
    System.setProperty(SweepTask.KILL_FIRST_ATTEMPT, killed);
    StudySweep.Summary summary;
    try (RunStore store = RunStore.open(storeFile)) {
      summary = StudySweep.run(sc, loaded, store, StudySweep.root(loaded), l -> {});
    } finally {
      System.clearProperty(SweepTask.KILL_FIRST_ATTEMPT);
    }
    assertEquals(12, summary.outcomes().size());
    assertEquals(12, summary.count("FINISHED"), summary.outcomes().toString());
    StudySweep.Outcome retried =
        summary.outcomes().stream().filter(o -> o.label().equals(killed)).findFirst().get();
    assertEquals(2, retried.attempts(), "the killed task's first attempt left its directory");

    try (RunStore store = RunStore.open(storeFile)) {
      List<RunStore.Run> children = store.children(summary.sweepRunId());
      assertEquals(12, children.size());
      Set<String> labels = new HashSet<>();
      for (RunStore.Run r : children) {
        assertEquals("FINISHED", r.status(), r.name());
        assertTrue(labels.add(r.name()), "recorded twice: " + r.name());
        assertNotNull(store.latestMetrics(r.id()).get("best/val_acc"), r.name());
      }
      // the store holds nothing else but the sweep run
      assertEquals(13, store.runs(Integer.MAX_VALUE).size());
      assertEquals("FINISHED", store.run(summary.sweepRunId()).status());
    }

    // a task's run is a normal Taqtir run: the same run in this JVM has the same loss, bit for bit
    SweepRun one =
        loaded.ready(loaded.grid()).stream()
            .filter(r -> r.label().equals("tiny/kd/seed3"))
            .findFirst()
            .orElseThrow();
    StudyResult here =
        new StudyRunner(REGISTRY, l -> TrainingListener.NONE, l -> {})
            .outputDir(dir.resolve("here"))
            .run(new StudyParser(REGISTRY).parse(one.yaml(), study.file(), Map.of()));
    try (RunStore store = RunStore.open(storeFile)) {
      List<double[]> recorded = store.history(one.id(), "train/loss");
      var history = here.runs().get(0).result().history();
      assertEquals(history.size(), recorded.size());
      for (int i = 0; i < history.size(); i++) {
        assertEquals(history.get(i).trainLoss(), recorded.get(i)[1], 0.0, "epoch " + (i + 1));
      }
    }

    // a second sweep finds every run finished and runs nothing
    try (RunStore store = RunStore.open(storeFile)) {
      StudySweep.Summary again =
          StudySweep.run(sc, loaded, store, StudySweep.root(loaded), l -> {});
      assertTrue(again.outcomes().stream().allMatch(o -> o.how().equals("skipped")));
      assertEquals(0, again.seconds());
      assertEquals(13, store.runs(Integer.MAX_VALUE).size());
    }
  }

  @Test
  void aLanguageModellingStudySweepsLikeAClassificationOne(@TempDir Path dir) throws Exception {
    List<String> files = new ArrayList<>();
    String[] words = {"the cat", "a dog", "my sister", "saw", "liked", "the garden", "a letter"};
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int f = 0; f < 8; f++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 120; i++) {
        sb.append(words[r.nextInt(words.length)]).append(i % 9 == 8 ? ".\n" : " ");
      }
      Path p = dir.resolve("chapter" + f + ".txt");
      Files.writeString(p, sb.toString());
      files.add(p.toString());
    }
    Path f = dir.resolve("lm.yaml");
    Files.writeString(
        f,
        """
        name: spark-lm
        task: language-modelling
        data: {source: text, corpus: files, files: %s, every: 4, window: 16}
        teacher:
          train:
            architecture: {id: gpt, params: {layers: 1, width: 16, heads: 2}}
            training: {epochs: 1}
        students:
          - {name: s, architecture: {id: gpt, params: {layers: 1, width: 8, heads: 2}}}
        strategies:
          - id: next-token
          - id: forward-kl
        training: {epochs: 1, batch_size: 16, optimizer: {type: adam, lr: 0.003}}
        seeds: [1, 2]
        evaluation: {samples: 0}
        output: {dir: %s, plots: false}
        """
            .formatted(files, dir.resolve("runs")));
    Study study = new StudyParser(REGISTRY).parse(f, Map.of());
    StudyData loaded = StudyData.driver(REGISTRY, study);
    StudySweep.prepare(sc, loaded, 2, l -> {});
    StudySweep.Summary summary;
    try (RunStore store = RunStore.open(StudySweep.defaultStore(study))) {
      summary = StudySweep.run(sc, loaded, store, StudySweep.root(loaded), l -> {});
      assertEquals(4, summary.count("FINISHED"), summary.outcomes().toString());
      for (RunStore.Run run : store.children(summary.sweepRunId())) {
        assertNotNull(store.latestMetrics(run.id()).get("test/bpc"), run.name());
      }
    }
    // the sweep's run is the run this JVM trains, bit for bit
    SweepRun one =
        loaded.ready(loaded.grid()).stream()
            .filter(x -> x.label().equals("s/forward-kl/seed2"))
            .findFirst()
            .orElseThrow();
    StudyResult here =
        new StudyRunner(REGISTRY, l -> TrainingListener.NONE, l -> {})
            .outputDir(dir.resolve("here"))
            .run(new StudyParser(REGISTRY).parse(one.yaml(), study.file(), Map.of()));
    try (RunStore store = RunStore.open(StudySweep.defaultStore(study))) {
      List<double[]> recorded = store.history(one.id(), "train/loss");
      assertEquals(here.runs().get(0).result().history().get(0).trainLoss(), recorded.get(0)[1]);
    }
  }

  @Test
  void aRunWhoseEveryAttemptDiesIsRecordedFailedAndTheNextSweepFinishesIt(@TempDir Path dir)
      throws Exception {
    Path data = Synthetic.writeTinyFashionLike(dir.resolve("data"), 300, 100, 17);
    Study study =
        study(
            dir,
            data,
            "  - {name: ce, id: labels-only}",
            "  - {name: tiny, architecture: {id: mlp, params: {hidden: [8]}}}",
            "seeds: [1, 2]\nevaluation: {test: false}");
    StudyData loaded = StudyData.driver(REGISTRY, study);
    Path storeFile = dir.resolve("sweep.db");
    Path root = dir.resolve("sweep");
    System.setProperty(SweepTask.KILL_EVERY_ATTEMPT, "tiny/ce/seed1");
    try (RunStore store = RunStore.open(storeFile)) {
      StudySweep.Summary s = StudySweep.run(sc, loaded, store, root, l -> {});
      StudySweep.Outcome dead = s.outcomes().get(0);
      assertEquals("FAILED", dead.status());
      assertEquals(2, dead.attempts(), "local[2,2] tried it twice");
      assertTrue(dead.error().startsWith("every attempt died: "), dead.error());
      assertTrue(dead.error().contains("exit 137"), dead.error());
      // the other run finished, or was stopped with the failed job: either way recorded once
      assertEquals(2, store.children(s.sweepRunId()).size());
    } finally {
      System.clearProperty(SweepTask.KILL_EVERY_ATTEMPT);
    }
    try (RunStore store = RunStore.open(storeFile)) {
      StudySweep.Summary s = StudySweep.run(sc, loaded, store, root, l -> {});
      assertEquals(2, s.count("FINISHED"), s.outcomes().toString());
      assertEquals("ran", s.outcomes().get(0).how());
      assertEquals(2, store.children(s.sweepRunId()).size());
      assertEquals(3, store.runs(Integer.MAX_VALUE).size());
      assertEquals(null, store.tags(s.outcomes().get(0).id()).get("error"));
    }
  }

  @Test
  void aRunThatFailsIsRecordedAsFailedAndAFinishedAttemptOnDiskIsGathered(@TempDir Path dir)
      throws Exception {
    Path data = Synthetic.writeTinyFashionLike(dir.resolve("data"), 300, 100, 13);
    // an absurd learning rate makes both runs diverge: a run error, not a task failure
    Study study =
        study(
            dir,
            data,
            "  - {name: ce, id: labels-only}",
            "  - {name: tiny, architecture: {id: mlp, params: {hidden: [8]}}}",
            "seeds: [1, 2]\nevaluation: {test: false}");
    study = new StudyParser(REGISTRY).parse(study.file(), Map.of("training.optimizer.lr", "1e30"));
    StudyData loaded = StudyData.driver(REGISTRY, study);
    Path storeFile = dir.resolve("sweep.db");
    try (RunStore store = RunStore.open(storeFile)) {
      StudySweep.Summary s = StudySweep.run(sc, loaded, store, dir.resolve("sweep"), l -> {});
      assertEquals(2, s.count("FAILED"));
      for (StudySweep.Outcome o : s.outcomes()) {
        assertEquals("FAILED", store.run(o.id()).status());
        assertTrue(
            o.error() != null && o.error().startsWith("training diverged at epoch"),
            o.label() + ": " + o.error());
        assertEquals(o.error(), store.tags(o.id()).get("error"));
      }
      assertEquals("FAILED", store.run(s.sweepRunId()).status());
      assertEquals(3, store.runs(Integer.MAX_VALUE).size());
    }
    // the runs as a sweep that died before gathering would leave them: finished attempts on disk,
    // nothing in the store; the next sweep gathers them without running anything
    Study sane = new StudyParser(REGISTRY).parse(study.file(), Map.of());
    StudyData ok = StudyData.driver(REGISTRY, sane);
    Path root = dir.resolve("sweep-ok");
    List<SweepTask.Result> direct = new ArrayList<>();
    SweepTask task = new SweepTask(sane.file().toString(), root, 2);
    for (SweepRun r : ok.ready(ok.grid())) {
      direct.add(task.call(r));
    }
    assertTrue(direct.stream().allMatch(r -> r.status().equals("FINISHED")));
    try (RunStore store = RunStore.open(dir.resolve("gathered.db"))) {
      StudySweep.Summary s = StudySweep.run(sc, ok, store, root, l -> {});
      assertTrue(s.outcomes().stream().allMatch(o -> o.how().equals("gathered")), s.toString());
      assertEquals(2, s.count("FINISHED"));
      assertEquals(3, store.runs(Integer.MAX_VALUE).size());
    }
  }

  @Test
  void aMissingOrBadStudyFileIsOneLine(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {"sweep", dir.resolve("nope.yaml").toString()},
            new PrintWriter(out),
            new PrintWriter(err));
    assertEquals(2, code);
    assertEquals(
        "taqtir-spark: " + dir.resolve("nope.yaml") + ": no such study file",
        err.toString().trim());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: x\ntraining: {epochs: -1}\n");
    err.getBuffer().setLength(0);
    code =
        Main.execute(
            new String[] {"precompute", bad.toString()},
            new PrintWriter(out),
            new PrintWriter(err));
    assertEquals(2, code);
    assertTrue(err.toString().startsWith("taqtir-spark: bad.yaml"), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  private static List<String> names(List<TeacherPrecompute.Written> written) {
    return written.stream().map(TeacherPrecompute.Written::target).toList();
  }

  static long count(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
