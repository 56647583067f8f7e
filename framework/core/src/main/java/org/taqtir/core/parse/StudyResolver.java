package org.taqtir.core.parse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.taqtir.api.Params;
import org.taqtir.api.Plugin;
import org.taqtir.api.Range;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataSpec;
import org.taqtir.core.config.EvaluationSpec;
import org.taqtir.core.config.MethodConfig;
import org.taqtir.core.config.OptimizerConfig;
import org.taqtir.core.config.OutputConfig;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.ScheduleConfig;
import org.taqtir.core.config.StudentConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.config.TeacherOutputs;
import org.taqtir.core.config.Term;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginKind;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.task.Task;

/**
 * The checks and defaults of one parse: binds the study to records, checks every value, looks every
 * plugin up in the registry (once per term) and fills every default. The {@code data:} and {@code
 * evaluation:} blocks are read by the study's task.
 */
final class StudyResolver {

  private static final Pattern STUDY_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final String STUDY_NAME_RULE = "[a-z0-9_-]+ (at most 64 characters)";
  private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");
  private static final String RUN_NAME_RULE =
      "a letter or digit, then letters, digits, _ . + - (at most 64 characters)";

  private static final Range AT_LEAST_0 = Range.atLeast(0);
  private static final Range AT_LEAST_1 = Range.atLeast(1);
  private static final Range POSITIVE = Range.greaterThan(0);
  private static final Range UNIT_OPEN = new Range(0, true, 1, false);
  private static final Range GAMMA = new Range(0, false, 1, true);
  private static final Range JITTER = Range.closed(0, 8);

  private final PluginRegistry registry;
  private final ConfigSection root;
  private String task = Plugin.CLASSIFICATION;

  StudyResolver(PluginRegistry registry, ConfigSection root) {
    this.registry = registry;
    this.root = root;
  }

  Study study(Path path) {
    Raw.StudyRaw raw = root.bind(Raw.StudyRaw.class);
    String name =
        root.required(raw.name(), "name", "a lowercase id for the study, e.g. quickstart");
    if (!STUDY_NAME.matcher(name).matches()) {
      throw root.error(
          "name", "name must match " + STUDY_NAME_RULE + ", found " + root.found("name", name));
    }
    String description = raw.description() == null ? "" : raw.description();
    Task t = task(raw.task());
    task = t.id();
    DataSpec data = t.data(root.child("data"));
    TrainingConfig training = training(raw.training(), null, "training");
    TeacherConfig teacher = teacher(raw.teacher(), training);
    List<StudentConfig> students = students(raw.students());
    List<MethodConfig> methods = methods(raw.strategies());
    for (int i = 0; i < methods.size(); i++) {
      for (int e = 1; e <= training.epochs(); e++) {
        int epoch = e;
        if (methods.get(i).terms().stream().noneMatch(term -> term.activeIn(epoch))) {
          String f = "strategies[" + i + "].terms";
          throw root.error(
              f,
              f
                  + " leave epoch "
                  + e
                  + " of "
                  + training.epochs()
                  + " without any active term; adjust from_epoch/until_epoch");
        }
      }
    }
    List<Long> seeds = seeds(raw.seeds());
    EvaluationSpec evaluation = t.evaluation(root.child("evaluation"));
    OutputConfig output = output(raw.output());
    return new Study(
        path,
        name,
        description,
        task,
        data,
        teacher,
        students,
        methods,
        training,
        seeds,
        evaluation,
        output);
  }

  private Task task(String id) {
    if (id == null) {
      id = Plugin.CLASSIFICATION;
    }
    String wanted = id;
    return registry
        .tasks()
        .find(id)
        .orElseThrow(() -> root.error("task", "task: " + registry.tasks().unknown(wanted)));
  }

  private TeacherConfig teacher(Raw.TeacherRaw r, TrainingConfig base) {
    if (r == null) {
      throw root.error(
          "teacher",
          "teacher is required: give teacher.train (an architecture the study trains on labels)"
              + " or teacher.load (a saved teacher)");
    }
    if (r.train() != null && r.load() != null) {
      throw root.error("teacher", "teacher has both train and load; give exactly one");
    }
    if (r.train() == null && r.load() == null) {
      throw root.error(
          "teacher",
          "teacher needs exactly one of train (an architecture the study trains on labels)"
              + " or load (a saved teacher)");
    }
    TeacherOutputs outputs = TeacherOutputs.CACHED;
    if (r.outputs() != null) {
      outputs =
          TeacherOutputs.fromKey(r.outputs())
              .orElseThrow(
                  () ->
                      root.error(
                          "teacher.outputs",
                          "teacher.outputs must be one of cached, per-batch, found "
                              + root.found("teacher.outputs", r.outputs())));
    }
    int topK = r.topK() == null ? 0 : r.topK();
    if (topK < 0 || topK > 4096) {
      throw root.error(
          "teacher.top_k",
          "teacher.top_k must be in [0, 4096] (0: the full outputs), found "
              + root.found("teacher.top_k", r.topK()));
    }
    String dtype = r.topK_dtype() == null ? "float32" : r.topK_dtype();
    if (!List.of("float32", "float16").contains(dtype)) {
      throw root.error(
          "teacher.top_k_dtype",
          "teacher.top_k_dtype must be one of float32, float16, found "
              + root.found("teacher.top_k_dtype", r.topK_dtype()));
    }
    boolean half = dtype.equals("float16");
    if (half && topK == 0) {
      throw root.error(
          "teacher.top_k_dtype",
          "teacher.top_k_dtype: float16 keeps top-k values at half precision; set teacher.top_k");
    }
    if (r.train() != null) {
      if (r.train().architecture() == null) {
        throw root.error(
            "teacher.train.architecture",
            "teacher.train.architecture is required; available: "
                + String.join(", ", ids(registry.students())));
      }
      PluginRef arch =
          ref(registry.students(), r.train().architecture(), "teacher.train.architecture");
      TrainingConfig training = training(r.train().training(), base, "teacher.train.training");
      return new TeacherConfig(arch, training, null, outputs, topK, half);
    }
    return new TeacherConfig(
        null, null, ref(registry.teachers(), r.load(), "teacher.load"), outputs, topK, half);
  }

  private List<StudentConfig> students(List<Raw.StudentRaw> raw) {
    if (raw == null || raw.isEmpty()) {
      throw root.error(
          "students",
          "students must list at least one student, e.g. [{architecture: {id: mlp}}]"
              + (raw == null ? "" : ", found []"));
    }
    List<StudentConfig> out = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      String f = "students[" + i + "]";
      Raw.StudentRaw s = raw.get(i);
      if (s == null) {
        throw root.error(f, f + " must be a mapping with name and architecture, found null");
      }
      if (s.architecture() == null) {
        throw root.error(
            f + ".architecture",
            f
                + ".architecture is required; available: "
                + String.join(", ", ids(registry.students())));
      }
      PluginRef arch = ref(registry.students(), s.architecture(), f + ".architecture");
      String name = s.name() != null ? s.name() : arch.id() + "-" + i;
      checkName(name, f + ".name", seen);
      out.add(new StudentConfig(name, arch));
    }
    return out;
  }

  private List<MethodConfig> methods(List<Raw.MethodRaw> raw) {
    if (raw == null || raw.isEmpty()) {
      throw root.error(
          "strategies",
          "strategies must list at least one method, e.g. [{id: labels-only}]"
              + (raw == null ? "" : ", found []"));
    }
    List<MethodConfig> out = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      String f = "strategies[" + i + "]";
      Raw.MethodRaw m = raw.get(i);
      if (m == null) {
        throw root.error(
            f, f + " must be a mapping with id (one strategy) or name and terms, found null");
      }
      List<Term> terms = new ArrayList<>();
      String name;
      if (m.terms() != null) {
        if (m.id() != null) {
          throw root.error(
              f,
              f
                  + " has both id and terms; give id (one strategy) or name and terms (a weighted"
                  + " sum)");
        }
        notWithTerms(m.params(), f + ".params");
        notWithTerms(m.weight(), f + ".weight");
        name = m.name();
        if (name == null) {
          throw root.error(f + ".name", f + ".name is required when a method has terms");
        }
        if (m.terms().isEmpty()) {
          throw root.error(f + ".terms", f + ".terms must list at least one term, found []");
        }
        for (int j = 0; j < m.terms().size(); j++) {
          String tf = f + ".terms[" + j + "]";
          Raw.TermRaw t = m.terms().get(j);
          if (t == null) {
            throw root.error(tf, tf + " must be a mapping with id, params and weight, found null");
          }
          int from = root.intIn(t.fromEpoch(), 1, AT_LEAST_1, tf + ".from_epoch");
          int until = root.intIn(t.untilEpoch(), 0, AT_LEAST_0, tf + ".until_epoch");
          if (until > 0 && until < from) {
            throw root.error(
                tf + ".until_epoch",
                tf
                    + ".until_epoch must be 0 (the last epoch) or >= from_epoch ("
                    + from
                    + "), found "
                    + root.found(tf + ".until_epoch", until));
          }
          terms.add(
              new Term(
                  ref(registry.strategies(), new Raw.RefRaw(t.id(), t.params()), tf),
                  weight(t.weight(), tf + ".weight"),
                  from,
                  until));
        }
      } else {
        if (m.id() == null) {
          throw root.error(
              f + ".id",
              f
                  + ".id is required (or name and terms); available: "
                  + String.join(", ", ids(registry.strategies())));
        }
        PluginRef ref = ref(registry.strategies(), new Raw.RefRaw(m.id(), m.params()), f);
        terms.add(new Term(ref, weight(m.weight(), f + ".weight")));
        name = m.name() != null ? m.name() : m.id();
      }
      checkName(name, f + ".name", seen);
      out.add(new MethodConfig(name, terms));
    }
    return out;
  }

  private void notWithTerms(Object v, String field) {
    if (v != null) {
      throw root.error(field, field + " is not allowed with terms; set it on each term");
    }
  }

  private double weight(Double w, String field) {
    return root.dblIn(w, 1.0, POSITIVE, field);
  }

  private TrainingConfig training(Raw.TrainingRaw r, TrainingConfig base, String f) {
    TrainingConfig b = base != null ? base : TrainingConfig.defaults();
    if (r == null) {
      return b;
    }
    int epochs = root.intIn(r.epochs(), b.epochs(), AT_LEAST_1, f + ".epochs");
    int batch = root.intIn(r.batchSize(), b.batchSize(), AT_LEAST_1, f + ".batch_size");
    OptimizerConfig opt = optimizer(r.optimizer(), b.optimizer(), f + ".optimizer");
    ScheduleConfig sched = schedule(r.schedule(), b.schedule(), f + ".schedule");
    if (sched.type().equals(ScheduleConfig.COSINE) && sched.minLr() > opt.lr()) {
      String field = f + ".schedule.min_lr";
      throw root.error(
          field,
          field
              + " must be <= "
              + f
              + ".optimizer.lr ("
              + opt.lr()
              + "), found "
              + root.found(field, sched.minLr()));
    }
    int jitter = root.intIn(r.jitter(), b.jitter(), JITTER, f + ".jitter");
    return new TrainingConfig(epochs, batch, opt, sched, jitter);
  }

  private OptimizerConfig optimizer(Raw.OptimizerRaw r, OptimizerConfig base, String f) {
    if (r == null) {
      return base;
    }
    String type =
        root.oneOf(
            r.type(), base.type(), List.of(OptimizerConfig.ADAM, OptimizerConfig.SGD), f + ".type");
    OptimizerConfig b = type.equals(base.type()) ? base : OptimizerConfig.defaults(type);
    double lr = root.dblIn(r.lr(), b.lr(), POSITIVE, f + ".lr");
    double wd = root.dblIn(r.weightDecay(), b.weightDecay(), AT_LEAST_0, f + ".weight_decay");
    if (type.equals(OptimizerConfig.SGD)) {
      List<String> allowed = List.of("lr", "momentum", "type", "weight_decay");
      root.notFor(r.beta1(), f, "beta1", "the sgd optimizer", allowed);
      root.notFor(r.beta2(), f, "beta2", "the sgd optimizer", allowed);
      root.notFor(r.eps(), f, "eps", "the sgd optimizer", allowed);
      return OptimizerConfig.sgd(
          lr, root.dblIn(r.momentum(), b.momentum(), UNIT_OPEN, f + ".momentum"), wd);
    }
    root.notFor(
        r.momentum(),
        f,
        "momentum",
        "the adam optimizer",
        List.of("beta1", "beta2", "eps", "lr", "type", "weight_decay"));
    return OptimizerConfig.adam(
        lr,
        root.dblIn(r.beta1(), b.beta1(), UNIT_OPEN, f + ".beta1"),
        root.dblIn(r.beta2(), b.beta2(), UNIT_OPEN, f + ".beta2"),
        root.dblIn(r.eps(), b.eps(), POSITIVE, f + ".eps"),
        wd);
  }

  private ScheduleConfig schedule(Raw.ScheduleRaw r, ScheduleConfig base, String f) {
    if (r == null) {
      return base;
    }
    String type =
        root.oneOf(
            r.type(),
            base.type(),
            List.of(ScheduleConfig.CONSTANT, ScheduleConfig.COSINE, ScheduleConfig.STEP),
            f + ".type");
    boolean same = type.equals(base.type());
    int warmup =
        root.intIn(
            r.warmupEpochs(), same ? base.warmupEpochs() : 0, AT_LEAST_0, f + ".warmup_epochs");
    String what = "a " + type + " schedule";
    switch (type) {
      case ScheduleConfig.STEP -> {
        List<String> allowed = List.of("gamma", "step_size", "type", "warmup_epochs");
        root.notFor(r.minLr(), f, "min_lr", what, allowed);
        if (r.stepSize() == null && !same) {
          throw root.error(
              f + ".step_size",
              f + ".step_size is required for a step schedule: the epochs between decays, >= 1");
        }
        int step = root.intIn(r.stepSize(), base.stepSize(), AT_LEAST_1, f + ".step_size");
        double gamma = root.dblIn(r.gamma(), same ? base.gamma() : 0.1, GAMMA, f + ".gamma");
        return new ScheduleConfig(type, step, gamma, 0, warmup);
      }
      case ScheduleConfig.COSINE -> {
        List<String> allowed = List.of("min_lr", "type", "warmup_epochs");
        root.notFor(r.stepSize(), f, "step_size", what, allowed);
        root.notFor(r.gamma(), f, "gamma", what, allowed);
        double minLr = root.dblIn(r.minLr(), same ? base.minLr() : 0.0, AT_LEAST_0, f + ".min_lr");
        return new ScheduleConfig(type, 0, 0, minLr, warmup);
      }
      default -> {
        List<String> allowed = List.of("type", "warmup_epochs");
        root.notFor(r.stepSize(), f, "step_size", what, allowed);
        root.notFor(r.gamma(), f, "gamma", what, allowed);
        root.notFor(r.minLr(), f, "min_lr", what, allowed);
        return new ScheduleConfig(type, 0, 0, 0, warmup);
      }
    }
  }

  private List<Long> seeds(List<Long> raw) {
    if (raw == null) {
      return List.of(1L);
    }
    if (raw.isEmpty()) {
      throw root.error("seeds", "seeds must list at least one seed, found []");
    }
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      String f = "seeds[" + i + "]";
      Long s = raw.get(i);
      if (s == null) {
        throw root.error(f, f + " must be an integer, found null");
      }
      if (!seen.add(s)) {
        throw root.error(
            f, f + " must differ from the other seeds, found " + root.found(f, s) + " again");
      }
    }
    return raw;
  }

  private OutputConfig output(Raw.OutputRaw r) {
    Path dir =
        r == null || r.dir() == null
            ? Path.of("runs")
            : root.path(r.dir(), "output.dir").normalize();
    // the nearest existing ancestor must be a directory: a file there is refused now, not after
    // the teacher has trained
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (java.nio.file.Files.exists(p)) {
        if (!java.nio.file.Files.isDirectory(p)) {
          throw root.error(
              "output.dir",
              "output.dir must be a directory (created when missing), but "
                  + p
                  + " is a file, found "
                  + root.found("output.dir", dir.toString()));
        }
        break;
      }
    }
    return new OutputConfig(dir, r == null || r.plots() == null || r.plots());
  }

  private void checkName(String name, String field, Map<String, String> seen) {
    if (!RUN_NAME.matcher(name).matches()) {
      throw root.error(
          field, field + " must be " + RUN_NAME_RULE + ", found " + root.found(field, name));
    }
    String first = seen.putIfAbsent(name, field);
    if (first != null) {
      throw root.error(
          field, field + " must be unique, found " + root.found(field, name) + " also at " + first);
    }
  }

  // ---- plugins

  private <P extends Plugin> PluginRef ref(PluginKind<P> kind, Raw.RefRaw r, String f) {
    if (r.id() == null) {
      throw root.error(
          f + ".id", f + ".id is required; available: " + String.join(", ", ids(kind)));
    }
    P provider =
        kind.find(r.id())
            .orElseThrow(
                () ->
                    root.error(
                        f + ".id", f + ".id: " + kind.unknown(r.id()) + otherKind(kind, r.id())));
    if (!provider.worksWith(task)) {
      throw root.error(
          f + ".id",
          f
              + ".id: "
              + kind.name()
              + " '"
              + r.id()
              + "' works with "
              + String.join(", ", new java.util.TreeSet<>(provider.tasks()))
              + ", not with this study's task "
              + task
              + "; "
              + plural(kind.name())
              + " for "
              + task
              + ": "
              + String.join(", ", ids(kind)));
    }
    try {
      Params params =
          ParamResolver.resolve(provider.id(), provider.params(), r.params(), f + ".params");
      return new PluginRef(provider.id(), params);
    } catch (ConfigException e) {
      throw root.locate(e);
    }
  }

  private static String plural(String kind) {
    return kind.endsWith("y") ? kind.substring(0, kind.length() - 1) + "ies" : kind + "s";
  }

  /** The ids of a kind's plugins that work with the study's task. */
  private List<String> ids(PluginKind<? extends Plugin> kind) {
    return kind.all().stream().filter(p -> p.worksWith(task)).map(Plugin::id).sorted().toList();
  }

  private String otherKind(PluginKind<?> asked, String id) {
    for (PluginKind<?> k :
        List.of(registry.strategies(), registry.students(), registry.teachers())) {
      if (k != asked && k.find(id).isPresent()) {
        return "; '" + id + "' is a " + k.name() + ", not a " + asked.name();
      }
    }
    return "";
  }
}
