package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.taqtir.api.Generation;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.Hashes;
import org.taqtir.core.data.Samples;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.task.RunEvaluation;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.task.TeacherEvaluation;
import org.taqtir.core.task.TeacherOutputs;
import org.taqtir.core.train.BatchRewriter;
import org.taqtir.core.train.StudentModel;
import org.taqtir.core.train.Validator;
import org.taqtir.text.corpus.Corpora;
import org.taqtir.text.corpus.Document;
import org.taqtir.text.corpus.FactsCorpus;
import org.taqtir.text.model.Generator;
import org.taqtir.text.tokenize.Tokenizer;

/**
 * A language-modelling study's text, split by document, tokenized and cut into windows, and the
 * task's evaluation: next-token cross-entropy, accuracy and bits per character on validation (every
 * epoch), test, the held-out works and the out-of-domain text; generated samples and generation
 * speed.
 *
 * <p>Splits: the documents of the held-out groups (e.g. a whole novel) form the held-out set; of
 * the others, in corpus order, every {@code every}-th (offset 1) goes to validation, the next to
 * test, the rest to training. Documents are joined with a blank line; a split's windows never mix
 * splits.
 */
final class TextData implements TaskData {

  /** The evaluation sets besides validation, in report order. */
  static final List<String> SETS = List.of("test", "held_out", "out_of_domain");

  /** The seed of the typo corruptions of the test text. */
  static final long TYPO_SEED = 2024;

  /** Greedy continuations the degeneration probe generates, and their length in tokens. */
  static final int PROBE_PROMPTS = 8;

  static final int PROBE_TOKENS = 128;

  /** Test windows of the style probe ({@link Probes#style}). */
  static final int STYLE_PROMPTS = 32;

  /**
   * The name of a typo set: {@code test_typos_5} for 5 % of the letters replaced.
   *
   * @param rate the share of letters replaced
   * @return the set's name
   */
  static String typoSet(double rate) {
    return "test_typos_" + Typos.percent(rate);
  }

  /**
   * Tells whether a set is a typo corruption of test.
   *
   * @param set a set name
   * @return whether it is
   */
  static boolean isTypoSet(String set) {
    return set.startsWith("test_typos_");
  }

  private final Study study;
  private final TextConfig config;
  private final TextConfig.Evaluation evaluation;
  private final Tokenizer tokenizer;
  private final TokenWindows train;
  private final TokenWindows validation;
  private final Map<String, TokenWindows> sets;
  private final View studentView;
  private final View teacherView;
  private final CrossTokenizer cross;
  private final String hash;

  /**
   * One tokenization of the study's text: the students' or, with {@code data.teacher_tokenizer},
   * the teacher's.
   *
   * @param tokenizer the fitted tokenizer
   * @param train the training windows
   * @param validation the validation windows
   * @param sets the other evaluation sets
   */
  record View(
      Tokenizer tokenizer,
      TokenWindows train,
      TokenWindows validation,
      Map<String, TokenWindows> sets) {

    /**
     * What the data hash covers of this tokenization: the tokenizer and every split's content. The
     * typo sets are a function of test, the training letters and evaluation.typos (in the resolved
     * study): leaving them out keeps the hash, and the teachers trained under it, the same
     * whichever typo rates a study scores.
     */
    String identity() {
      StringBuilder sb = new StringBuilder(tokenizer.fingerprint());
      sb.append(';').append(train.contentHash()).append(';').append(validation.contentHash());
      sets.forEach(
          (k, v) -> {
            if (!isTypoSet(k)) {
              sb.append(';').append(k).append('=').append(v.contentHash());
            }
          });
      return sb.toString();
    }
  }

  /** The teacher in inference mode once it was evaluated (the probes compare students with it). */
  private volatile Function<NDArray, NDArray> teacher;

  private TextData(Study study, View students, View teacher) {
    this.study = study;
    this.studentView = students;
    this.teacherView = teacher;
    this.config = (TextConfig) study.data();
    this.evaluation = (TextConfig.Evaluation) study.evaluation();
    this.tokenizer = students.tokenizer();
    this.train = students.train();
    this.validation = students.validation();
    this.sets = students.sets();
    StringBuilder sb = new StringBuilder(students.identity());
    if (teacher != students) {
      sb.append(";teacher:").append(teacher.identity());
    }
    this.cross =
        teacher.tokenizer() == students.tokenizer()
            ? null
            : new CrossTokenizer(tokenizer, teacher.tokenizer(), config.window());
    this.hash = Hashes.sha256(sb.toString());
  }

  /** Reads, splits, tokenizes and windows a study's text. */
  static TextData load(Study study, Path runDir, Consumer<String> log) {
    TextConfig c = (TextConfig) study.data();
    List<Document> docs = documents(c);
    // with planted errors, the teacher's training text states some facts wrongly; the students,
    // validation and test read the true facts (the same documents, sentence for sentence)
    List<Document> taught = null;
    String planted = null;
    if (c.plantedErrors() > 0 && Corpora.FACTS.equals(c.corpus())) {
      var truth = FactsCorpus.facts(c.language(), c.people(), c.factSeed());
      var wrong = FactsCorpus.corrupt(truth, c.plantedErrors(), c.language(), c.factSeed());
      taught = FactsCorpus.documents(wrong, c.language(), c.repeats(), c.factSeed());
      long changed =
          java.util.stream.IntStream.range(0, truth.size())
              .filter(f -> !truth.get(f).equals(wrong.get(f)))
              .count();
      planted =
          String.format(
              Locale.ROOT,
              "planted errors: the teacher's training text states %d of the %d facts wrongly"
                  + " (data.planted_errors %s); the students, validation and test state them all"
                  + " correctly",
              changed,
              truth.size(),
              c.plantedErrors());
    }
    StringBuilder teacherText = new StringBuilder();
    StringBuilder trainText = new StringBuilder();
    StringBuilder valText = new StringBuilder();
    StringBuilder testText = new StringBuilder();
    StringBuilder heldText = new StringBuilder();
    int i = 0;
    int[] counts = new int[4];
    for (Document d : docs) {
      StringBuilder target;
      int k;
      if (c.heldOut().contains(d.group())) {
        target = heldText;
        k = 3;
      } else {
        int r = i++ % c.every();
        target = r == 1 ? valText : r == 2 ? testText : trainText;
        k = r == 1 ? 1 : r == 2 ? 2 : 0;
      }
      if (taught != null && k == 0) {
        teacherText.append(taught.get(counts[0] + counts[1] + counts[2] + counts[3]).text());
        teacherText.append("\n\n");
      }
      counts[k]++;
      target.append(d.text()).append("\n\n");
    }
    for (String g : c.heldOut()) {
      if (docs.stream().noneMatch(d -> d.group().equals(g))) {
        throw new IllegalArgumentException(
            "data.held_out: corpus "
                + c.corpus()
                + " has no group '"
                + g
                + "'; groups: "
                + docs.stream().map(Document::group).distinct().toList());
      }
    }
    String training =
        c.trainChars() > 0 && trainText.length() > c.trainChars()
            ? trainText.substring(0, c.trainChars())
            : trainText.toString();
    String teacherTraining =
        taught == null
            ? training
            : c.trainChars() > 0 && teacherText.length() > c.trainChars()
                ? teacherText.substring(0, c.trainChars())
                : teacherText.toString();
    if (training.isBlank() || valText.length() == 0) {
      throw new IllegalArgumentException(
          "data: corpus "
              + c.corpus()
              + " gives "
              + counts[0]
              + " training and "
              + counts[1]
              + " validation documents; it needs at least one of each (data.every "
              + c.every()
              + ")");
    }
    View full =
        view(
            study,
            "",
            c.tokenizer(),
            c.tokenizerParams(),
            new String[] {training, valText.toString(), testText.toString(), heldText.toString()},
            runDir == null ? null : runDir.resolve("tokenizer"),
            log);
    log.accept(
        String.format(
            Locale.ROOT,
            "data: corpus %s, %d documents (%d train, %d validation, %d test, %d held out %s);"
                + " tokenizer %s",
            c.corpus(),
            docs.size(),
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            c.heldOut(),
            full.tokenizer().describe()));
    View teacher = full;
    View students = full;
    if (!c.omit().isEmpty()) {
      String kept = withoutLines(training, c.omit());
      Consumer<String> named = line -> log.accept(line.replace("data: ", "data: students' "));
      students =
          new View(
              full.tokenizer(),
              windows("train", kept, full.tokenizer(), c.window(), c.stride(), named),
              full.validation(),
              full.sets());
      log.accept(
          String.format(
              Locale.ROOT,
              "transfer set: the students learn from %,d of %,d training characters, without the"
                  + " lines containing %s (omitted-pattern probe); the teacher, validation and test"
                  + " keep them",
              kept.length(),
              training.length(),
              c.omit()));
    }
    if (taught != null && !c.crossTokenizer()) {
      Consumer<String> named = line -> log.accept(line.replace("data: ", "data: teacher's "));
      teacher =
          new View(
              full.tokenizer(),
              windows("train", teacherTraining, full.tokenizer(), c.window(), c.stride(), named),
              full.validation(),
              full.sets());
      log.accept(planted);
    }
    if (c.crossTokenizer()) {
      teacher =
          view(
              study,
              "teacher ",
              c.teacherTokenizer(),
              c.teacherTokenizerParams(),
              new String[] {
                teacherTraining, valText.toString(), testText.toString(), heldText.toString()
              },
              runDir == null ? null : runDir.resolve("teacher-tokenizer"),
              log);
      log.accept(
          "data: the teacher reads its own tokens ("
              + teacher.tokenizer().describe()
              + "); the students see it re-scored at their characters");
    }
    return new TextData(study, students, teacher);
  }

  /**
   * The training text without every line that contains one of the words (whole words, any case):
   * what the students of an omitted-pattern probe learn from.
   */
  static String withoutLines(String text, List<String> words) {
    java.util.regex.Pattern any =
        java.util.regex.Pattern.compile(
            "(?<![\\p{L}\\p{M}])(?:"
                + String.join("|", words.stream().map(java.util.regex.Pattern::quote).toList())
                + ")(?![\\p{L}\\p{M}])",
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
    StringBuilder out = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      if (!any.matcher(line).find()) {
        out.append(line).append('\n');
      }
    }
    if (!out.isEmpty() && !text.endsWith("\n")) {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  /**
   * Fits a tokenizer on the training text and cuts every split into windows of it.
   *
   * @param texts training, validation, test and held-out text
   */
  private static View view(
      Study study,
      String who,
      String tokenizerId,
      Params tokenizerParams,
      String[] texts,
      Path copyTo,
      Consumer<String> log) {
    TextConfig c = (TextConfig) study.data();
    String training = texts[0];
    String valText = texts[1];
    String testText = texts[2];
    String heldText = texts[3];
    var provider = TextConfig.tokenizers().get(tokenizerId);
    Path work =
        study
            .output()
            .dir()
            .resolve("cache/tokenizers")
            .resolve(
                Hashes.sha256(tokenizerId + tokenizerParams.values() + Hashes.sha256(training))
                    .substring(0, 16));
    Tokenizer tokenizer = provider.fit(tokenizerParams, training, work);
    if (copyTo != null) {
      copyTokenizerFiles(work, copyTo);
    }
    Consumer<String> named =
        who.isEmpty() ? log : line -> log.accept(line.replace("data: ", "data: " + who));
    TokenWindows trainW = windows("train", training, tokenizer, c.window(), c.stride(), named);
    TokenWindows valW = windows("validation", valText, tokenizer, c.window(), c.window(), named);
    Map<String, TokenWindows> sets = new LinkedHashMap<>();
    if (testText.length() > 0) {
      sets.put("test", windows("test", testText, tokenizer, c.window(), c.window(), named));
      TextConfig.Evaluation ev = (TextConfig.Evaluation) study.evaluation();
      for (double rate : ev.typos()) {
        String name = typoSet(rate);
        sets.put(
            name,
            windows(
                name,
                Typos.corrupt(testText, training, rate, TYPO_SEED),
                tokenizer,
                c.window(),
                c.window(),
                named));
      }
    }
    if (heldText.length() > 0) {
      sets.put("held_out", windows("held_out", heldText, tokenizer, c.window(), c.window(), named));
    }
    if (!TextConfig.NONE.equals(c.outOfDomain())) {
      StringBuilder ood = new StringBuilder();
      for (Document d : Corpora.read(c.outOfDomain(), c.corpusDir())) {
        ood.append(d.text()).append("\n\n");
      }
      sets.put(
          "out_of_domain",
          windows("out_of_domain", ood.toString(), tokenizer, c.window(), c.window(), named));
    }
    if (trainW.size() == 0 || valW.size() == 0) {
      throw new IllegalArgumentException(
          "data.window: "
              + c.window()
              + " tokens leave "
              + trainW.size()
              + " training and "
              + valW.size()
              + " validation windows; use a smaller window or more text");
    }
    return new View(tokenizer, trainW, valW, sets);
  }

  /** The documents of the configured corpus (for {@code facts}, every fact stated truly). */
  static List<Document> documents(TextConfig c) {
    return switch (c.corpus()) {
      case Corpora.FACTS ->
          FactsCorpus.documents(
              FactsCorpus.facts(c.language(), c.people(), c.factSeed()),
              c.language(),
              c.repeats(),
              c.factSeed());
      case Corpora.FILES -> Corpora.files(c.files());
      default -> Corpora.read(c.corpus(), c.corpusDir());
    };
  }

  private static TokenWindows windows(
      String name, String text, Tokenizer tokenizer, int window, int stride, Consumer<String> log) {
    int[] tokens = tokenizer.encode(text);
    long chars = text.codePoints().count();
    TokenWindows w =
        new TokenWindows(name, tokens, window, stride, tokenizer.vocabularySize(), chars);
    long unknown = 0;
    if (tokenizer.unknownId() >= 0) {
      for (int t : tokens) {
        unknown += t == tokenizer.unknownId() ? 1 : 0;
      }
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "data: %s: %,d characters, %,d tokens (%.3f characters per token), %,d windows%s",
            name,
            chars,
            tokens.length,
            w.charsPerToken(),
            w.size(),
            unknown == 0
                ? ""
                : String.format(Locale.ROOT, ", %,d unknown characters (<unk>)", unknown)));
    return w;
  }

  private static void copyTokenizerFiles(Path from, Path to) {
    try {
      if (!Files.isDirectory(from)) {
        return;
      }
      Files.createDirectories(to);
      try (var files = Files.list(from)) {
        for (Path f : files.toList()) {
          Files.copy(
              f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the tokenizer's files to " + to, e);
    }
  }

  /**
   * Returns the fitted tokenizer.
   *
   * @return the tokenizer
   */
  Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Returns the evaluation sets besides validation.
   *
   * @return name to windows ({@code test}, {@code held_out}, {@code out_of_domain} where present)
   */
  Map<String, TokenWindows> sets() {
    return sets;
  }

  @Override
  public String hash() {
    return hash;
  }

  @Override
  public ModelShape shape() {
    return new ModelShape(new Shape(config.window()), tokenizer.vocabularySize());
  }

  @Override
  public Samples teacherTrain() {
    return teacherView.train();
  }

  /** The teacher's vocabulary: its own tokenizer's with {@code data.teacher_tokenizer}. */
  @Override
  public ModelShape teacherShape() {
    return new ModelShape(new Shape(config.window()), teacherView.tokenizer().vocabularySize());
  }

  /** Validation in the teacher's tokens. */
  @Override
  public Validator teacherValidator() {
    return validator(teacherView.validation());
  }

  /**
   * With {@code data.teacher_tokenizer}, the teacher re-scored at the students' characters ({@link
   * CrossTokenizerTeacher}); else the teacher itself.
   */
  @Override
  public Teacher teacherForStudents(Teacher teacher) {
    return cross == null
        ? teacher
        : new CrossTokenizerTeacher(teacher, cross, tokenizer.fingerprint());
  }

  @Override
  public Samples train() {
    return train;
  }

  @Override
  public Samples validation() {
    return validation;
  }

  @Override
  public Samples test() {
    return sets.getOrDefault("test", validation);
  }

  @Override
  public Map<String, Samples> teacherSets() {
    // the evaluation runs the teacher itself, chunk by chunk: no dense logits are cached
    return Map.of();
  }

  /**
   * The report shows every student's gap to its teacher, so the teacher is evaluated whenever the
   * report is written ({@code evaluation.loss_statement}, on by default).
   */
  @Override
  public boolean evaluatesTeacher() {
    return evaluation.lossStatement();
  }

  @Override
  public Validator validator() {
    return validator(validation);
  }

  private static Validator validator(TokenWindows windows) {
    return model -> {
      Scoring.Scores s = Scoring.score(studentForward(model), windows, model.manager());
      return new Validator.Scores(s.loss(), s.accuracy(), Map.of("val_bpc", s.bitsPerChar()));
    };
  }

  static Function<NDArray, NDArray> studentForward(StudentModel model) {
    return x -> model.forward(x, false).get(0);
  }

  static Function<NDArray, NDArray> teacherForward(Teacher teacher) {
    return x -> teacher.forward(x, Set.of()).logits();
  }

  @Override
  public TeacherEvaluation evaluateTeacher(
      Teacher teacher, TeacherOutputs outputs, Consumer<String> log) {
    try (NDManager m = NDManager.newBaseManager()) {
      Function<NDArray, NDArray> f = teacherForward(teacher);
      Scoring.Scores val = Scoring.score(f, teacherView.validation(), m);
      Map<String, Double> metrics = new LinkedHashMap<>();
      put(metrics, "val", val);
      LmOutputs outs = null;
      double testAcc = Double.NaN;
      if (evaluation.test()) {
        outs = outputs(teacherView, f, null, teacher.parameterCount(), m);
        for (var e : outs.scores().entrySet()) {
          put(metrics, e.getKey(), e.getValue());
        }
        metrics.putAll(outs.measures());
        // the students' evaluations compare with it (re-scored at their characters when it reads
        // its own tokens); the study keeps the teacher open until the study's report is written
        this.teacher = cross == null ? f : teacherForward(teacherForStudents(teacher));
        Scoring.Scores test = outs.scores().get("test");
        testAcc = test == null ? Double.NaN : test.accuracy();
      }
      log.accept("teacher: validation " + val);
      return new TeacherEvaluation(val.accuracy(), testAcc, metrics, outs);
    }
  }

  private static void put(Map<String, Double> metrics, String set, Scoring.Scores s) {
    metrics.put(set + "/acc", s.accuracy());
    metrics.put(set + "/loss", s.loss());
    metrics.put(set + "/bpc", s.bitsPerChar());
    metrics.put(set + "/perplexity", Math.exp(s.loss()));
  }

  @Override
  public RunEvaluation evaluate(StudentModel model) {
    if (!evaluation.test()) {
      return new RunEvaluation(Map.of(), null);
    }
    LmOutputs outs =
        outputs(
            studentView, studentForward(model), teacher, model.parameterCount(), model.manager());
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (var e : outs.scores().entrySet()) {
      put(metrics, e.getKey(), e.getValue());
    }
    metrics.putAll(outs.measures());
    metrics.put("generation/tokens_per_second", outs.tokensPerSecond());
    return new RunEvaluation(metrics, outs);
  }

  /**
   * Scores on every evaluation set, the loss probes (beside the teacher when given), generated
   * samples and generation speed.
   */
  private LmOutputs outputs(
      View view,
      Function<NDArray, NDArray> forward,
      Function<NDArray, NDArray> teacherForward,
      long params,
      NDManager manager) {
    Tokenizer tokenizer = view.tokenizer();
    TokenWindows validation = view.validation();
    Map<String, TokenWindows> sets = view.sets();
    Map<String, Scoring.Scores> scores = new LinkedHashMap<>();
    Map<String, Double> measures = new LinkedHashMap<>();
    LmOutputs.Detail testDetail = null;
    if (evaluation.probes()) {
      Probes.Fit fit = Probes.fit(forward, validation, manager);
      measures.put("calibration/temperature", fit.tau());
      for (var e : sets.entrySet()) {
        // imitation, the cascade and rare words are measured on the real sets; the typo sets are
        // for robustness
        boolean typos = isTypoSet(e.getKey());
        Function<NDArray, NDArray> t = typos ? null : teacherForward;
        WordFrequency.Positions words = typos ? null : wordBuckets(view, e.getKey());
        boolean test = e.getKey().equals("test");
        Probes.Split split = Probes.split(forward, t, e.getValue(), fit, words, test, manager);
        scores.put(e.getKey(), split.scores());
        if (test) {
          testDetail = split.detail();
        }
        split.measures().forEach((k, v) -> measures.put(e.getKey() + "/" + k, v));
      }
      FactProbe facts = FactProbe.of(config, tokenizer);
      if (facts != null) {
        FactProbe.Answers answers = facts.answers(forward, manager);
        FactProbe.Answers teacherAnswers =
            teacherForward == null ? null : teacherFacts(facts, teacherForward, manager);
        facts.measures(answers, teacherAnswers).forEach((k, v) -> measures.put("facts/" + k, v));
        TokenWindows test = sets.get("test");
        if (test != null) {
          facts
              .generation(forward, test, tokenizer, config.language(), manager)
              .forEach((k, v) -> measures.put("facts_gen/" + k, v));
        }
      }
      measures.putAll(degeneration(view, forward, manager));
      if (teacherForward != null) {
        Probes.exposure(forward, teacherForward, probePrompts(view), config.window(), manager)
            .forEach((k, v) -> measures.put("exposure/" + k, v));
        TokenWindows source = sets.getOrDefault("test", validation);
        int n = Math.min(STYLE_PROMPTS, source.size());
        if (n > 0 && config.window() - half() > 0) {
          // the first half of each window is the prompt, the second the real text
          Probes.style(
                  forward,
                  teacherForward,
                  slices(source, n, false, 0, half()),
                  slices(source, n, false, half(), config.window()),
                  source.charsPerToken(),
                  config.window(),
                  manager)
              .forEach((k, v) -> measures.put("style/" + k, v));
        }
      }
    } else {
      for (var e : sets.entrySet()) {
        scores.put(e.getKey(), Scoring.score(forward, e.getValue(), manager));
      }
    }
    List<LmOutputs.Sample> samples = new ArrayList<>();
    double perSecond = Double.NaN;
    double batched = Double.NaN;
    TokenWindows source = sets.getOrDefault("test", validation);
    int n = Math.min(evaluation.samples(), source.size());
    if (n > 0) {
      int half = half();
      int[][] prompts = slices(source, n, false, 0, half);
      Generator g = new Generator(forward, config.window());
      Generator.Generated greedy =
          g.generate(new int[][] {prompts[0]}, half, Generator.Decoding.GREEDY, manager);
      perSecond = greedy.tokensPerSecond();
      Generator.Generated sampled =
          g.generate(prompts, half, Generator.Decoding.sample(0.8, 1), manager);
      batched = sampled.tokensPerSecond();
      samples.add(
          new LmOutputs.Sample(
              tokenizer.decode(prompts[0]), "greedy", tokenizer.decode(greedy.tokens()[0])));
      for (int i = 0; i < n; i++) {
        samples.add(
            new LmOutputs.Sample(
                tokenizer.decode(prompts[i]),
                "sampled, T = 0.8",
                tokenizer.decode(sampled.tokens()[i])));
      }
    }
    return new LmOutputs(scores, samples, perSecond, batched, params, measures, testDetail);
  }

  /** The teacher's answers to the planted-error probe, in the students' tokens, once. */
  private FactProbe.Answers teacherFacts;

  private synchronized FactProbe.Answers teacherFacts(
      FactProbe facts, Function<NDArray, NDArray> teacherForward, NDManager manager) {
    if (teacherFacts == null) {
      teacherFacts = facts.answers(teacherForward, manager);
    }
    return teacherFacts;
  }

  /**
   * Per tokenizer, the training word counts and each set's word buckets: the students' and the
   * teacher's views share them when they share a tokenizer (an omitted-pattern study), since the
   * counts are taken on the whole training text and the evaluation sets are the same.
   */
  private final Map<Tokenizer, Words> words =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  private record Words(WordFrequency counts, Map<String, WordFrequency.Positions> buckets) {}

  /** The word-frequency bucket of every position of an evaluation set ({@link WordFrequency}). */
  private WordFrequency.Positions wordBuckets(View view, String set) {
    Words w =
        words.computeIfAbsent(
            view.tokenizer(),
            tok ->
                new Words(
                    // counted on the whole training text, also for students that saw less of it
                    WordFrequency.of(
                        tok,
                        (tok == teacherView.tokenizer() ? teacherView : view).train().stream()),
                    new java.util.concurrent.ConcurrentHashMap<>()));
    return w.buckets()
        .computeIfAbsent(set, s -> w.counts().buckets(view.sets().get(s).targets(), config.omit()));
  }

  /**
   * The prompts of the degeneration and exposure probes: half a window each, spread over test, away
   * from the report's samples.
   */
  private int[][] probePrompts(View view) {
    TokenWindows source = view.sets().getOrDefault("test", view.validation());
    // prompts from the middle of each n-th of the set, away from the report's samples
    return slices(source, Math.min(PROBE_PROMPTS, source.size()), true, 0, half());
  }

  /** Half a window, at least one token: the length of every probe's prompts. */
  private int half() {
    return Math.max(1, config.window() / 2);
  }

  /**
   * Tokens {@code [from, to)} of {@code n} windows spread over a set: window i is the first of the
   * i-th n-th of the set, or with {@code centred} the middle one (away from the first ones).
   */
  private int[][] slices(TokenWindows source, int n, boolean centred, int from, int to) {
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      long k =
          centred ? (long) (2 * i + 1) * source.size() / (2 * n) : (long) i * source.size() / n;
      int start = (int) k * config.window();
      out[i] = java.util.Arrays.copyOfRange(source.stream(), start + from, start + to);
    }
    return out;
  }

  /** Greedy continuations of test prompts, scored for degeneration ({@link Probes}). */
  private Map<String, Double> degeneration(
      View view, Function<NDArray, NDArray> forward, NDManager manager) {
    Tokenizer tokenizer = view.tokenizer();
    int[][] prompts = probePrompts(view);
    if (prompts.length == 0) {
      return Map.of();
    }
    Generator.Generated g =
        new Generator(forward, config.window())
            .generate(prompts, PROBE_TOKENS, Generator.Decoding.GREEDY, manager);
    List<String> texts = new ArrayList<>();
    for (int[] t : g.tokens()) {
      texts.add(tokenizer.decode(t));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    Probes.degeneration(texts, g.tokens()).forEach((k, v) -> out.put("generation/" + k, v));
    return out;
  }

  @Override
  public Samples generatedTransferSet(
      Generation generation, Teacher teacher, Path cacheDir, Consumer<String> log) {
    if (cross != null) {
      throw new IllegalArgumentException(
          "sequence-level KD with data.teacher_tokenizer: the teacher would write its own tokens"
              + " and the students read characters; not supported yet (the token-level"
              + " divergences, uld and on-policy are)");
    }
    return GeneratedTransfer.make(
        train, generation, teacher, cacheDir, tokenizer.fingerprint(), log);
  }

  @Override
  public BatchRewriter onPolicy(Generation generation, long seed) {
    return new OnPolicyRewriter(generation, seed);
  }

  @Override
  public StudyReport evaluateStudy(
      List<RunSummary> runs, TeacherEvaluation teacher, Consumer<String> log) {
    if (!evaluation.lossStatement()) {
      return null;
    }
    LmReport report = LmReport.of(runs, teacher, validation, sets, evaluation.targets());
    log.accept("language-model evaluation: " + report.rows().size() + " models");
    return report;
  }
}
