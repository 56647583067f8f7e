package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyPipeline;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;

/**
 * A language-modelling study end to end on text the test writes: a teacher trained on it, two
 * students of two families, bits per character on every set, generated samples, the report; the
 * same seed twice gives the same bits; bad settings are one-line errors naming the field.
 */
class LanguageModellingStudyTest {

  @TempDir Path dir;

  private static final PluginRegistry REGISTRY =
      PluginRegistry.load(LanguageModellingStudyTest.class.getClassLoader());

  private List<Path> texts(int files) throws Exception {
    return TinyTexts.write(dir, files);
  }

  private String yaml(List<Path> files, String extraData) {
    return """
        name: tiny-lm
        task: language-modelling
        data:
          source: text
          corpus: files
          files: %s
          every: 4
          window: 32
          tokenizer: {id: char}
        %s
        teacher:
          train:
            architecture: {id: gpt, params: {layers: 2, width: 32, heads: 2}}
            training: {epochs: 2}
        students:
          - {name: gpt-small, architecture: {id: gpt, params: {layers: 1, width: 16, heads: 2}}}
          - {name: lstm-small, architecture: {id: lstm-lm, params: {width: 16, state: 32}}}
        strategies:
          - id: next-token
        training:
          epochs: 2
          batch_size: 16
          optimizer: {type: adam, lr: 0.003}
        seeds: [1]
        evaluation: {samples: 2}
        output: {dir: %s}
        """
        .formatted(files.stream().map(Path::toString).toList(), extraData, dir.resolve("runs"));
  }

  private StudyResult run(Path file) {
    Study study = new StudyParser(REGISTRY).parse(file, Map.of());
    return new StudyRunner(REGISTRY, l -> TrainingListener.NONE, l -> {}).run(study);
  }

  @Test
  void aTextStudyTrainsEvaluatesReportsAndRepeatsBitForBit() throws Exception {
    Path file = dir.resolve("study.yaml");
    Files.writeString(
        file,
        yaml(texts(16), "")
            .replace(
                "{samples: 2}",
                "{samples: 2, fail_on_targets: true, targets: [\"test/bpc <= teacher + 100\","
                    + " \"test/agreement >= 1.01\", \"held_out/bpc <= 9\"]}"));
    StudyResult a = run(file);
    assertEquals(2, a.runs().size());
    double chance = Math.log(30) / Math.log(2);
    for (RunSummary r : a.runs()) {
      assertTrue(r.result().ok(), r.result().error());
      var outs = assertInstanceOf(LmOutputs.class, r.result().outputs());
      double bpc = outs.scores().get("test").bitsPerChar();
      assertTrue(bpc > 0 && bpc < chance, r.student() + ": test bits/char " + bpc);
      assertEquals(3, outs.samples().size(), "greedy + 2 sampled");
      assertTrue(r.result().history().get(0).extras().containsKey("val_bpc"));
    }
    assertTrue(a.teacher() != null && a.teacher().trainedNow(), "the teacher was trained");
    LmReport report = assertInstanceOf(LmReport.class, a.report());
    assertEquals(
        List.of("validation", "test", "test_typos_2", "test_typos_5", "test_typos_10"),
        report.sets());
    assertEquals(3, report.rows().size(), "teacher + 2 students");
    assertTrue(report.metrics().containsKey("lm/gpt-small/next-token/test/bpc_gap_vs_teacher"));
    for (LmReport.Row row : report.rows()) {
      double clean = row.bpc().get("test");
      assertTrue(row.bpc().get("test_typos_10") > clean, row.student() + ": typos cost bits");
      Map<String, Double> m = row.measures();
      double ece = m.get("test/ece");
      assertTrue(ece >= 0 && ece <= 1, row.student() + " ece " + ece);
      assertTrue(m.get("calibration/temperature") > 0);
      assertTrue(m.containsKey("generation/seq_rep_4") && m.containsKey("generation/looping"));
      if (row.method().isEmpty()) {
        assertTrue(!m.containsKey("test/agreement"), "the teacher is not compared with itself");
      } else {
        double agree = m.get("test/agreement");
        assertTrue(agree > 0 && agree <= 1, "agreement " + agree);
        assertTrue(m.get("test/kl_teacher_student") > 0 && m.get("test/kl_student_teacher") > 0);
        assertTrue(!m.containsKey("test_typos_5/agreement"), "imitation on the real sets only");
      }
    }
    assertTrue(report.metrics().containsKey("lm/gpt-small/next-token/test/agreement"));
    for (LmReport.Row row : report.rows()) {
      Map<String, Double> m = row.measures();
      double share = 0;
      for (String b : WordFrequency.BUCKETS) {
        share += m.getOrDefault("test/words_" + b + "/share", 0.0);
      }
      assertEquals(1.0, share, 1e-9, row.student() + ": every position in one word bucket");
      if (!row.method().isEmpty()) {
        double accept = m.get("test/spec_acceptance");
        assertTrue(accept > 0 && accept <= 1, "acceptance " + accept);
        assertTrue(m.get("test/cascade_50/deferral") > m.get("test/cascade_10/deferral"));
        assertTrue(m.containsKey("test/delta_bpc_vs_teacher_lo"), m.keySet().toString());
        assertEquals(
            row.bpc().get("test") - report.rows().get(0).bpc().get("test"),
            m.get("test/delta_bpc_vs_teacher"),
            1e-9,
            "the paired Δ is the gap of the two models' test bits per character");
      }
    }
    // targets: met, missed, and one on a set this study does not have
    var results = report.targetResults();
    assertEquals(2, results.size(), "one list per student");
    List<org.taqtir.core.eval.loss.Targets.Result> gpt = results.values().iterator().next();
    assertEquals(List.of(true, false, false), gpt.stream().map(x -> x.met()).toList());
    assertTrue(Double.isNaN(gpt.get(2).value()), "held_out was not scored");
    assertEquals(3.0, report.metrics().get("lm/gpt-small/next-token/targets_missed") + 1);

    var rendered = StudyPipeline.render(a, line -> {});
    assertTrue(rendered.files().contains(a.outputDir().resolve("results.md")), rendered.toString());
    String table = Files.readString(a.outputDir().resolve("results.md"));
    assertTrue(
        table.contains("| teacher |") && table.contains("| gpt-small | next-token |"), table);
    assertTrue(Files.isRegularFile(a.outputDir().resolve("samples.md")));
    assertTrue(table.contains("## What did we lose?") && table.contains("| 10 % |"), table);
    assertTrue(Files.readString(a.outputDir().resolve("probes.csv")).contains(",test/ece,"));
    for (String section :
        List.of(
            "**Preservation targets**",
            "**Paired comparisons**",
            "**Teacher fallback**",
            "**Rare words**")) {
      assertTrue(table.contains(section), section + " in\n" + table);
    }
    assertTrue(
        rendered.missedTargets().stream()
            .anyMatch(x -> x.startsWith("gpt-small/next-token: test/agreement >= 1.01 (value")),
        rendered.missedTargets().toString());
    assertTrue(
        rendered
            .missedTargets()
            .contains("lstm-small/next-token: held_out/bpc <= 9 (not measured in this study)"),
        rendered.missedTargets().toString());
    assertTrue(a.study().evaluation().failOnTargets());
    String statement = Files.readString(a.outputDir().resolve("loss-statement.md"));
    for (String part :
        List.of(
            "# Distillation Loss Statement: tiny-lm",
            "## gpt-small / next-token",
            "**Generalisation** (bits per character): validation ",
            "**Imitation**: the same next token as the teacher at ",
            "**Teacher fallback**: deferring its least confident 25 % of positions",
            "**Gained**: ",
            "- `test/agreement >= 1.01`: **NOT met** (value ",
            "- `held_out/bpc <= 9`: not measured in this study",
            "### Prompt 1",
            "![statement-bpc.png](statement-bpc.png)")) {
      assertTrue(statement.contains(part), part + " in\n" + statement);
    }
    for (String png :
        List.of("statement-bpc.png", "statement-rare-words.png", "statement-cascade.png")) {
      assertTrue(Files.size(a.outputDir().resolve(png)) > 1000, png);
    }
    assertTrue(Files.readString(a.outputDir().resolve("loss-statement.html")).contains("<table"));

    StudyResult b = run(file);
    for (int i = 0; i < a.runs().size(); i++) {
      assertEquals(a.runs().get(i).result().bits(), b.runs().get(i).result().bits());
    }
    assertTrue(!b.teacher().trainedNow(), "the second study reused the teacher");
  }

  @Test
  void anOmittedWordIsKeptFromTheStudentsAndProbedOnTest() throws Exception {
    Path file = dir.resolve("omit.yaml");
    Files.writeString(
        file,
        yaml(texts(16), "  omit: [painted]\n")
            .replaceAll("(?m)^  - \\{name: lstm-small.*\n", "")
            .replace("epochs: 2\n  batch_size", "epochs: 1\n  batch_size"));
    List<String> log = new java.util.ArrayList<>();
    Study study = new StudyParser(REGISTRY).parse(file, Map.of());
    StudyResult a = new StudyRunner(REGISTRY, l -> TrainingListener.NONE, log::add).run(study);
    assertTrue(
        log.stream().anyMatch(l -> l.contains("without the lines containing [painted]")),
        String.join("\n", log));
    LmReport report = assertInstanceOf(LmReport.class, a.report());
    for (LmReport.Row row : report.rows()) {
      double omitted = row.measures().get("test/omitted_words/bpc");
      double share = row.measures().get("test/omitted_words/share");
      assertTrue(
          omitted > 0 && share > 0 && share < 0.2, row.student() + ": " + omitted + ", " + share);
    }
    assertTrue(
        Files.readString(a.outputDir().resolve("study.resolved.yaml")).contains("omit: [painted]")
            || Files.readString(a.outputDir().resolve("study.resolved.yaml"))
                .contains("- painted"));
    StudyPipeline.render(a, line -> {});
    assertTrue(
        Files.readString(a.outputDir().resolve("results.md")).contains("**Omitted pattern**"));
    assertTrue(
        Files.readString(a.outputDir().resolve("loss-statement.md"))
            .contains("**Omitted pattern**"));
  }

  @Test
  void plantedErrorsTeachTheTeacherWrongFactsAndTheProbeTracesThemIntoTheStudents()
      throws Exception {
    Path file = dir.resolve("facts.yaml");
    Files.writeString(
        file,
        """
        name: tiny-facts
        task: language-modelling
        data:
          source: text
          corpus: facts
          people: 30
          repeats: 6
          planted_errors: 0.25
          every: 4
          window: 32
          tokenizer: {id: char}
        teacher:
          train:
            architecture: {id: gpt, params: {layers: 1, width: 32, heads: 2}}
            training: {epochs: 2}
        students:
          - {name: gpt-small, architecture: {id: gpt, params: {layers: 1, width: 16, heads: 2}}}
        strategies:
          - id: next-token
          - id: forward-kl
        training:
          epochs: 1
          batch_size: 16
          optimizer: {type: adam, lr: 0.003}
        seeds: [1]
        evaluation: {samples: 1}
        output: {dir: %s}
        """
            .formatted(dir.resolve("runs")));
    List<String> log = new java.util.ArrayList<>();
    Study study = new StudyParser(REGISTRY).parse(file, Map.of());
    StudyResult a = new StudyRunner(REGISTRY, l -> TrainingListener.NONE, log::add).run(study);
    assertTrue(
        log.stream()
            .anyMatch(
                l ->
                    l.matches(
                        ".*states [0-9]+ of the 60 facts wrongly \\(data.planted_errors 0.25\\).*")),
        String.join("\n", log));
    LmReport report = assertInstanceOf(LmReport.class, a.report());
    int students = 0;
    for (LmReport.Row row : report.rows()) {
      Map<String, Double> m = row.measures();
      double planted = m.get("facts/planted_share");
      assertTrue(planted > 0.1 && planted < 0.4, "planted share " + planted);
      assertTrue(m.get("facts/accuracy") >= 0 && m.get("facts/accuracy") <= 1, m.toString());
      if (!row.method().isEmpty()) {
        students++;
        assertTrue(m.containsKey("facts/agreement"), m.toString());
        assertTrue(m.containsKey("test/errors/inherited"), m.toString());
        assertTrue(m.get("style/bpc_teacher_text") > 0, m.toString());
        assertTrue(m.get("style/bpc_real_text") > 0, m.toString());
      }
    }
    assertEquals(2, students);
    StudyPipeline.render(a, line -> {});
    String results = Files.readString(a.outputDir().resolve("results.md"));
    assertTrue(results.contains("**Inherited facts**"), results);
    assertTrue(results.contains("**Inherited errors**"), results);
    assertTrue(results.contains("**The teacher's style or the text's?**"), results);
    String statement = Files.readString(a.outputDir().resolve("loss-statement.md"));
    assertTrue(statement.contains("**Inherited facts** (planted-error probe)"), statement);
    assertFalse(statement.contains("planted-error (inherited facts) probe, which"), statement);
  }

  @Test
  void badTextSettingsAreOneLineErrorsNamingTheField() throws Exception {
    List<Path> files = texts(4);
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, yaml(files, "").replace("window: 32", "window: 1"));
    var e = assertThrows(ConfigException.class, () -> run(file));
    assertTrue(
        e.getMessage().contains("data.window must be in [2, 4096], found 1"), e.getMessage());

    Files.writeString(file, yaml(files, "").replace("{id: char}", "{id: wordpiece}"));
    e = assertThrows(ConfigException.class, () -> run(file));
    assertTrue(
        e.getMessage().contains("unknown tokenizer 'wordpiece'; available: byte-bpe, char"),
        e.getMessage());

    Files.writeString(
        file, yaml(files, "").replace("{samples: 2}", "{samples: 2, typos: [0.05, 0.7]}"));
    e = assertThrows(ConfigException.class, () -> run(file));
    assertTrue(
        e.getMessage().contains("evaluation.typos: each rate must be in (0, 0.5], found 0.7"),
        e.getMessage());

    Files.writeString(
        file,
        yaml(files, "").replace("{samples: 2}", "{samples: 2, targets: [\"test/bcp <= 2\"]}"));
    e = assertThrows(ConfigException.class, () -> run(file));
    assertTrue(
        e.getMessage()
            .contains(
                "evaluation.targets: target 'test/bcp <= 2': unknown metric 'test/bcp'; known: <set>/bpc"),
        e.getMessage());

    Files.writeString(file, yaml(files, "  omit: [painted, two words]\n"));
    e = assertThrows(ConfigException.class, () -> run(file));
    assertTrue(
        e.getMessage()
            .contains("data.omit: each entry must be one word of letters, found 'two words'"),
        e.getMessage());

    Files.writeString(file, yaml(files, "").replace("{id: gpt,", "{id: mlp,"));
    e = assertThrows(ConfigException.class, () -> run(file));
    assertTrue(
        e.getMessage().contains("works with classification, not with this study's task"),
        e.getMessage());

    String austen =
        yaml(files, "")
            .replace("corpus: files", "corpus: austen\n  corpus_dir: " + dir.resolve("nowhere"))
            .replaceAll(" *files: \\[.*\\]\n", "");
    Files.writeString(file, austen);
    var missing = assertThrows(IllegalArgumentException.class, () -> run(file));
    assertTrue(
        missing.getMessage().contains("needs Debian's r-cran-janeaustenr")
            && missing.getMessage().contains("bin/corpora austen"),
        missing.getMessage());
  }
}
