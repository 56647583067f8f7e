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

  static String toYaml(Study s) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", s.name());
    root.put("description", s.description());

    root.put("task", s.task());
    root.put("data", s.data().toYaml());

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
    if (t.topK() > 0) {
      teacher.put("top_k", t.topK());
    }
    if (t.topKHalf()) {
      teacher.put("top_k_dtype", "float16");
    }
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

    root.put("evaluation", s.evaluation().toYaml());

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
    if (t.jitter() > 0) {
      m.put("jitter", t.jitter());
    }
    return m;
  }
}
