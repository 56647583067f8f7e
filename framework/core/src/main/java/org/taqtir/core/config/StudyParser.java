package org.taqtir.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.taqtir.api.Params;
import org.taqtir.api.Plugin;
import org.taqtir.api.Range;
import org.taqtir.core.registry.Levenshtein;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginKind;
import org.taqtir.core.registry.PluginRegistry;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a study file into a resolved {@link Study}.
 *
 * <p>Steps: read the YAML tree and the line of every key; apply the {@code -P path=value} overrides
 * to the tree; bind it to records with unknown keys rejected; then check every value, look every
 * plugin id up in the registry, resolve its parameters and fill every default. A config names
 * plugins by registry id only, never by Java class.
 *
 * <p>Every error is a {@link ConfigException} with a one-line message such as {@code study.yaml:14:
 * strategies[1].params.temperature must be > 0, found -1}; the first error stops the parse.
 *
 * <p>Absent keys and keys written with an empty ({@code null}) value take their defaults. The
 * teacher's {@code train.training} takes each missing field from the top-level {@code training}; an
 * optimizer or schedule of a different type than the top-level one starts from that type's defaults
 * instead.
 */
public final class StudyParser {

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

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final ObjectMapper TREE = new ObjectMapper(FACTORY);
  private static final ObjectMapper BIND = bindMapper();

  private final PluginRegistry registry;

  /**
   * Creates a parser that resolves plugin ids against a registry.
   *
   * @param registry the plugins a study may name
   */
  public StudyParser(PluginRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  private static ObjectMapper bindMapper() {
    YAMLMapper m =
        YAMLMapper.builder(FACTORY)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // "name: 2024" is a fine name: let whole numbers stand for strings, nothing else
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /**
   * Reads and resolves a study file.
   *
   * @param file the study file; relative {@code data.dir} paths resolve against its directory
   * @param overrides {@code path -> value} pairs such as {@code training.epochs -> 2}, applied in
   *     iteration order; {@code null} or empty for none
   * @return the resolved study
   * @throws ConfigException when the file cannot be read or is invalid
   */
  public Study parse(Path file, Map<String, String> overrides) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          fileName(file),
          0,
          "",
          "cannot read the study file " + file.toAbsolutePath() + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(
          fileName(file),
          0,
          "",
          "cannot read the study file " + file.toAbsolutePath() + ": " + e,
          null,
          e);
    }
    return parse(text, file, overrides);
  }

  /**
   * Resolves a study given as text.
   *
   * @param yamlText the study YAML
   * @param fileForMessages the file the text came from, named in messages and used to resolve
   *     relative paths; {@code null} for none (paths then resolve against the working directory)
   * @param overrides {@code path -> value} pairs, applied in iteration order; {@code null} for none
   * @return the resolved study
   * @throws ConfigException when the text is invalid
   */
  public Study parse(String yamlText, Path fileForMessages, Map<String, String> overrides) {
    Objects.requireNonNull(yamlText, "yamlText");
    String file = fileForMessages == null ? "<study>" : fileName(fileForMessages);
    JsonNode root;
    LineMap lines;
    try {
      root = TREE.readTree(yamlText);
      lines = LineMap.scan(FACTORY, yamlText, file);
    } catch (JacksonException e) {
      throw syntaxError(file, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(
          file,
          0,
          "",
          "the study file is empty; it needs at least name, teacher, students and strategies");
    }
    if (!(root instanceof ObjectNode obj)) {
      throw new ConfigException(
          file,
          0,
          "",
          "the top level must be a mapping of study fields (name, data, teacher, students,"
              + " strategies, training, ...), found "
              + ConfigException.show(TREE.convertValue(root, Object.class)));
    }
    List<Overrides.Override> applied = Overrides.parse(overrides, file, TREE);
    for (Overrides.Override o : applied) {
      Overrides.apply(obj, o, file);
    }
    Path baseDir =
        fileForMessages == null
            ? Path.of("").toAbsolutePath()
            : fileForMessages.toAbsolutePath().normalize().getParent();
    return new Resolution(file, lines, applied, obj, baseDir).study(fileForMessages);
  }

  private static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  private static ConfigException syntaxError(String file, JacksonException e) {
    JsonLocation loc = e.getLocation();
    int line = loc == null ? 0 : loc.getLineNr();
    String problem = e.getOriginalMessage();
    if (e.getCause() instanceof MarkedYAMLException m) {
      problem = m.getProblem();
      if (m.getContext() != null) {
        problem = m.getContext() + ": " + problem;
      }
      if (m.getProblemMark() != null) {
        line = m.getProblemMark().getLine() + 1;
      }
    }
    return new ConfigException(
        file, line, "", "invalid YAML: " + Overrides.oneLine(problem), null, e);
  }

  /** The checks and defaults of one parse, with what it needs to locate errors. */
  private final class Resolution {
    private final String file;
    private final LineMap lines;
    private final List<Overrides.Override> overrides;
    private final ObjectNode tree;
    private final Path baseDir;

    Resolution(
        String file,
        LineMap lines,
        List<Overrides.Override> overrides,
        ObjectNode tree,
        Path baseDir) {
      this.file = file;
      this.lines = lines;
      this.overrides = overrides;
      this.tree = tree;
      this.baseDir = baseDir;
    }

    Study study(Path path) {
      Raw.StudyRaw raw = bind();
      String name = required(raw.name(), "name", "a lowercase id for the study, e.g. quickstart");
      if (!STUDY_NAME.matcher(name).matches()) {
        throw error(
            "name", "name must match " + STUDY_NAME_RULE + ", found " + found("name", name));
      }
      String description = raw.description() == null ? "" : raw.description();
      DataConfig data = data(raw.data());
      TrainingConfig training = training(raw.training(), null, "training");
      TeacherConfig teacher = teacher(raw.teacher(), training);
      List<StudentConfig> students = students(raw.students());
      List<MethodConfig> methods = methods(raw.strategies());
      for (int i = 0; i < methods.size(); i++) {
        for (int e = 1; e <= training.epochs(); e++) {
          int epoch = e;
          if (methods.get(i).terms().stream().noneMatch(t -> t.activeIn(epoch))) {
            String f = "strategies[" + i + "].terms";
            throw error(
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
      EvaluationConfig evaluation = evaluation(raw.evaluation());
      OutputConfig output = output(raw.output());
      return new Study(
          path,
          name,
          description,
          data,
          teacher,
          students,
          methods,
          training,
          seeds,
          evaluation,
          output);
    }

    // ---- binding

    private Raw.StudyRaw bind() {
      try {
        return BIND.treeToValue(tree, Raw.StudyRaw.class);
      } catch (UnrecognizedPropertyException e) {
        String field = path(e);
        Set<String> known = new TreeSet<>();
        e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
        throw error(field, field + " " + notKnown(e.getPropertyName(), known));
      } catch (MismatchedInputException e) {
        String field = path(e);
        throw error(
            field,
            field + " must be " + describe(e.getTargetType()) + ", found " + found(field, null));
      } catch (JsonMappingException e) {
        String field = path(e);
        if (e.getCause() instanceof InputCoercionException c) {
          throw error(
              field,
              field + " must be " + describe(c.getTargetType()) + ", found " + found(field, null));
        }
        throw error(field, field + " is invalid: " + Overrides.oneLine(e.getOriginalMessage()));
      } catch (InputCoercionException e) {
        String field = "";
        JsonParser p = e.getProcessor();
        if (p != null && p.getParsingContext() != null) {
          field = pointerToPath(p.getParsingContext().pathAsPointer());
        }
        throw error(
            field,
            field + " must be " + describe(e.getTargetType()) + ", found " + found(field, null));
      } catch (JacksonException e) {
        throw new ConfigException(file, 0, "", Overrides.oneLine(e.getOriginalMessage()), null, e);
      }
    }

    private String path(JsonMappingException e) {
      List<Object> segs = new ArrayList<>();
      for (JsonMappingException.Reference r : e.getPath()) {
        if (r.getFieldName() != null) {
          segs.add(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          segs.add(r.getIndex());
        }
      }
      return FieldPath.render(segs);
    }

    private String pointerToPath(JsonPointer ptr) {
      List<Object> segs = new ArrayList<>();
      for (JsonPointer p = ptr; p != null && !p.matches(); p = p.tail()) {
        segs.add(p.mayMatchElement() ? (Object) p.getMatchingIndex() : p.getMatchingProperty());
      }
      return FieldPath.render(segs);
    }

    private String describe(Class<?> type) {
      if (type == null) {
        return "of another type";
      }
      if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
        return "an integer";
      }
      if (type == Double.class || type == double.class) {
        return "a number";
      }
      if (type == Boolean.class || type == boolean.class) {
        return "true or false";
      }
      if (type == String.class) {
        return "a string";
      }
      if (Collection.class.isAssignableFrom(type) || type.isArray()) {
        return "a list";
      }
      return "a mapping";
    }

    // ---- sections

    private DataConfig data(Raw.DataRaw r) {
      Raw.DataRaw d =
          r != null
              ? r
              : new Raw.DataRaw(
                  null, null, null, null, null, null, null, null, null, null, null, null, null,
                  null, null);
      String source =
          oneOf(
              d.source(),
              DataConfig.FASHION_MNIST,
              List.of(DataConfig.FASHION_MNIST, DataConfig.CSV),
              "data.source");
      if (source.equals(DataConfig.CSV)) {
        return table(d);
      }
      for (var e :
          new Object[][] {
            {"file", d.file()},
            {"target", d.target()},
            {"features", d.features()},
            {"categorical", d.categorical()},
            {"group", d.group()},
            {"split_column", d.splitColumn()},
            {"test", d.test()},
            {"binarize_target", d.binarizeTarget()}
          }) {
        if (e[1] != null) {
          throw error("data." + e[0], "data." + e[0] + " is for data.source: csv, not " + source);
        }
      }
      String dirText = d.dir() == null ? DataConfig.DEFAULT_DIR : d.dir();
      Path written = path(dirText, "data.dir");
      Path dir = written.isAbsolute() ? written : baseDir.resolve(written);
      int trainLimit = intIn(d.trainLimit(), 0, AT_LEAST_0, "data.train_limit");
      int testLimit = intIn(d.testLimit(), 0, AT_LEAST_0, "data.test_limit");
      int validation = intIn(d.validation(), 5000, AT_LEAST_1, "data.validation");
      long splitSeed = d.splitSeed() == null ? 42L : d.splitSeed();
      List<Integer> exclude =
          d.transferExcludeClasses() == null ? List.of() : d.transferExcludeClasses();
      for (int i = 0; i < exclude.size(); i++) {
        String f = "data.transfer_exclude_classes[" + i + "]";
        Integer c = exclude.get(i);
        if (c == null || c < 0 || exclude.subList(0, i).contains(c)) {
          throw error(
              f, f + " must be a class index >= 0 that is not listed twice, found " + found(f, c));
        }
      }
      return new DataConfig(
          source,
          dir.toAbsolutePath().normalize(),
          trainLimit,
          testLimit,
          validation,
          splitSeed,
          exclude);
    }

    /** {@code data.source: csv}: a table with a declared schema (checked again when loaded). */
    private DataConfig table(Raw.DataRaw d) {
      String fileText = required(d.file(), "data.file", "the CSV file");
      Path written = path(fileText, "data.file");
      Path file = (written.isAbsolute() ? written : baseDir.resolve(written)).normalize();
      String target = required(d.target(), "data.target", "the class column");
      for (var e :
          new Object[][] {
            {"dir", d.dir()}, {"train_limit", d.trainLimit()}, {"test_limit", d.testLimit()}
          }) {
        if (e[1] != null) {
          throw error(
              "data." + e[0],
              "data." + e[0] + " is for image data; a csv table uses file, validation and test");
        }
      }
      if (d.transferExcludeClasses() != null && !d.transferExcludeClasses().isEmpty()) {
        throw error(
            "data.transfer_exclude_classes",
            "data.transfer_exclude_classes is not supported for data.source: csv");
      }
      int validation = intIn(d.validation(), 0, AT_LEAST_0, "data.validation");
      int test = intIn(d.test(), 0, AT_LEAST_0, "data.test");
      long splitSeed = d.splitSeed() == null ? 42L : d.splitSeed();
      String binarize = null;
      Object b = d.binarizeTarget();
      if (b instanceof Number num && Double.isFinite(num.doubleValue())) {
        binarize = Double.toString(num.doubleValue());
      } else if ("median".equals(b)) {
        binarize = "median";
      } else if (b != null) {
        throw error(
            "data.binarize_target", "data.binarize_target must be median or a number, found " + b);
      }
      List<String> features = d.features() == null ? List.of() : d.features();
      List<String> categorical = d.categorical() == null ? List.of() : d.categorical();
      for (String[] pair :
          new String[][] {{"group", d.group()}, {"split_column", d.splitColumn()}}) {
        if (target.equals(pair[1])) {
          throw error(
              "data." + pair[0], "data." + pair[0] + " must not be the target column " + target);
        }
      }
      return new DataConfig(
          DataConfig.CSV,
          file.getParent(),
          0,
          0,
          validation,
          splitSeed,
          List.of(),
          new TableSchema(
              file, target, features, categorical, d.group(), d.splitColumn(), test, binarize));
    }

    private TeacherConfig teacher(Raw.TeacherRaw r, TrainingConfig base) {
      if (r == null) {
        throw error(
            "teacher",
            "teacher is required: give teacher.train (an architecture the study trains on labels)"
                + " or teacher.load (a saved teacher)");
      }
      if (r.train() != null && r.load() != null) {
        throw error("teacher", "teacher has both train and load; give exactly one");
      }
      if (r.train() == null && r.load() == null) {
        throw error(
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
                        error(
                            "teacher.outputs",
                            "teacher.outputs must be one of cached, per-batch, found "
                                + found("teacher.outputs", r.outputs())));
      }
      if (r.train() != null) {
        if (r.train().architecture() == null) {
          throw error(
              "teacher.train.architecture",
              "teacher.train.architecture is required; available: "
                  + String.join(", ", registry.students().ids()));
        }
        PluginRef arch =
            ref(registry.students(), r.train().architecture(), "teacher.train.architecture");
        TrainingConfig training = training(r.train().training(), base, "teacher.train.training");
        return new TeacherConfig(arch, training, null, outputs);
      }
      return new TeacherConfig(
          null, null, ref(registry.teachers(), r.load(), "teacher.load"), outputs);
    }

    private List<StudentConfig> students(List<Raw.StudentRaw> raw) {
      if (raw == null || raw.isEmpty()) {
        throw error(
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
          throw error(f, f + " must be a mapping with name and architecture, found null");
        }
        if (s.architecture() == null) {
          throw error(
              f + ".architecture",
              f
                  + ".architecture is required; available: "
                  + String.join(", ", registry.students().ids()));
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
        throw error(
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
          throw error(
              f, f + " must be a mapping with id (one strategy) or name and terms, found null");
        }
        List<Term> terms = new ArrayList<>();
        String name;
        if (m.terms() != null) {
          if (m.id() != null) {
            throw error(
                f,
                f
                    + " has both id and terms; give id (one strategy) or name and terms (a weighted"
                    + " sum)");
          }
          notWithTerms(m.params(), f + ".params");
          notWithTerms(m.weight(), f + ".weight");
          name = m.name();
          if (name == null) {
            throw error(f + ".name", f + ".name is required when a method has terms");
          }
          if (m.terms().isEmpty()) {
            throw error(f + ".terms", f + ".terms must list at least one term, found []");
          }
          for (int j = 0; j < m.terms().size(); j++) {
            String tf = f + ".terms[" + j + "]";
            Raw.TermRaw t = m.terms().get(j);
            if (t == null) {
              throw error(tf, tf + " must be a mapping with id, params and weight, found null");
            }
            int from = intIn(t.fromEpoch(), 1, AT_LEAST_1, tf + ".from_epoch");
            int until = intIn(t.untilEpoch(), 0, AT_LEAST_0, tf + ".until_epoch");
            if (until > 0 && until < from) {
              throw error(
                  tf + ".until_epoch",
                  tf
                      + ".until_epoch must be 0 (the last epoch) or >= from_epoch ("
                      + from
                      + "), found "
                      + found(tf + ".until_epoch", until));
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
            throw error(
                f + ".id",
                f
                    + ".id is required (or name and terms); available: "
                    + String.join(", ", registry.strategies().ids()));
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
        throw error(field, field + " is not allowed with terms; set it on each term");
      }
    }

    private double weight(Double w, String field) {
      return dblIn(w, 1.0, POSITIVE, field);
    }

    private TrainingConfig training(Raw.TrainingRaw r, TrainingConfig base, String f) {
      TrainingConfig b = base != null ? base : TrainingConfig.defaults();
      if (r == null) {
        return b;
      }
      int epochs = intIn(r.epochs(), b.epochs(), AT_LEAST_1, f + ".epochs");
      int batch = intIn(r.batchSize(), b.batchSize(), AT_LEAST_1, f + ".batch_size");
      OptimizerConfig opt = optimizer(r.optimizer(), b.optimizer(), f + ".optimizer");
      ScheduleConfig sched = schedule(r.schedule(), b.schedule(), f + ".schedule");
      if (sched.type().equals(ScheduleConfig.COSINE) && sched.minLr() > opt.lr()) {
        String field = f + ".schedule.min_lr";
        throw error(
            field,
            field
                + " must be <= "
                + f
                + ".optimizer.lr ("
                + opt.lr()
                + "), found "
                + found(field, sched.minLr()));
      }
      return new TrainingConfig(epochs, batch, opt, sched);
    }

    private OptimizerConfig optimizer(Raw.OptimizerRaw r, OptimizerConfig base, String f) {
      if (r == null) {
        return base;
      }
      String type =
          oneOf(
              r.type(),
              base.type(),
              List.of(OptimizerConfig.ADAM, OptimizerConfig.SGD),
              f + ".type");
      OptimizerConfig b = type.equals(base.type()) ? base : OptimizerConfig.defaults(type);
      double lr = dblIn(r.lr(), b.lr(), POSITIVE, f + ".lr");
      double wd = dblIn(r.weightDecay(), b.weightDecay(), AT_LEAST_0, f + ".weight_decay");
      if (type.equals(OptimizerConfig.SGD)) {
        List<String> allowed = List.of("lr", "momentum", "type", "weight_decay");
        notFor(r.beta1(), f, "beta1", "the sgd optimizer", allowed);
        notFor(r.beta2(), f, "beta2", "the sgd optimizer", allowed);
        notFor(r.eps(), f, "eps", "the sgd optimizer", allowed);
        return OptimizerConfig.sgd(
            lr, dblIn(r.momentum(), b.momentum(), UNIT_OPEN, f + ".momentum"), wd);
      }
      notFor(
          r.momentum(),
          f,
          "momentum",
          "the adam optimizer",
          List.of("beta1", "beta2", "eps", "lr", "type", "weight_decay"));
      return OptimizerConfig.adam(
          lr,
          dblIn(r.beta1(), b.beta1(), UNIT_OPEN, f + ".beta1"),
          dblIn(r.beta2(), b.beta2(), UNIT_OPEN, f + ".beta2"),
          dblIn(r.eps(), b.eps(), POSITIVE, f + ".eps"),
          wd);
    }

    private ScheduleConfig schedule(Raw.ScheduleRaw r, ScheduleConfig base, String f) {
      if (r == null) {
        return base;
      }
      String type =
          oneOf(
              r.type(),
              base.type(),
              List.of(ScheduleConfig.CONSTANT, ScheduleConfig.COSINE, ScheduleConfig.STEP),
              f + ".type");
      boolean same = type.equals(base.type());
      int warmup =
          intIn(r.warmupEpochs(), same ? base.warmupEpochs() : 0, AT_LEAST_0, f + ".warmup_epochs");
      String what = "a " + type + " schedule";
      switch (type) {
        case ScheduleConfig.STEP -> {
          List<String> allowed = List.of("gamma", "step_size", "type", "warmup_epochs");
          notFor(r.minLr(), f, "min_lr", what, allowed);
          if (r.stepSize() == null && !same) {
            throw error(
                f + ".step_size",
                f + ".step_size is required for a step schedule: the epochs between decays, >= 1");
          }
          int step = intIn(r.stepSize(), base.stepSize(), AT_LEAST_1, f + ".step_size");
          double gamma = dblIn(r.gamma(), same ? base.gamma() : 0.1, GAMMA, f + ".gamma");
          return new ScheduleConfig(type, step, gamma, 0, warmup);
        }
        case ScheduleConfig.COSINE -> {
          List<String> allowed = List.of("min_lr", "type", "warmup_epochs");
          notFor(r.stepSize(), f, "step_size", what, allowed);
          notFor(r.gamma(), f, "gamma", what, allowed);
          double minLr = dblIn(r.minLr(), same ? base.minLr() : 0.0, AT_LEAST_0, f + ".min_lr");
          return new ScheduleConfig(type, 0, 0, minLr, warmup);
        }
        default -> {
          List<String> allowed = List.of("type", "warmup_epochs");
          notFor(r.stepSize(), f, "step_size", what, allowed);
          notFor(r.gamma(), f, "gamma", what, allowed);
          notFor(r.minLr(), f, "min_lr", what, allowed);
          return new ScheduleConfig(type, 0, 0, 0, warmup);
        }
      }
    }

    private List<Long> seeds(List<Long> raw) {
      if (raw == null) {
        return List.of(1L);
      }
      if (raw.isEmpty()) {
        throw error("seeds", "seeds must list at least one seed, found []");
      }
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < raw.size(); i++) {
        String f = "seeds[" + i + "]";
        Long s = raw.get(i);
        if (s == null) {
          throw error(f, f + " must be an integer, found null");
        }
        if (!seen.add(s)) {
          throw error(f, f + " must differ from the other seeds, found " + found(f, s) + " again");
        }
      }
      return raw;
    }

    private EvaluationConfig evaluation(Raw.EvaluationRaw r) {
      EvaluationConfig d = EvaluationConfig.defaults();
      if (r == null) {
        return d;
      }
      String select =
          oneOf(
              r.select(),
              EvaluationConfig.VAL_ACC,
              List.of(EvaluationConfig.VAL_ACC),
              "evaluation.select");
      boolean test = r.test() == null || r.test();
      boolean statement = r.lossStatement() == null ? test : r.lossStatement();
      if (statement && !test) {
        throw error(
            "evaluation.loss_statement",
            "evaluation.loss_statement needs evaluation.test: true (the statement is computed on"
                + " the test split); set loss_statement: false or test: true");
      }
      int choices =
          (r.targetAccuracy() == null ? 0 : 1)
              + (r.cascadeBudget() == null ? 0 : 1)
              + (r.cascadeMaxDeferral() == null ? 0 : 1);
      if (choices > 1) {
        throw error(
            r.cascadeBudget() != null
                ? "evaluation.cascade_budget"
                : "evaluation.cascade_max_deferral",
            "evaluation: give at most one of target_accuracy, cascade_budget and"
                + " cascade_max_deferral (each alone chooses the cascade threshold τ), found "
                + choices);
      }
      List<String> targets = r.targets() == null ? List.of() : r.targets();
      for (int i = 0; i < targets.size(); i++) {
        String f = "evaluation.targets[" + i + "]";
        if (targets.get(i) == null) {
          throw error(f, f + " must be a target such as 'agreement >= 0.95', found null");
        }
        try {
          org.taqtir.core.eval.loss.Targets.parse(targets.get(i));
        } catch (IllegalArgumentException e) {
          throw error(f, f + ": " + e.getMessage());
        }
      }
      return new EvaluationConfig(
          test,
          select,
          statement,
          r.corruptions() == null ? d.corruptions() : r.corruptions(),
          r.corruptionSeed() == null ? d.corruptionSeed() : r.corruptionSeed(),
          intIn(r.bootstrap(), d.bootstrap(), Range.closed(100, 100_000), "evaluation.bootstrap"),
          oneOf(
              r.cascadeRule(),
              d.cascadeRule(),
              EvaluationConfig.CASCADE_RULES,
              "evaluation.cascade_rule"),
          r.targetAccuracy() == null
              ? Double.NaN
              : dblIn(r.targetAccuracy(), 0, Range.closed(0, 1), "evaluation.target_accuracy"),
          targets,
          r.failOnTargets() != null && r.failOnTargets(),
          r.cascadeBudget() == null
              ? Double.NaN
              : dblIn(r.cascadeBudget(), 0, POSITIVE, "evaluation.cascade_budget"),
          r.cascadeMaxDeferral() == null
              ? Double.NaN
              : dblIn(
                  r.cascadeMaxDeferral(),
                  0,
                  Range.closed(0, 1),
                  "evaluation.cascade_max_deferral"));
    }

    private OutputConfig output(Raw.OutputRaw r) {
      if (r == null) {
        return new OutputConfig(Path.of("runs"), true);
      }
      Path dir = r.dir() == null ? Path.of("runs") : path(r.dir(), "output.dir").normalize();
      return new OutputConfig(dir, r.plots() == null || r.plots());
    }

    // ---- plugins

    private <P extends Plugin> PluginRef ref(PluginKind<P> kind, Raw.RefRaw r, String f) {
      if (r.id() == null) {
        throw error(f + ".id", f + ".id is required; available: " + String.join(", ", kind.ids()));
      }
      P provider =
          kind.find(r.id())
              .orElseThrow(
                  () ->
                      error(
                          f + ".id", f + ".id: " + kind.unknown(r.id()) + otherKind(kind, r.id())));
      try {
        Params params =
            ParamResolver.resolve(provider.id(), provider.params(), r.params(), f + ".params");
        return new PluginRef(provider.id(), params);
      } catch (ConfigException e) {
        throw locate(e);
      }
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

    // ---- value checks

    private String required(String v, String field, String what) {
      if (v == null) {
        throw error(field, field + " is required: " + what);
      }
      return v;
    }

    private void checkName(String name, String field, Map<String, String> seen) {
      if (!RUN_NAME.matcher(name).matches()) {
        throw error(field, field + " must be " + RUN_NAME_RULE + ", found " + found(field, name));
      }
      String first = seen.putIfAbsent(name, field);
      if (first != null) {
        throw error(
            field, field + " must be unique, found " + found(field, name) + " also at " + first);
      }
    }

    private int intIn(Integer v, int def, Range range, String field) {
      if (v == null) {
        return def;
      }
      if (!range.contains(v)) {
        throw error(field, field + " must be " + range + ", found " + found(field, v));
      }
      return v;
    }

    private double dblIn(Double v, double def, Range range, String field) {
      if (v == null) {
        return def;
      }
      if (!Double.isFinite(v) || !range.contains(v)) {
        throw error(field, field + " must be " + range + ", found " + found(field, v));
      }
      return v;
    }

    private String oneOf(String v, String def, List<String> allowed, String field) {
      if (v == null) {
        return def;
      }
      if (!allowed.contains(v)) {
        throw error(
            field,
            field + " must be one of " + String.join(", ", allowed) + ", found " + found(field, v));
      }
      return v;
    }

    private void notFor(Object v, String f, String key, String what, List<String> allowed) {
      if (v != null) {
        String field = f + "." + key;
        throw error(
            field,
            field + " is not a field of " + what + "; allowed: " + String.join(", ", allowed));
      }
    }

    private Path path(String text, String field) {
      try {
        if (text.isBlank()) {
          throw new InvalidPathException(text, "empty");
        }
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw error(field, field + " must be a file system path, found " + found(field, text));
      }
    }

    private String notKnown(String key, Set<String> known) {
      StringBuilder sb =
          new StringBuilder("is not a known field; allowed: ").append(String.join(", ", known));
      Levenshtein.closest(key, known)
          .ifPresent(c -> sb.append("; did you mean '").append(c).append("'?"));
      return sb.toString();
    }

    // ---- locating errors

    /** Renders the value at a path as written (after overrides), else the fallback. */
    private String found(String field, Object fallback) {
      List<Object> segs = field.isEmpty() ? List.of() : FieldPath.parse(field);
      JsonNode n = tree;
      if (segs != null) {
        for (Object s : segs) {
          n = n == null ? null : s instanceof Integer i ? n.get(i) : n.get((String) s);
        }
      }
      Object v = n != null && segs != null ? TREE.convertValue(n, Object.class) : fallback;
      return ConfigException.show(v);
    }

    private ConfigException error(String field, String detail) {
      return locate(new ConfigException(field, detail));
    }

    /**
     * Blames the override that set the field (or a value above it); else the field's line, or its
     * nearest written ancestor's; an override that created the field when the file lacks it.
     */
    private ConfigException locate(ConfigException e) {
      String field = e.field();
      for (int i = overrides.size() - 1; i >= 0; i--) {
        if (FieldPath.within(field, overrides.get(i).path())) {
          return e.fromOverride(file, overrides.get(i).text());
        }
      }
      if (lines.exact(field) == 0 && !field.isEmpty()) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
          if (FieldPath.within(overrides.get(i).path(), field)) {
            return e.fromOverride(file, overrides.get(i).text());
          }
        }
      }
      return e.at(file, lines.nearest(field));
    }
  }
}
