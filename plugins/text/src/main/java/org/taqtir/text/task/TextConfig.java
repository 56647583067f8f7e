package org.taqtir.text.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataSpec;
import org.taqtir.core.config.EvaluationSpec;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.text.corpus.Corpora;
import org.taqtir.text.corpus.FactsCorpus;
import org.taqtir.text.tokenize.TokenizerProvider;

/**
 * A language-modelling study's {@code data:} and {@code evaluation:} blocks.
 *
 * @param corpus the corpus id ({@link Corpora#IDS})
 * @param corpusDir where {@code bin/corpora} unpacks the corpus packages
 * @param files the text files of corpus {@code files}, absolute
 * @param heldOut groups (novels, applications) kept out of training, scored as the "unseen, same
 *     domain" set
 * @param outOfDomain another corpus scored as the out-of-domain set, or {@code none}
 * @param every every {@code every}-th document of the rest goes to validation (offset 1) and the
 *     next to test (offset 2)
 * @param window tokens per sample
 * @param stride tokens between the starts of consecutive training samples
 * @param trainChars the training text's length cap, 0 for all of it
 * @param tokenizer the tokenizer's id
 * @param tokenizerParams its parameters
 * @param language the facts corpus's language
 * @param people the facts corpus's people
 * @param repeats sentences per fact
 * @param factSeed the facts corpus's seed
 * @param plantedErrors the share of facts stated wrongly
 * @param teacherTokenizer the teacher's own tokenizer's id ({@code data.teacher_tokenizer}), or
 *     null when the teacher reads the students' tokens
 * @param teacherTokenizerParams its parameters, or null
 * @param omit words whose lines are removed from the students' training text (the teacher,
 *     validation and test keep them): the omitted-pattern probe
 */
public record TextConfig(
    String corpus,
    Path corpusDir,
    List<Path> files,
    List<String> heldOut,
    String outOfDomain,
    int every,
    int window,
    int stride,
    int trainChars,
    String tokenizer,
    Params tokenizerParams,
    String language,
    int people,
    int repeats,
    long factSeed,
    double plantedErrors,
    String teacherTokenizer,
    Params teacherTokenizerParams,
    List<String> omit)
    implements DataSpec {

  /** No out-of-domain set. */
  public static final String NONE = "none";

  /** Copies the lists. */
  public TextConfig {
    files = List.copyOf(files);
    heldOut = List.copyOf(heldOut);
    omit = List.copyOf(omit);
  }

  /** The {@code data:} block as Jackson binds it. */
  record Raw(
      String source,
      String corpus,
      String corpusDir,
      List<String> files,
      List<String> heldOut,
      String outOfDomain,
      Integer every,
      Integer window,
      Integer stride,
      Integer trainChars,
      Map<String, Object> tokenizer,
      String language,
      Integer people,
      Integer repeats,
      Long seed,
      Double plantedErrors,
      Map<String, Object> teacherTokenizer,
      List<String> omit) {}

  /** The {@code evaluation:} block as Jackson binds it. */
  record EvalRaw(
      Boolean test,
      String select,
      Boolean lossStatement,
      Integer samples,
      List<Double> typos,
      Boolean probes,
      List<String> targets,
      Boolean failOnTargets) {}

  /**
   * The tokenizer providers on the class path, by id.
   *
   * @return id to provider
   */
  static Map<String, TokenizerProvider> tokenizers() {
    Map<String, TokenizerProvider> out = new TreeMap<>();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    for (TokenizerProvider p :
        ServiceLoader.load(
            TokenizerProvider.class, cl != null ? cl : TokenizerProvider.class.getClassLoader())) {
      out.putIfAbsent(p.id(), p);
    }
    return out;
  }

  /**
   * Reads the {@code data:} block.
   *
   * @param s the block
   * @return the resolved settings
   */
  static TextConfig data(ConfigSection s) {
    Raw r = s.bind(Raw.class);
    if (r == null) {
      throw s.error(
          "data",
          "data is required for language modelling: at least {source: text, corpus: <one of "
              + String.join(", ", Corpora.IDS)
              + ">}");
    }
    s.oneOf(r.source(), "text", List.of("text"), "data.source");
    String corpus =
        s.required(r.corpus(), "data.corpus", "one of " + String.join(", ", Corpora.IDS));
    s.oneOf(corpus, null, Corpora.IDS, "data.corpus");
    Path corpusDir =
        r.corpusDir() != null
            ? s.resolve(r.corpusDir(), "data.corpus_dir")
            : Path.of(System.getProperty("taqtir.home", "."))
                .toAbsolutePath()
                .normalize()
                .resolve("runs/corpora");
    List<Path> files = new ArrayList<>();
    if (Corpora.FILES.equals(corpus)) {
      if (r.files() == null || r.files().isEmpty()) {
        throw s.error("data.files", "data.files must list the text files of corpus files");
      }
      for (int i = 0; i < r.files().size(); i++) {
        files.add(s.resolve(r.files().get(i), "data.files[" + i + "]"));
      }
    } else if (r.files() != null) {
      throw s.error("data.files", "data.files is for corpus: files, not " + corpus);
    }
    String ood = r.outOfDomain() == null ? NONE : r.outOfDomain();
    List<String> oodAllowed = new ArrayList<>(List.of(NONE));
    oodAllowed.addAll(List.of(Corpora.DEVIL, Corpora.ARABIC, Corpora.ARABIC_THUNDERBIRD));
    s.oneOf(ood, NONE, oodAllowed, "data.out_of_domain");
    int window = s.intIn(r.window(), 64, Range.closed(2, 4096), "data.window");
    Map<String, Object> tok = r.tokenizer() == null ? Map.of("id", "char") : r.tokenizer();
    Map.Entry<String, Params> student = tokenizer(s, tok, "data.tokenizer");
    Map.Entry<String, Params> teacher =
        r.teacherTokenizer() == null
            ? null
            : tokenizer(s, r.teacherTokenizer(), "data.teacher_tokenizer");
    if (teacher != null && !student.getKey().equals("char")) {
      throw s.error(
          "data.teacher_tokenizer",
          "data.teacher_tokenizer needs character-level students (data.tokenizer.id: char): the"
              + " teacher is re-scored at the students' characters; found data.tokenizer.id "
              + student.getKey());
    }
    String language =
        s.oneOf(
            r.language(),
            FactsCorpus.ENGLISH,
            List.of(FactsCorpus.ENGLISH, FactsCorpus.ARABIC),
            "data.language");
    return new TextConfig(
        corpus,
        corpusDir,
        files,
        r.heldOut() == null ? List.of() : r.heldOut(),
        ood,
        s.intIn(r.every(), 20, Range.atLeast(3), "data.every"),
        window,
        s.intIn(r.stride(), window, Range.closed(1, window), "data.stride"),
        s.intIn(r.trainChars(), 0, Range.atLeast(0), "data.train_chars"),
        student.getKey(),
        student.getValue(),
        language,
        s.intIn(r.people(), 60, Range.closed(1, 400), "data.people"),
        s.intIn(r.repeats(), 6, Range.closed(1, 1000), "data.repeats"),
        r.seed() == null ? 1L : r.seed(),
        s.dblIn(r.plantedErrors(), 0, Range.closed(0, 1), "data.planted_errors"),
        teacher == null ? null : teacher.getKey(),
        teacher == null ? null : teacher.getValue(),
        omit(s, r.omit()));
  }

  /**
   * The words of {@code data.omit}: each one word of letters (and combining marks), so that "every
   * line containing it" is well defined.
   */
  private static List<String> omit(ConfigSection s, List<String> words) {
    if (words == null) {
      return List.of();
    }
    for (String w : words) {
      if (w == null
          || w.isEmpty()
          || !w.codePoints()
              .allMatch(
                  c ->
                      Character.isLetter(c)
                          || Character.getType(c) == Character.NON_SPACING_MARK)) {
        throw s.error(
            "data.omit",
            "data.omit: each entry must be one word of letters, found '" + w + "' in " + words);
      }
    }
    return words;
  }

  /** A tokenizer's {@code {id, params}}, resolved against its provider's spec. */
  private static Map.Entry<String, Params> tokenizer(
      ConfigSection s, Map<String, Object> tok, String field) {
    Map<String, TokenizerProvider> providers = tokenizers();
    Object id = tok.getOrDefault("id", "char");
    TokenizerProvider provider = providers.get(String.valueOf(id));
    if (provider == null) {
      throw s.error(
          field + ".id",
          field
              + ".id: unknown tokenizer '"
              + id
              + "'; available: "
              + String.join(", ", providers.keySet()));
    }
    for (String k : tok.keySet()) {
      if (!k.equals("id") && !k.equals("params")) {
        throw s.error(
            field + "." + k, field + "." + k + " is not a known field; allowed: id, params");
      }
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> raw = (Map<String, Object>) tok.getOrDefault("params", Map.of());
      return Map.entry(
          provider.id(),
          ParamResolver.resolve(provider.id(), provider.params(), raw, field + ".params"));
    } catch (ConfigException e) {
      throw s.locate(e);
    } catch (ClassCastException e) {
      throw s.error(field + ".params", field + ".params must be a mapping");
    }
  }

  /**
   * Tells whether the teacher reads its own tokenization.
   *
   * @return whether {@code data.teacher_tokenizer} is set
   */
  boolean crossTokenizer() {
    return teacherTokenizer != null;
  }

  @Override
  public Map<String, Object> toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", "text");
    m.put("corpus", corpus);
    m.put("corpus_dir", corpusDir.toString());
    if (!files.isEmpty()) {
      m.put("files", files.stream().map(Path::toString).toList());
    }
    m.put("held_out", heldOut);
    m.put("out_of_domain", outOfDomain);
    m.put("every", every);
    m.put("window", window);
    m.put("stride", stride);
    m.put("train_chars", trainChars);
    Map<String, Object> tok = new LinkedHashMap<>();
    tok.put("id", tokenizer);
    tok.put("params", new LinkedHashMap<>(tokenizerParams.values()));
    m.put("tokenizer", tok);
    if (!omit.isEmpty()) {
      m.put("omit", omit);
    }
    if (teacherTokenizer != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("id", teacherTokenizer);
      t.put("params", new LinkedHashMap<>(teacherTokenizerParams.values()));
      m.put("teacher_tokenizer", t);
    }
    if (Corpora.FACTS.equals(corpus)) {
      m.put("language", language);
      m.put("people", people);
      m.put("repeats", repeats);
      m.put("seed", factSeed);
      m.put("planted_errors", plantedErrors);
    }
    return m;
  }

  /**
   * A language-modelling study's {@code evaluation:} block.
   *
   * @param test whether the test and extra sets are scored
   * @param select the selection metric ({@code val_loss} by default)
   * @param lossStatement whether the study's evaluation report is written
   * @param samples generated samples per model in the report
   * @param typos the shares of the test text's letters replaced by other letters, one extra set
   *     each ({@code test_typos_<percent>})
   * @param probes whether the loss probes run (calibration, imitation of the teacher, degeneration
   *     of generated text)
   * @param targets preservation targets over the report's metrics ({@link LmTargets}), e.g. {@code
   *     test/bpc <= teacher + 0.3}
   * @param failOnTargets whether a missed target makes the study fail (exit 1)
   */
  public record Evaluation(
      boolean test,
      String select,
      boolean lossStatement,
      int samples,
      List<Double> typos,
      boolean probes,
      List<String> targets,
      boolean failOnTargets)
      implements EvaluationSpec {

    /** The default typo rates: 2, 5 and 10 % of the letters. */
    static final List<Double> TYPOS = List.of(0.02, 0.05, 0.10);

    /** Copies. */
    public Evaluation {
      typos = List.copyOf(typos);
      targets = List.copyOf(targets);
    }

    static Evaluation parse(ConfigSection s) {
      EvalRaw r = s.bind(EvalRaw.class);
      EvalRaw e = r == null ? new EvalRaw(null, null, null, null, null, null, null, null) : r;
      boolean test = e.test() == null || e.test();
      List<Double> typos = e.typos() == null ? TYPOS : e.typos();
      for (Double rate : typos) {
        if (rate == null || !(rate > 0 && rate <= 0.5)) {
          throw s.error(
              "evaluation.typos",
              "evaluation.typos: each rate must be in (0, 0.5], found " + rate + " in " + typos);
        }
      }
      List<String> targets = e.targets() == null ? List.of() : e.targets();
      for (String t : targets) {
        String why = LmTargets.problem(t);
        if (why != null) {
          throw s.error("evaluation.targets", "evaluation.targets: " + why);
        }
      }
      if (!targets.isEmpty() && !(e.test() == null || e.test())) {
        throw s.error(
            "evaluation.targets",
            "evaluation.targets need the test sets scored; remove them or set evaluation.test: true");
      }
      if (new java.util.HashSet<>(typos).size() != typos.size()) {
        throw s.error("evaluation.typos", "evaluation.typos repeats a rate: " + typos);
      }
      return new Evaluation(
          test,
          s.oneOf(e.select(), "val_loss", List.of("val_loss", "val_acc"), "evaluation.select"),
          e.lossStatement() == null ? test : e.lossStatement() && test,
          s.intIn(e.samples(), 2, Range.closed(0, 100), "evaluation.samples"),
          test ? typos : List.of(),
          test && (e.probes() == null || e.probes()),
          targets,
          e.failOnTargets() != null && e.failOnTargets());
    }

    @Override
    public Map<String, Object> toYaml() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("test", test);
      m.put("select", select);
      m.put("loss_statement", lossStatement);
      m.put("samples", samples);
      m.put("typos", typos);
      m.put("probes", probes);
      if (!targets.isEmpty()) {
        m.put("targets", targets);
        m.put("fail_on_targets", failOnTargets);
      }
      return m;
    }
  }
}
