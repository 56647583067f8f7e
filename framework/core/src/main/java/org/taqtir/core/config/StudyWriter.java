package org.taqtir.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a resolved {@link Study} as a study file with every default explicit. */
final class StudyWriter {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  private StudyWriter() {}

  private static void writeImageData(Study s, Map<String, Object> data) {
    data.put("dir", s.data().dir().toString());
    data.put("train_limit", s.data().trainLimit());
    data.put("test_limit", s.data().testLimit());
    data.put("validation", s.data().validation());
    data.put("split_seed", s.data().splitSeed());
    if (!s.data().transferExcludeClasses().isEmpty()) {
      data.put("transfer_exclude_classes", s.data().transferExcludeClasses());
    }
  }

  static String toYaml(Study s) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", s.name());
    root.put("description", s.description());

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("source", s.data().source());
    TableSchema table = s.data().table();
    if (table != null) {
      data.put("file", table.file().toString());
      data.put("target", table.target());
      if (!table.features().isEmpty()) {
        data.put("features", table.features());
      }
      data.put("categorical", table.categorical());
      if (table.group() != null) {
        data.put("group", table.group());
      }
      if (table.splitColumn() != null) {
        data.put("split_column", table.splitColumn());
      }
      data.put("validation", s.data().validation());
      data.put("test", table.testSize());
      data.put("split_seed", s.data().splitSeed());
      if (table.binarize() != null) {
        data.put(
            "binarize_target",
            table.binarize().equals("median")
                ? "median"
                : (Object) Double.valueOf(table.binarize()));
      }
      root.put("data", data);
    } else {
      writeImageData(s, data);
      root.put("data", data);
    }

    Map<String, Object> teacher = new LinkedHashMap<>();
    TeacherConfig t = s.teacher();
    if (t.trains()) {
      Map<String, Object> train = new LinkedHashMap<>();
      train.put("architecture", ref(t.trainArchitecture()));
      train.put("training", training(t.trainTraining()));
      teacher.put("train", train);
    } else {
      teacher.put("load", ref(t.load()));
    }
    teacher.put("outputs", t.outputs().key());
    root.put("teacher", teacher);

    List<Object> students = new ArrayList<>();
    for (StudentConfig sc : s.students()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", sc.name());
      m.put("architecture", ref(sc.architecture()));
      students.add(m);
    }
    root.put("students", students);

    List<Object> methods = new ArrayList<>();
    for (MethodConfig mc : s.strategies()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", mc.name());
      if (mc.terms().size() == 1 && mc.terms().get(0).always()) {
        m.putAll(term(mc.terms().get(0)));
      } else {
        List<Object> terms = new ArrayList<>();
        mc.terms().forEach(term -> terms.add(term(term)));
        m.put("terms", terms);
      }
      methods.add(m);
    }
    root.put("strategies", methods);

    root.put("training", training(s.training()));
    root.put("seeds", s.seeds());

    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("test", s.evaluation().test());
    evaluation.put("select", s.evaluation().select());
    evaluation.put("loss_statement", s.evaluation().lossStatement());
    evaluation.put("corruptions", s.evaluation().corruptions());
    evaluation.put("corruption_seed", s.evaluation().corruptionSeed());
    evaluation.put("bootstrap", s.evaluation().bootstrap());
    evaluation.put("cascade_rule", s.evaluation().cascadeRule());
    if (!Double.isNaN(s.evaluation().targetAccuracy())) {
      evaluation.put("target_accuracy", s.evaluation().targetAccuracy());
    }
    evaluation.put("targets", s.evaluation().targets());
    evaluation.put("fail_on_targets", s.evaluation().failOnTargets());
    if (!Double.isNaN(s.evaluation().cascadeBudget())) {
      evaluation.put("cascade_budget", s.evaluation().cascadeBudget());
    }
    if (!Double.isNaN(s.evaluation().cascadeMaxDeferral())) {
      evaluation.put("cascade_max_deferral", s.evaluation().cascadeMaxDeferral());
    }
    root.put("evaluation", evaluation);

    Map<String, Object> output = new LinkedHashMap<>();
    output.put("dir", s.output().dir().toString());
    output.put("plots", s.output().plots());
    root.put("output", output);

    try {
      return "# resolved study: every default filled in\n" + YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> ref(PluginRef ref) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", ref.id());
    m.put("params", new LinkedHashMap<>(ref.params().values()));
    return m;
  }

  private static Map<String, Object> term(Term term) {
    Map<String, Object> m = ref(term.strategy());
    m.put("weight", term.weight());
    if (!term.always()) {
      m.put("from_epoch", term.fromEpoch());
      m.put("until_epoch", term.untilEpoch());
    }
    return m;
  }

  private static Map<String, Object> training(TrainingConfig t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", t.epochs());
    m.put("batch_size", t.batchSize());
    OptimizerConfig o = t.optimizer();
    Map<String, Object> opt = new LinkedHashMap<>();
    opt.put("type", o.type());
    opt.put("lr", o.lr());
    if (o.type().equals(OptimizerConfig.SGD)) {
      opt.put("momentum", o.momentum());
    } else {
      opt.put("beta1", o.beta1());
      opt.put("beta2", o.beta2());
      opt.put("eps", o.eps());
    }
    opt.put("weight_decay", o.weightDecay());
    m.put("optimizer", opt);
    ScheduleConfig sc = t.schedule();
    Map<String, Object> sched = new LinkedHashMap<>();
    sched.put("type", sc.type());
    if (sc.type().equals(ScheduleConfig.STEP)) {
      sched.put("step_size", sc.stepSize());
      sched.put("gamma", sc.gamma());
    } else if (sc.type().equals(ScheduleConfig.COSINE)) {
      sched.put("min_lr", sc.minLr());
    }
    sched.put("warmup_epochs", sc.warmupEpochs());
    m.put("schedule", sched);
    return m;
  }
}
