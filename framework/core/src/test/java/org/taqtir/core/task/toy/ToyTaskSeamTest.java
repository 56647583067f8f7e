package org.taqtir.core.task.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.History;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyPipeline;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;

/**
 * Proves the task seam: a task the core does not know ({@code toy-sequence}, next-token prediction
 * over windows of a Markov chain), with its own data block, student, label loss, distillation loss,
 * validation metrics, selection metric, evaluation and report, found through {@link
 * java.util.ServiceLoader} from a class path entry of its own, runs end to end through the same
 * parser, pipeline, training loop, teacher cache and renderer dispatch as classification.
 */
class ToyTaskSeamTest {

  @TempDir Path dir;

  private static ClassLoader toyPlugin() throws Exception {
    URL plugin = ToyTaskSeamTest.class.getResource("/toy-plugin/");
    return new URLClassLoader(new URL[] {plugin}, ToyTaskSeamTest.class.getClassLoader());
  }

  private String yaml(String outputs, String methods) {
    return """
        name: toy
        task: toy-sequence
        data: {windows: 240, length: 12, vocabulary: 6, seed: 4}
        teacher:
          train:
            architecture: {id: toy-bigram, params: {width: 16}}
            training: {epochs: 3}
          outputs: %s
        students:
          - {name: small, architecture: {id: toy-bigram, params: {width: 3}}}
        strategies:
        %s
        training:
          epochs: 3
          batch_size: 16
          optimizer: {type: adam, lr: 0.05}
        seeds: [1]
        output: {dir: %s}
        """
        .formatted(outputs, methods, dir.resolve("runs"));
  }

  private static final String METHODS =
      "  - id: toy-next-token\n  - {name: kd, terms: [{id: toy-next-token}, {id: toy-token-kl}]}";

  @Test
  void aTaskOutsideTheCoreRunsEndToEndThroughTheSameSpi() throws Exception {
    ClassLoader loader = toyPlugin();
    PluginRegistry registry = PluginRegistry.load(loader);
    assertTrue(registry.tasks().ids().contains("toy-sequence"), registry.tasks().ids().toString());
    Path file = dir.resolve("toy.yaml");
    Files.writeString(file, yaml("cached", METHODS));
    Study study = new StudyParser(registry).parse(file, Map.of());
    assertEquals("toy-sequence", study.task());
    assertEquals(study, new StudyParser(registry).parse(study.toYaml(), file, Map.of()));

    StudyResult result =
        new StudyRunner(registry, label -> TrainingListener.NONE, line -> {}).run(study);
    assertEquals(2, result.runs().size());
    for (RunSummary r : result.runs()) {
      assertTrue(r.result().ok(), r.result().error());
      // chance is 1/6; the chain follows its likely successor 80 % of the time
      assertTrue(r.result().testAcc() > 0.5, r.method() + ": " + r.result().testAcc());
      // selected on validation loss (the task's choice), not accuracy
      List<EpochMetrics> h = r.result().history();
      EpochMetrics best = h.get(r.result().bestEpoch());
      assertTrue(h.stream().allMatch(m -> m.valLoss() >= best.valLoss()), h.toString());
      assertTrue(best.extras().containsKey("val_bits_per_token"), best.toString());
      List<EpochMetrics> written = History.read(r.dir().resolve(History.FILE));
      assertEquals(h.size(), written.size());
      assertEquals(best.extras().keySet(), written.get(0).extras().keySet());
      assertEquals(r.result().testMetrics().get("test/acc"), r.result().testAcc());
    }
    assertTrue(result.teacher().testAcc() > 0.5, "teacher " + result.teacher());
    ToySequenceTask.Report report = assertInstanceOf(ToySequenceTask.Report.class, result.report());
    assertTrue(report.metrics().containsKey("toy/kd/test_acc"), report.toString());
    assertTrue(Files.exists(result.outputDir().resolve("loss-report.json")));

    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      var rendered = StudyPipeline.render(result, line -> {});
      assertEquals(List.of(result.outputDir().resolve("toy-report.md")), rendered.files());
    } finally {
      t.setContextClassLoader(before);
    }

    // the teacher run live on every batch gives the cached run's numbers, bit for bit
    Path perBatch = dir.resolve("toy-per-batch.yaml");
    Files.writeString(perBatch, yaml("per-batch", METHODS));
    StudyResult live =
        new StudyRunner(registry, label -> TrainingListener.NONE, line -> {})
            .run(new StudyParser(registry).parse(perBatch, Map.of()));
    assertEquals(result.runs().get(1).result().bits(), live.runs().get(1).result().bits());
  }

  @Test
  void pluginsOfAnotherTaskAreRefusedWhenTheStudyIsRead() throws Exception {
    PluginRegistry registry = PluginRegistry.load(toyPlugin());
    Path file = dir.resolve("toy.yaml");
    Files.writeString(file, yaml("cached", "  - id: hinton-kd"));
    ConfigException e =
        assertThrows(ConfigException.class, () -> new StudyParser(registry).parse(file, Map.of()));
    assertTrue(
        e.getMessage()
            .contains(
                "strategies[0].id: strategy 'hinton-kd' works with classification, not with this"
                    + " study's task toy-sequence; strategies for toy-sequence: toy-next-token,"
                    + " toy-token-kl"),
        e.getMessage());
  }
}
