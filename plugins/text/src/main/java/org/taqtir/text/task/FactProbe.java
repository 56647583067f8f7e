package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.taqtir.text.corpus.FactsCorpus;
import org.taqtir.text.tokenize.Tokenizer;

/**
 * The planted-error probe of the {@code facts} corpus: which value a model completes each fact
 * with, and how confidently, beside the teacher's choice.
 *
 * <p>Every fact is asked as a closed question: each value its relation can take (the 20 cities or
 * the 12 trades) is written into the fact's sentence ({@code "Maya Reed lives in Lisbon."}), the
 * model scores the whole sentence (the sum of its next-token log-probabilities), and the model's
 * answer is the value with the highest score. Its confidence is that value's share of the
 * candidates' probability, softmax over the sentences' log-probabilities: with a character
 * tokenizer the prompt's tokens are the same for every candidate, so this is exactly P(value |
 * prompt, the value is one of the candidates) under the model.
 *
 * <p>Measures (keys under {@code facts/}): {@code accuracy}, P(answer = the true value), and {@code
 * confidence}, the mean confidence of the answer, over every fact; with planted errors ({@code
 * data.planted_errors}: the teacher's training text states a seeded share of the facts wrongly)
 * {@code planted_share} and {@code planted_chosen}, P(answer = the planted wrong value | fact
 * planted). Beside a teacher, with the teacher's answers: {@code agreement}, P(answer = the
 * teacher's answer); {@code teacher_wrong}, the share of facts the teacher answers wrongly; {@code
 * inherited}, P(answer = the teacher's wrong answer | teacher wrong), always next to {@code
 * corrected}, P(answer = the true value | teacher wrong), since inheritance alone partly restates
 * agreement; {@code confidence_inherited} and {@code confidence_right}, the mean confidence when
 * the model repeats the teacher's wrong answer and when it answers right (confident hallucination
 * is a high first beside the second).
 */
final class FactProbe {

  private final List<FactsCorpus.Fact> truth;
  private final List<FactsCorpus.Fact> taught;
  private final List<List<String>> candidates = new ArrayList<>();
  private final int[][] sequences;
  private final int window;

  /**
   * The probe's questions.
   *
   * @param truth the true facts
   * @param taught the facts as the teacher's training text states them (same order)
   * @param language the language
   * @param tokenizer the models' tokenizer
   * @param window the models' context length
   */
  FactProbe(
      List<FactsCorpus.Fact> truth,
      List<FactsCorpus.Fact> taught,
      String language,
      Tokenizer tokenizer,
      int window) {
    this.truth = truth;
    this.taught = taught;
    this.window = window;
    List<int[]> seqs = new ArrayList<>();
    for (FactsCorpus.Fact f : truth) {
      List<String> values = FactsCorpus.values(f.relation(), language);
      candidates.add(values);
      for (String v : values) {
        int[] s =
            tokenizer.encode(
                FactsCorpus.sentence(new FactsCorpus.Fact(f.person(), f.relation(), v), language));
        // the last window + 1 tokens: a sentence longer than the context is scored on its end
        seqs.add(
            s.length <= window + 1
                ? s
                : java.util.Arrays.copyOfRange(s, s.length - window - 1, s.length));
      }
    }
    this.sequences = seqs.toArray(int[][]::new);
  }

  /**
   * The probe for a study's data, or null when its corpus is not {@code facts}.
   *
   * @param c the data section
   * @param tokenizer the models' tokenizer
   * @return the probe, or null
   */
  static FactProbe of(TextConfig c, Tokenizer tokenizer) {
    if (!org.taqtir.text.corpus.Corpora.FACTS.equals(c.corpus())) {
      return null;
    }
    List<FactsCorpus.Fact> truth = FactsCorpus.facts(c.language(), c.people(), c.factSeed());
    List<FactsCorpus.Fact> taught =
        c.plantedErrors() > 0
            ? FactsCorpus.corrupt(truth, c.plantedErrors(), c.language(), c.factSeed())
            : truth;
    return new FactProbe(truth, taught, c.language(), tokenizer, c.window());
  }

  /**
   * Each fact's answer and its confidence under a model.
   *
   * @param forward the model (logits for a batch of windows)
   * @param manager a manager for the chunks
   * @return per fact, the index of the chosen value among its candidates and its confidence
   */
  Answers answers(Function<NDArray, NDArray> forward, NDManager manager) {
    double[] score = Scoring.sequenceLogProbs(forward, sequences, 1, window, manager);
    int[] choice = new int[truth.size()];
    double[] confidence = new double[truth.size()];
    int at = 0;
    for (int f = 0; f < truth.size(); f++) {
      int k = candidates.get(f).size();
      int best = 0;
      for (int j = 1; j < k; j++) {
        best = score[at + j] > score[at + best] ? j : best;
      }
      double z = 0;
      for (int j = 0; j < k; j++) {
        z += Math.exp(score[at + j] - score[at + best]);
      }
      choice[f] = best;
      confidence[f] = 1 / z;
      at += k;
    }
    return new Answers(choice, confidence);
  }

  /**
   * Per fact, the chosen candidate (an index into the fact's relation's values) and its confidence.
   *
   * @param choice the chosen value's index
   * @param confidence its probability among the candidates
   */
  record Answers(int[] choice, double[] confidence) {}

  /**
   * The probe's measures for a model, beside the teacher's answers when given.
   *
   * @param model the model's answers
   * @param teacher the teacher's answers, or null
   * @return the measures, keys without the {@code facts/} prefix
   */
  Map<String, Double> measures(Answers model, Answers teacher) {
    int n = truth.size();
    int right = 0;
    int planted = 0;
    int plantedChosen = 0;
    int agree = 0;
    int teacherWrong = 0;
    int inherited = 0;
    int corrected = 0;
    double conf = 0;
    double confInherited = 0;
    double confRight = 0;
    for (int f = 0; f < n; f++) {
      String answer = candidates.get(f).get(model.choice()[f]);
      boolean isRight = answer.equals(truth.get(f).value());
      right += isRight ? 1 : 0;
      conf += model.confidence()[f];
      confRight += isRight ? model.confidence()[f] : 0;
      if (!taught.get(f).value().equals(truth.get(f).value())) {
        planted++;
        plantedChosen += answer.equals(taught.get(f).value()) ? 1 : 0;
      }
      if (teacher != null) {
        String t = candidates.get(f).get(teacher.choice()[f]);
        agree += answer.equals(t) ? 1 : 0;
        if (!t.equals(truth.get(f).value())) {
          teacherWrong++;
          if (answer.equals(t)) {
            inherited++;
            confInherited += model.confidence()[f];
          }
          corrected += isRight ? 1 : 0;
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", (double) right / n);
    out.put("confidence", conf / n);
    if (right > 0) {
      out.put("confidence_right", confRight / right);
    }
    out.put("planted_share", (double) planted / n);
    if (planted > 0) {
      out.put("planted_chosen", (double) plantedChosen / planted);
    }
    if (teacher != null) {
      out.put("agreement", (double) agree / n);
      out.put("teacher_wrong", (double) teacherWrong / n);
      if (teacherWrong > 0) {
        out.put("inherited", (double) inherited / teacherWrong);
        out.put("corrected", (double) corrected / teacherWrong);
      }
      if (inherited > 0) {
        out.put("confidence_inherited", confInherited / inherited);
      }
    }
    return out;
  }

  /** Prompts of the generation probe: that many places in test, each continued that often. */
  static final int GEN_PROMPTS = 64;

  static final int GEN_SAMPLES = 4;

  static final int GEN_TOKENS = 48;

  static final long GEN_SEED = 7;

  /**
   * The generation probe: what a model writes when it starts a sentence of its own. Prompts are the
   * half window of test text before {@value #GEN_PROMPTS} sentence ends ({@code ". "}) spread over
   * test; each is continued {@value #GEN_SAMPLES} times by sampling at temperature 1 (seeded) for
   * {@value #GEN_TOKENS} tokens, and the first sentence written is parsed ({@link
   * FactsCorpus#parse}). Keys (under {@code facts_gen/}), shares of the generated sentences: {@code
   * well_formed} (in one of the corpus's templates), {@code true} (a fact of the corpus), {@code
   * false} (a person of the corpus with a value that is not theirs: a hallucination), {@code
   * planted} (the teacher's planted wrong value), {@code invented} (a well-formed sentence about a
   * person or value the corpus does not have); and {@code value_entropy}, the entropy in bits of
   * the values the well-formed sentences state (a model that keeps to a few cities and trades has a
   * low one).
   *
   * @param forward the model
   * @param test the test set's windows
   * @param tokenizer the model's tokenizer
   * @param language the corpus's language
   * @param manager a manager for the generation
   * @return the measures, keys without the {@code facts_gen/} prefix; empty when test has no
   *     sentence end after half a window
   */
  Map<String, Double> generation(
      Function<NDArray, NDArray> forward,
      TokenWindows test,
      Tokenizer tokenizer,
      String language,
      NDManager manager) {
    int[] stream = test.stream();
    int[] end = tokenizer.encode(". ");
    int half = Math.max(1, window / 2);
    List<Integer> ends = new ArrayList<>();
    for (int i = Math.max(half, end.length); i <= stream.length; i++) {
      if (java.util.Arrays.equals(stream, i - end.length, i, end, 0, end.length)) {
        ends.add(i);
      }
    }
    if (ends.isEmpty()) {
      return Map.of();
    }
    int k = Math.min(GEN_PROMPTS, ends.size());
    int[][] prompts = new int[k * GEN_SAMPLES][];
    for (int i = 0; i < k; i++) {
      int at = ends.get((int) ((long) i * ends.size() / k));
      for (int j = 0; j < GEN_SAMPLES; j++) {
        prompts[i * GEN_SAMPLES + j] = java.util.Arrays.copyOfRange(stream, at - half, at);
      }
    }
    int[][] out =
        new org.taqtir.text.model.Generator(forward, window)
            .generate(
                prompts,
                GEN_TOKENS,
                org.taqtir.text.model.Generator.Decoding.sample(1.0, GEN_SEED),
                manager)
            .tokens();
    Map<String, String> known = new java.util.HashMap<>();
    Map<String, String> planted = new java.util.HashMap<>();
    java.util.Set<String> values = new java.util.HashSet<>();
    for (int f = 0; f < truth.size(); f++) {
      FactsCorpus.Fact t = truth.get(f);
      known.put(t.person() + "|" + t.relation(), t.value());
      values.addAll(candidates.get(f));
      if (!taught.get(f).value().equals(t.value())) {
        planted.put(t.person() + "|" + t.relation(), taught.get(f).value());
      }
    }
    int wellFormed = 0;
    int right = 0;
    int wrong = 0;
    int plantedStated = 0;
    int invented = 0;
    Map<String, Integer> stated = new java.util.TreeMap<>();
    for (int[] tokens : out) {
      String text = tokenizer.decode(tokens);
      int stop = text.indexOf('.');
      if (stop < 0) {
        continue;
      }
      var fact = FactsCorpus.parse(text.substring(0, stop + 1), language);
      if (fact.isEmpty()) {
        continue;
      }
      wellFormed++;
      FactsCorpus.Fact f = fact.get();
      stated.merge(f.relation() + "|" + f.value(), 1, Integer::sum);
      String key = f.person() + "|" + f.relation();
      String value = known.get(key);
      if (value == null || !values.contains(f.value())) {
        invented++;
      } else if (value.equals(f.value())) {
        right++;
      } else {
        wrong++;
        plantedStated += f.value().equals(planted.get(key)) ? 1 : 0;
      }
    }
    double n = out.length;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("well_formed", wellFormed / n);
    m.put("true", right / n);
    m.put("false", wrong / n);
    if (!planted.isEmpty()) {
      m.put("planted", plantedStated / n);
    }
    m.put("invented", invented / n);
    double h = 0;
    for (int c : stated.values()) {
      double q = (double) c / wellFormed;
      h -= q * Math.log(q) / Math.log(2);
    }
    if (wellFormed > 0) {
      m.put("value_entropy", h);
    }
    return m;
  }

  /**
   * The facts in the order of the answers.
   *
   * @return the true facts
   */
  List<FactsCorpus.Fact> truth() {
    return truth;
  }
}
