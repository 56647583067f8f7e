package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;

/**
 * Language-model distillation through the study pipeline: token-level divergences from cached
 * teacher outputs give the same bits as from the teacher run on every batch; a top-k teacher's
 * cache holds k ids, k log-probabilities and a tail per position and trains; a temperature with
 * top-k outputs is refused.
 */
class LanguageModelDistillationTest {

  @TempDir Path dir;

  private static final PluginRegistry REGISTRY =
      PluginRegistry.load(LanguageModelDistillationTest.class.getClassLoader());

  private Path study(String teacherExtra, String methods) throws Exception {
    List<Path> files = TinyTexts.write(dir, 12);
    Path file = dir.resolve("kd.yaml");
    Files.writeString(
        file,
        """
        name: tiny-lm-kd
        task: language-modelling
        data: {source: text, corpus: files, files: %s, every: 4, window: 16}
        teacher:
          train:
            architecture: {id: gpt, params: {layers: 1, width: 32, heads: 2}}
            training: {epochs: 1}
          %s
        students:
          - {name: s, architecture: {id: gpt, params: {layers: 1, width: 8, heads: 2}}}
        strategies:
        %s
        training: {epochs: 1, batch_size: 16, optimizer: {type: adam, lr: 0.003}}
        seeds: [1]
        evaluation: {samples: 0}
        output: {dir: %s, plots: false}
        """
            .formatted(
                files.stream().map(Path::toString).toList(),
                teacherExtra,
                methods,
                dir.resolve("runs")));
    return file;
  }

  private StudyResult run(Path file, Map<String, String> overrides) {
    Study s = new StudyParser(REGISTRY).parse(file, overrides);
    return new StudyRunner(REGISTRY, l -> TrainingListener.NONE, l -> {}).run(s);
  }

  @Test
  void cachedAndPerBatchTeacherOutputsGiveTheSameBits() throws Exception {
    Path file =
        study(
            "outputs: cached",
            "  - {name: fkl, terms: [{id: next-token, weight: 0.5}, {id: forward-kl, weight: 0.5}]}\n"
                + "  - {id: jsd, params: {beta: 0.3}}");
    StudyResult cached = run(file, Map.of());
    StudyResult live = run(file, Map.of("teacher.outputs", "per-batch"));
    assertEquals(2, cached.runs().size());
    for (int i = 0; i < cached.runs().size(); i++) {
      RunSummary a = cached.runs().get(i);
      assertTrue(a.result().ok(), a.result().error());
      assertEquals(a.result().bits(), live.runs().get(i).result().bits(), a.method());
    }
  }

  @Test
  void aTopKTeacherCachesKTokensPerPositionAndTrains() throws Exception {
    Path file = study("top_k: 3", "  - id: forward-kl\n  - id: reverse-kl");
    StudyResult r = run(file, Map.of());
    for (RunSummary s : r.runs()) {
      assertTrue(s.result().ok(), s.result().error());
      assertTrue(Double.isFinite(s.result().history().get(0).trainLoss()));
    }
    StudyResult dense = run(file, Map.of("teacher.top_k", "0"));
    long topK;
    long full;
    try (Stream<Path> files = Files.list(dir.resolve("runs/cache"))) {
      List<Long> sizes = files.map(p -> p.toFile().length()).sorted().toList();
      assertEquals(2, sizes.size(), "one cache file each: " + sizes);
      topK = sizes.get(0);
      full = sizes.get(1);
    }
    // per position: 3 ids + 3 log-probabilities + 1 tail (floats) vs V (about 30) logits
    assertTrue(topK * 3 < full, "top-3 cache " + topK + " bytes vs dense " + full);
    assertTrue(
        !r.runs().get(0).result().bits().equals(dense.runs().get(0).result().bits()),
        "top-3 and dense outputs train differently");
  }

  @Test
  void aTemperatureWithTopKOutputsIsRefused() throws Exception {
    Path file = study("top_k: 3", "  - {id: forward-kl, params: {temperature: 2}}");
    var e = assertThrows(IllegalArgumentException.class, () -> run(file, Map.of()));
    assertTrue(
        e.getMessage().contains("with teacher.top_k the temperature must be 1, found 2.0"),
        e.getMessage());
  }

  @Test
  void topKBeyondTheVocabularyIsOneLine() throws Exception {
    Path file = study("top_k: 5000", "  - id: forward-kl");
    var e = assertThrows(RuntimeException.class, () -> run(file, Map.of()));
    assertTrue(e.getMessage().contains("teacher.top_k must be in [0, 4096]"), e.getMessage());
  }
}
