package org.taqtir.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.Params;
import org.taqtir.core.config.*;
import org.taqtir.core.registry.fake.Fakes;

class StudyParserTest {

  private static final Path FILE = Path.of("/studies/quick/study.yaml").toAbsolutePath();

  /** A study using every section; the line numbers matter to the tests below. */
  private static final String FULL =
      """
      name: quickstart
      description: "teacher MLP to small students"
      data:
        dir: data/fmnist
        train_limit: 2000
        validation: 500
      teacher:
        train:
          architecture: {id: mlp, params: {hidden: [1200, 1200]}}
          training: {epochs: 3, optimizer: {lr: 0.1}}
      students:
        - name: mlp-128
          architecture: {id: mlp, params: {hidden: [128]}}
        - architecture: {id: mlp}
      strategies:
        - id: labels-only
        - name: kd
          id: hinton-kd
          params: {temperature: 4, alpha: 0.9}
          weight: 1.0
        - name: kd+ce
          terms:
            - {id: labels-only, weight: 0.5}
            - {id: hinton-kd, params: {alpha: 1.0}}
      training:
        epochs: 10
        batch_size: 64
        optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
        schedule: {type: cosine}
      seeds: [1, 2, 3]
      """;

  private static final String MINIMAL =
      """
      name: minimal
      teacher:
        load: {id: djl-model, params: {path: teacher-dir}}
      students:
        - architecture: {id: mlp}
      strategies:
        - id: hinton-kd
      """;

  private final StudyParser parser = new StudyParser(Fakes.registry());

  @TempDir Path tmp;

  // ---- valid files

  @Test
  void fullFileIsResolvedWithDefaultsFilledIn() {
    Study s = parse(FULL);
    assertEquals(FILE, s.file());
    assertEquals("quickstart", s.name());
    assertEquals("teacher MLP to small students", s.description());
    assertEquals(
        new DataConfig(
            "fashion-mnist",
            Path.of("/studies/quick/data/fmnist").toAbsolutePath(),
            2000,
            0,
            500,
            42),
        s.data());

    TeacherConfig t = s.teacher();
    assertTrue(t.trains());
    assertNull(t.load());
    assertEquals(TeacherOutputs.CACHED, t.outputs());
    assertEquals(new PluginRef("mlp", mlp(List.of(1200, 1200))), t.trainArchitecture());
    // teacher training: own epochs and lr, the rest from the top-level training
    assertEquals(
        new TrainingConfig(3, 64, OptimizerConfig.sgd(0.1, 0.9, 0.0), ScheduleConfig.cosine(0.0)),
        t.trainTraining());

    assertEquals(
        List.of(
            new StudentConfig("mlp-128", new PluginRef("mlp", mlp(List.of(128)))),
            new StudentConfig("mlp-1", new PluginRef("mlp", mlp(List.of(128))))),
        s.students());

    assertEquals(
        List.of(
            new MethodConfig("labels-only", List.of(new Term(labelsOnly(), 1.0))),
            new MethodConfig("kd", List.of(new Term(kd(4.0, 0.9), 1.0))),
            new MethodConfig(
                "kd+ce", List.of(new Term(labelsOnly(), 0.5), new Term(kd(4.0, 1.0), 1.0)))),
        s.strategies());
    Params kdParams = s.strategies().get(1).terms().get(0).strategy().params();
    assertEquals(Double.class, kdParams.values().get("temperature").getClass());

    assertEquals(
        new TrainingConfig(10, 64, OptimizerConfig.sgd(0.05, 0.9, 0.0), ScheduleConfig.cosine(0.0)),
        s.training());
    assertEquals(List.of(1L, 2L, 3L), s.seeds());
    assertEquals(EvaluationConfig.defaults(), s.evaluation());
    assertEquals(new OutputConfig(Path.of("runs"), true), s.output());
  }

  @Test
  void minimalFileTakesEveryDefault() {
    Study s = parse(MINIMAL);
    assertEquals("", s.description());
    assertEquals(
        new DataConfig(
            "fashion-mnist",
            Path.of("/usr/share/datasets/fashion-mnist").toAbsolutePath(),
            0,
            0,
            5000,
            42),
        s.data());
    assertFalse(s.teacher().trains());
    assertEquals(
        new PluginRef("djl-model", new Params(Map.of("path", "teacher-dir"))), s.teacher().load());
    assertNull(s.teacher().trainTraining());
    assertEquals("mlp-0", s.students().get(0).name());
    assertEquals("hinton-kd", s.strategies().get(0).name());
    assertEquals(new Term(kd(4.0, 0.9), 1.0), s.strategies().get(0).terms().get(0));
    assertEquals(TrainingConfig.defaults(), s.training());
    assertEquals(
        new TrainingConfig(10, 128, OptimizerConfig.sgd(0.05, 0.9, 0.0), ScheduleConfig.constant()),
        s.training());
    assertEquals(List.of(1L), s.seeds());
    assertEquals(EvaluationConfig.defaults(), s.evaluation());
    assertEquals(new OutputConfig(Path.of("runs"), true), s.output());
  }

  @Test
  void everyOptionalFieldCanBeSet() {
    Study s =
        parse(
            MINIMAL
                + """
                description: all of it
                data: {source: fashion-mnist, dir: /data/fm, train_limit: 0, test_limit: 1000, validation: 100, split_seed: 7}
                training:
                  epochs: 4
                  batch_size: 32
                  optimizer: {type: adam, lr: 0.002, beta1: 0.8, beta2: 0.99, eps: 1e-7, weight_decay: 0.0005}
                  schedule: {type: step, step_size: 2, gamma: 0.5, warmup_epochs: 1}
                evaluation: {test: false, select: val_acc}
                output: {dir: /tmp/out, plots: false}
                """);
    assertEquals(
        new DataConfig("fashion-mnist", Path.of("/data/fm").toAbsolutePath(), 0, 1000, 100, 7),
        s.data());
    assertEquals(
        new TrainingConfig(
            4,
            32,
            OptimizerConfig.adam(0.002, 0.8, 0.99, 1e-7, 0.0005),
            new ScheduleConfig("step", 2, 0.5, 0, 1)),
        s.training());
    assertEquals(false, s.evaluation().test());
    assertEquals(new OutputConfig(Path.of("/tmp/out"), false), s.output());
  }

  @Test
  void teacherTrainingOfAnotherOptimizerTypeStartsFromThatTypesDefaults() {
    Study s =
        parse(
            FULL.replace(
                "training: {epochs: 3, optimizer: {lr: 0.1}}",
                "training: {optimizer: {type: adam}, schedule: {type: step, step_size: 5}}"));
    assertEquals(
        new TrainingConfig(
            10,
            64,
            OptimizerConfig.adam(0.001, 0.9, 0.999, 1e-8, 0.0),
            ScheduleConfig.step(5, 0.1)),
        s.teacher().trainTraining());
  }

  @Test
  void teacherWithoutOwnTrainingUsesTheTopLevelOne() {
    Study s = parse(FULL.replace("    training: {epochs: 3, optimizer: {lr: 0.1}}\n", ""));
    assertEquals(s.training(), s.teacher().trainTraining());
  }

  @Test
  void readsAFileAndResolvesDataDirAgainstItsDirectory() throws Exception {
    Path file = tmp.resolve("exp/study.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, FULL);
    Study s = parser.parse(file, Map.of());
    assertEquals(file, s.file());
    assertEquals(
        tmp.resolve("exp/data/fmnist").toAbsolutePath().normalize(), ((DataConfig) s.data()).dir());

    ConfigException e =
        assertThrows(ConfigException.class, () -> parser.parse(tmp.resolve("nope.yaml"), Map.of()));
    assertTrue(e.getMessage().startsWith("nope.yaml: cannot read the study file "), e.getMessage());
    assertTrue(e.getMessage().endsWith("nope.yaml: no such file"), e.getMessage());
  }

  @Test
  void wholeNumbersAreAcceptedAsNames() {
    assertEquals("2024", parse(MINIMAL.replace("name: minimal", "name: 2024")).name());
  }

  // ---- unknown keys

  @Test
  void unknownTopLevelKeyNamesTheLineTheAllowedKeysAndTheClosest() {
    ConfigException e = fail(FULL.replace("training:\n  epochs", "trainig:\n  epochs"));
    assertEquals(
        "study.yaml:25: trainig is not a known field; allowed: data, description, evaluation, name,"
            + " output, seeds, strategies, students, task, teacher, training; did you mean 'training'?",
        e.getMessage());
    assertEquals(25, e.line());
    assertEquals("trainig", e.field());
    assertEquals("study.yaml", e.file());
  }

  @Test
  void unknownNestedKeyNamesItsPathAndLine() {
    ConfigException e = fail(FULL.replace("  epochs: 10", "  epoch: 10"));
    assertEquals(
        "study.yaml:26: training.epoch is not a known field; allowed: batch_size, epochs,"
            + " jitter, optimizer, schedule; did you mean 'epochs'?",
        e.getMessage());
    assertEquals(26, e.line());

    e = fail(FULL.replace("    weight: 1.0", "    wieght: 1.0"));
    assertEquals(20, e.line());
    assertEquals("strategies[1].wieght", e.field());
    assertTrue(e.getMessage().contains("did you mean 'weight'?"), e.getMessage());

    e =
        fail(
            FULL.replace(
                "{id: labels-only, weight: 0.5}", "{id: labels-only, weight: 0.5, scale: 2}"));
    assertEquals(23, e.line());
    assertEquals("strategies[2].terms[0].scale", e.field());
    assertEquals(
        "study.yaml:23: strategies[2].terms[0].scale is not a known field; allowed: from_epoch, id,"
            + " params, until_epoch, weight",
        e.getMessage());
  }

  @Test
  void unknownPluginParameterNamesItsLine() {
    ConfigException e =
        fail(FULL.replace("{temperature: 4, alpha: 0.9}", "{temprature: 4, alpha: 0.9}"));
    assertEquals(
        "study.yaml:19: strategies[1].params.temprature is not a parameter of hinton-kd; allowed:"
            + " alpha, temperature; did you mean 'temperature'?",
        e.getMessage());
    assertEquals("strategies[1].params.temprature", e.field());
  }

  // ---- values

  @Test
  void parameterOutOfRangeNamesTheLineAndTheValueAsWritten() {
    ConfigException e = fail(FULL.replace("temperature: 4,", "temperature: -1,"));
    assertEquals(
        "study.yaml:19: strategies[1].params.temperature must be > 0, found -1", e.getMessage());
    assertEquals(19, e.line());
    assertEquals("strategies[1].params.temperature", e.field());

    e = fail(FULL.replace("params: {hidden: [1200, 1200]}", "params: {hidden: [1200, 0]}"));
    assertEquals(
        "study.yaml:9: teacher.train.architecture.params.hidden[1] must be >= 1, found 0",
        e.getMessage());

    e = fail(FULL.replace("params: {alpha: 1.0}", "params: {alpha: \"high\"}"));
    assertEquals(
        "study.yaml:24: strategies[2].terms[1].params.alpha must be a number in [0, 1], found"
            + " \"high\"",
        e.getMessage());
  }

  @Test
  void wrongTypesFromBindingNameTheLineAndTheValue() {
    assertEquals(
        "study.yaml:26: training.epochs must be an integer, found \"ten\"",
        fail(FULL.replace("epochs: 10", "epochs: ten")).getMessage());
    assertEquals(
        "study.yaml:26: training.epochs must be an integer, found 2.5",
        fail(FULL.replace("epochs: 10", "epochs: 2.5")).getMessage());
    assertEquals(
        "study.yaml:26: training.epochs must be an integer, found 12345678901",
        fail(FULL.replace("epochs: 10", "epochs: 12345678901")).getMessage());
    assertEquals(
        "study.yaml:30: seeds[1] must be an integer, found \"x\"",
        fail(FULL.replace("seeds: [1, 2, 3]", "seeds: [1, x, 3]")).getMessage());
    assertEquals(
        "study.yaml:30: seeds must be a list, found 3",
        fail(FULL.replace("seeds: [1, 2, 3]", "seeds: 3")).getMessage());
    assertEquals(
        "study.yaml:20: strategies[1].weight must be a number, found \"heavy\"",
        fail(FULL.replace("weight: 1.0", "weight: heavy")).getMessage());
    assertEquals(
        "study.yaml:3: data must be a mapping, found [1, 2]",
        fail(FULL.replace(
                "data:\n  dir: data/fmnist\n  train_limit: 2000\n  validation: 500",
                "data: [1, 2]"))
            .getMessage());
    assertEquals(
        "study.yaml:11: students must be a list, found {name: \"x\"}",
        fail(FULL.replace(
                "students:\n"
                    + "  - name: mlp-128\n"
                    + "    architecture: {id: mlp, params: {hidden: [128]}}\n"
                    + "  - architecture: {id: mlp}",
                "students: {name: x}"))
            .getMessage());
    assertEquals(
        "study.yaml:4: data.dir must be a string, found true",
        fail(FULL.replace("dir: data/fmnist", "dir: true")).getMessage());
    assertEquals(
        "study.yaml:1: name must be a string, found 1.5",
        fail(FULL.replace("name: quickstart", "name: 1.5")).getMessage());
    assertEquals(
        "study.yaml:29: training.schedule.type must be one of constant, cosine, step, found"
            + " \"linear\"",
        fail(FULL.replace("{type: cosine}", "{type: linear}")).getMessage());
  }

  @Test
  void semanticRulesAreChecked() {
    assertMessage(
        FULL.replace("name: quickstart", "name: Quick Start"),
        "study.yaml:1: name must match [a-z0-9_-]+ (at most 64 characters), found \"Quick Start\"");
    assertMessage(
        FULL.replace("  dir: data/fmnist", "  source: mnist"),
        "study.yaml:4: data.source must be one of fashion-mnist, csv, found \"mnist\"");
    assertMessage(
        FULL.replace("validation: 500", "validation: 0"),
        "study.yaml:6: data.validation must be >= 1, found 0");
    assertMessage(
        FULL.replace(
            "  - architecture: {id: mlp}", "  - name: mlp-128\n    architecture: {id: mlp}"),
        "study.yaml:14: students[1].name must be unique, found \"mlp-128\" also at"
            + " students[0].name");
    assertMessage(
        FULL.replace("- name: kd+ce", "- name: kd"),
        "study.yaml:21: strategies[2].name must be unique, found \"kd\" also at"
            + " strategies[1].name");
    assertMessage(
        FULL.replace("seeds: [1, 2, 3]", "seeds: [1, 2, 1]"),
        "study.yaml:30: seeds[2] must differ from the other seeds, found 1 again");
    assertMessage(
        FULL.replace("seeds: [1, 2, 3]", "seeds: []"),
        "study.yaml:30: seeds must list at least one seed, found []");
    assertMessage(
        FULL.replace("weight: 1.0", "weight: 0"),
        "study.yaml:20: strategies[1].weight must be > 0, found 0");
    assertMessage(
        FULL.replace(
            "  - name: kd+ce\n    terms:", "  - id: hinton-kd\n    name: kd+ce\n    terms:"),
        "study.yaml:21: strategies[2] has both id and terms; give id (one strategy) or name and"
            + " terms (a weighted sum)");
    assertMessage(
        FULL.replace("  - name: kd+ce\n", "  - name: kd+ce\n    weight: 2\n"),
        "study.yaml:22: strategies[2].weight is not allowed with terms; set it on each term");
    assertMessage(
        FULL.replace("  - name: kd+ce\n", "  - \n"),
        "study.yaml:22: strategies[2].name is required when a method has terms");
    assertMessage(
        FULL.replace("{type: sgd, lr: 0.05, momentum: 0.9}", "{type: adam, momentum: 0.9}"),
        "study.yaml:28: training.optimizer.momentum is not a field of the adam optimizer; allowed:"
            + " beta1, beta2, eps, lr, type, weight_decay");
    assertMessage(
        FULL.replace("{type: sgd, lr: 0.05, momentum: 0.9}", "{type: sgd, beta1: 0.9}"),
        "study.yaml:28: training.optimizer.beta1 is not a field of the sgd optimizer; allowed: lr,"
            + " momentum, type, weight_decay");
    assertMessage(
        FULL.replace("lr: 0.05, momentum: 0.9", "lr: 0.05, momentum: 1"),
        "study.yaml:28: training.optimizer.momentum must be in [0, 1), found 1");
    assertMessage(
        FULL.replace("{type: cosine}", "{type: step}"),
        "study.yaml:29: training.schedule.step_size is required for a step schedule: the epochs"
            + " between decays, >= 1");
    assertMessage(
        FULL.replace("{type: cosine}", "{type: step, step_size: 2, gamma: 0}"),
        "study.yaml:29: training.schedule.gamma must be in (0, 1], found 0");
    assertMessage(
        FULL.replace("{type: cosine}", "{type: cosine, gamma: 0.5}"),
        "study.yaml:29: training.schedule.gamma is not a field of a cosine schedule; allowed:"
            + " min_lr, type, warmup_epochs");
    assertMessage(
        FULL.replace("{type: cosine}", "{type: cosine, min_lr: 0.5}"),
        "study.yaml:29: training.schedule.min_lr must be <= training.optimizer.lr (0.05), found"
            + " 0.5");
    assertMessage(
        FULL + "evaluation: {select: test_acc}\n",
        "study.yaml:31: evaluation.select must be one of val_acc, val_loss, found \"test_acc\"");
    assertMessage(
        FULL.replace("teacher:\n  train:", "teacher:\n  outputs: always\n  train:"),
        "study.yaml:8: teacher.outputs must be one of cached, per-batch, found \"always\"");
  }

  @Test
  void teacherNeedsExactlyOneOfTrainAndLoad() {
    ConfigException e = fail(FULL.replace("teacher:\n", "teacher:\n  load: {id: djl-model}\n"));
    assertEquals("study.yaml:7: teacher has both train and load; give exactly one", e.getMessage());
    assertEquals("teacher", e.field());

    e =
        fail(
            MINIMAL.replace(
                "  load: {id: djl-model, params: {path: teacher-dir}}", "  outputs: cached"));
    assertEquals(
        "study.yaml:2: teacher needs exactly one of train (an architecture the study trains on"
            + " labels) or load (a saved teacher)",
        e.getMessage());

    e =
        fail(
            MINIMAL.replace(
                "teacher:\n  load: {id: djl-model, params: {path: teacher-dir}}\n", ""));
    assertEquals(
        "study.yaml: teacher is required: give teacher.train (an architecture the study trains on"
            + " labels) or teacher.load (a saved teacher)",
        e.getMessage());
    assertEquals(0, e.line());
  }

  @Test
  void requiredListsMustBePresentAndNonEmpty() {
    assertMessage(
        MINIMAL.replace("students:\n  - architecture: {id: mlp}\n", ""),
        "study.yaml: students must list at least one student, e.g. [{architecture: {id: mlp}}]");
    assertMessage(
        MINIMAL.replace("students:\n  - architecture: {id: mlp}\n", "students: []\n"),
        "study.yaml:4: students must list at least one student, e.g. [{architecture: {id: mlp}}],"
            + " found []");
    assertMessage(
        MINIMAL.replace("- id: hinton-kd", "- weight: 2"),
        "study.yaml:7: strategies[0].id is required (or name and terms); available: hinton-kd,"
            + " labels-only");
    assertMessage(
        MINIMAL.replace("name: minimal\n", ""),
        "study.yaml: name is required: a lowercase id for the study, e.g. quickstart");
  }

  // ---- plugin ids

  @Test
  void unknownPluginIdListsWhatIsAvailableAndTheClosest() {
    ConfigException e = fail(FULL.replace("id: hinton-kd\n", "id: hinton-kdd\n"));
    assertEquals(
        "study.yaml:18: strategies[1].id: unknown strategy 'hinton-kdd'; available: hinton-kd,"
            + " labels-only; closest: 'hinton-kd'",
        e.getMessage());
    assertEquals("strategies[1].id", e.field());

    e = fail(FULL.replace("  - architecture: {id: mlp}", "  - architecture: {id: djl-model}"));
    assertEquals(
        "study.yaml:14: students[1].architecture.id: unknown student 'djl-model'; available: mlp;"
            + " 'djl-model' is a teacher, not a student",
        e.getMessage());

    e = fail(MINIMAL.replace("load: {id: djl-model,", "load: {id: mlp,"));
    assertEquals(
        "study.yaml:3: teacher.load.id: unknown teacher 'mlp'; available: djl-model; 'mlp' is a"
            + " student, not a teacher",
        e.getMessage());
  }

  @Test
  void aConfigCannotNameAJavaClass() {
    ConfigException e =
        fail(
            MINIMAL.replace(
                "- id: hinton-kd", "- id: org.taqtir.core.registry.fake.FakeKdStrategy"));
    assertTrue(
        e.getMessage().contains("unknown strategy 'org.taqtir.core.registry.fake.FakeKdStrategy'"),
        e.getMessage());
  }

  // ---- overrides

  @Test
  void overridesAreAppliedBeforeValidation() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("training.epochs", "2");
    o.put("strategies[1].params.temperature", "2");
    o.put("seeds", "[1, 2]");
    o.put("evaluation.test", "false");
    o.put("teacher.train.training.optimizer", "{type: adam}");
    o.put("description", "");
    Study s = parser.parse(FULL, FILE, o);
    assertEquals(2, s.training().epochs());
    assertEquals(
        2.0, s.strategies().get(1).terms().get(0).strategy().params().getDouble("temperature"));
    assertEquals(List.of(1L, 2L), s.seeds());
    assertFalse(s.evaluation().test());
    assertEquals("adam", s.teacher().trainTraining().optimizer().type());
    assertEquals("", s.description());
  }

  @Test
  void anInvalidOverriddenValueBlamesTheOverride() {
    ConfigException e = fail(FULL, "training.epochs=0");
    assertEquals(
        "study.yaml: training.epochs must be >= 1, found 0 (from -P training.epochs=0)",
        e.getMessage());
    assertEquals(0, e.line());
    assertEquals("training.epochs=0", e.override());

    e = fail(FULL, "strategies[1].params={temperature: -2}");
    assertEquals(
        "study.yaml: strategies[1].params.temperature must be > 0, found -2 (from -P"
            + " strategies[1].params={temperature: -2})",
        e.getMessage());

    e = fail(FULL, "training.epoch=3");
    assertTrue(
        e.getMessage().startsWith("study.yaml: training.epoch is not a known field; allowed: "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(from -P training.epoch=3)"), e.getMessage());

    // the file's own errors keep their lines
    e = fail(FULL.replace("temperature: 4,", "temperature: -1,"), "training.epochs=3");
    assertEquals(19, e.line());
  }

  @Test
  void overrideIntoAMissingListEntryFails() {
    ConfigException e = fail(FULL, "strategies[5].params.temperature=2");
    assertEquals(
        "study.yaml: strategies[5] does not exist: strategies has 3 entries; an override cannot add"
            + " list entries (from -P strategies[5].params.temperature=2)",
        e.getMessage());
    assertEquals("strategies[5]", e.field());

    e = fail(MINIMAL, "evaluation.metrics[0]=acc");
    assertEquals(
        "study.yaml: evaluation.metrics[0] does not exist: evaluation.metrics is not in the file;"
            + " an override cannot add list entries (from -P evaluation.metrics[0]=acc)",
        e.getMessage());

    e = fail(FULL, "training.epochs.max=3");
    assertEquals(
        "study.yaml: training.epochs.max cannot be set: training.epochs is a number (10), not a"
            + " mapping (from -P training.epochs.max=3)",
        e.getMessage());
  }

  @Test
  void malformedOverridesAreRejected() {
    ConfigException e = fail(FULL, "training..epochs=3");
    assertEquals(
        "study.yaml: override -P training..epochs=3 has a malformed path; expected keys and"
            + " [index]es joined by dots, e.g. strategies[1].params.temperature=2",
        e.getMessage());
    e = fail(FULL, "seeds=[1, 2");
    assertTrue(
        e.getMessage().startsWith("study.yaml: seeds is not a valid YAML value: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("(from -P seeds=[1, 2)"), e.getMessage());
  }

  // ---- broken files

  @Test
  void emptyFileIsRejected() {
    String expected =
        "study.yaml: the study file is empty; it needs at least name, teacher, students and"
            + " strategies";
    assertEquals(expected, fail("").getMessage());
    assertEquals(expected, fail("# nothing here\n\n").getMessage());
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    ConfigException e = fail("name: x\ndata:\n  dir: a: b\n");
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith("study.yaml:3: invalid YAML: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());

    e = fail("name: x\nseeds: [1, 2\nteacher: {}\n");
    assertTrue(e.getMessage().startsWith("study.yaml:"), e.getMessage());
    assertTrue(e.line() > 1, e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void rootMustBeAMapping() {
    assertEquals(
        "study.yaml: the top level must be a mapping of study fields (name, data, teacher,"
            + " students, strategies, training, ...), found [\"a\", \"b\"]",
        fail("- a\n- b\n").getMessage());
    assertEquals(
        "study.yaml: the top level must be a mapping of study fields (name, data, teacher,"
            + " students, strategies, training, ...), found \"quickstart\"",
        fail("quickstart\n").getMessage());
  }

  @Test
  void keyWrittenTwiceIsRejected() {
    ConfigException e = fail(FULL.replace("  batch_size: 64", "  batch_size: 64\n  epochs: 5"));
    assertEquals(
        "study.yaml:28: training.epochs is written twice (first at line 26); keep one",
        e.getMessage());
  }

  @Test
  void textWithoutAFileIsNamedStudy() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> parser.parse("name: X\n", null, Map.of()));
    assertTrue(e.getMessage().startsWith("<study>:1: name must match"), e.getMessage());
  }

  // ---- round trip

  @Test
  void resolvedYamlParsesBackToAnEqualStudy() {
    for (String yaml :
        List.of(
            FULL,
            MINIMAL,
            MINIMAL
                + """
                training:
                  optimizer: {type: adam, eps: 1e-7}
                  schedule: {type: step, step_size: 3, gamma: 0.5, warmup_epochs: 2}
                output: {dir: out/x, plots: false}
                """)) {
      Study s = parse(yaml);
      String written = s.toYaml();
      Study back = parser.parse(written, FILE, Map.of());
      assertEquals(s, back, written);
      assertEquals(written, back.toYaml());
    }
    String written = parse(FULL).toYaml();
    assertTrue(written.contains("alpha: 0.9"), written);
    assertTrue(written.contains("batch_size: 64"), written);
    assertTrue(written.contains("split_seed: 42"), written);
    assertTrue(written.contains("outputs: cached"), written);
  }

  @Test
  void csvTableBlockResolvesAndRoundTrips() {
    String yaml =
        """
        name: tab
        data:
          source: csv
          file: data/diabetes.csv
          target: progression
          binarize_target: median
          categorical: [sex]
          group: sex
          validation: 80
          test: 100
        teacher:
          load: {id: djl-model, params: {path: teacher-dir}}
        students:
          - architecture: {id: mlp}
        strategies:
          - id: labels-only
        """;
    Study s = parse(yaml);
    TableSchema t = ((DataConfig) s.data()).table();
    assertEquals(FILE.toAbsolutePath().getParent().resolve("data/diabetes.csv"), t.file());
    assertEquals("progression", t.target());
    assertEquals("median", t.binarize());
    assertEquals(List.of("sex"), t.categorical());
    assertEquals("sex", t.group());
    assertEquals(80, ((DataConfig) s.data()).validation());
    assertEquals(100, t.testSize());
    Study back = parser.parse(s.toYaml(), FILE, Map.of());
    assertEquals(s, back, s.toYaml());
    assertMessage(
        yaml.replace("binarize_target: median", "binarize_target: mean"),
        "study.yaml:6: data.binarize_target must be median or a number, found mean");
    assertMessage(
        yaml.replace("source: csv", "source: fashion-mnist"),
        "study.yaml:4: data.file is for data.source: csv, not fashion-mnist");
  }

  // ---- helpers

  private Study parse(String yaml) {
    return parser.parse(yaml, FILE, Map.of());
  }

  private ConfigException fail(String yaml, String... overrides) {
    Map<String, String> o = new LinkedHashMap<>();
    for (String kv : overrides) {
      int eq = kv.indexOf('=');
      o.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return assertThrows(ConfigException.class, () -> parser.parse(yaml, FILE, o));
  }

  private void assertMessage(String yaml, String message) {
    assertEquals(message, fail(yaml).getMessage());
  }

  private static Params mlp(List<Integer> hidden) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("hidden", hidden);
    v.put("dropout", 0.0);
    v.put("groups", 1);
    v.put("bias", true);
    v.put("activation", "relu");
    return new Params(v);
  }

  private static PluginRef kd(double temperature, double alpha) {
    return new PluginRef(
        "hinton-kd", new Params(Map.of("temperature", temperature, "alpha", alpha)));
  }

  private static PluginRef labelsOnly() {
    return new PluginRef("labels-only", new Params(Map.of()));
  }
}
