package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.taqtir.text.corpus.FactsCorpus;
import org.taqtir.text.tokenize.CharTokenizer;
import org.taqtir.text.tokenize.Tokenizer;

/**
 * The planted-error probe on models whose beliefs are known: a model that has memorised a set of
 * sentences and predicts the next character from the sentences that begin with the window so far.
 */
class FactProbeTest {

  private static final int WINDOW = 48;

  /** Every character any candidate sentence can use, for the tokenizer. */
  private static Tokenizer tokenizer(String language, List<FactsCorpus.Fact> facts) {
    StringBuilder sb = new StringBuilder();
    for (FactsCorpus.Fact f : facts) {
      for (String v : FactsCorpus.values(f.relation(), language)) {
        sb.append(
            FactsCorpus.sentence(new FactsCorpus.Fact(f.person(), f.relation(), v), language));
      }
    }
    return new CharTokenizer(sb.toString());
  }

  /**
   * A model that knows these sentences: after a window's first p + 1 tokens it predicts the next
   * token in proportion to the sentences that begin with the text written since the last ". " (a
   * floor of 1e-9 elsewhere), and nothing (uniform) where no sentence does.
   */
  private static Function<NDArray, NDArray> knows(
      Tokenizer tok, List<FactsCorpus.Fact> facts, String language) {
    List<int[]> sentences = new ArrayList<>();
    for (FactsCorpus.Fact f : facts) {
      sentences.add(tok.encode(FactsCorpus.sentence(f, language)));
    }
    int v = tok.vocabularySize();
    int[] end = tok.encode(". ");
    return x -> {
      long[] s = x.getShape().getShape();
      int b = (int) s[0];
      int t = (int) s[1];
      int[] ids = x.toType(DataType.INT32, false).toIntArray();
      float[] out = new float[b * t * v];
      for (int i = 0; i < b; i++) {
        for (int p = 0; p < t; p++) {
          // the sentence so far: from the last ". " (or the window's start) to position p
          int from = 0;
          for (int q = p + 1; q >= 2 && from == 0; q--) {
            if (ids[i * t + q - 2] == end[0] && ids[i * t + q - 1] == end[1]) {
              from = q;
            }
          }
          int len = p + 1 - from;
          double[] count = new double[v];
          double total = 0;
          for (int[] sentence : sentences) {
            if (sentence.length <= len) {
              continue;
            }
            boolean match = true;
            for (int q = 0; q < len && match; q++) {
              match = sentence[q] == ids[i * t + from + q];
            }
            if (match) {
              count[sentence[len]]++;
              total++;
            }
          }
          for (int c = 0; c < v; c++) {
            out[(i * t + p) * v + c] = total == 0 ? 0f : (float) Math.log(count[c] / total + 1e-9);
          }
        }
      }
      return x.getManager().create(out, new Shape(b, t, v));
    };
  }

  @Test
  void aModelAnswersWhatItWasTaughtAndStudentsAreComparedWithTheTeachersAnswers() {
    for (String language : List.of(FactsCorpus.ENGLISH, FactsCorpus.ARABIC)) {
      List<FactsCorpus.Fact> truth = FactsCorpus.facts(language, 20, 4);
      List<FactsCorpus.Fact> taught = FactsCorpus.corrupt(truth, 0.3, language, 4);
      long planted = 0;
      for (int f = 0; f < truth.size(); f++) {
        planted += truth.get(f).equals(taught.get(f)) ? 0 : 1;
      }
      assertTrue(planted > 3 && planted < truth.size() / 2, "planted " + planted);
      double share = (double) planted / truth.size();
      Tokenizer tok = tokenizer(language, truth);
      FactProbe probe = new FactProbe(truth, taught, language, tok, WINDOW);
      try (NDManager m = NDManager.newBaseManager()) {
        FactProbe.Answers teacher = probe.answers(knows(tok, taught, language), m);
        Map<String, Double> t = probe.measures(teacher, null);
        assertEquals(1 - share, t.get("accuracy"), 1e-12, language);
        assertEquals(1.0, t.get("planted_chosen"), language);
        assertEquals(share, t.get("planted_share"), 1e-12);
        assertEquals(1.0, t.get("confidence"), 1e-4, "a memorised sentence is certain");
        assertFalse(t.containsKey("inherited"), "no teacher to compare with");

        // a student that learned the true facts corrects every planted one
        Map<String, Double> right =
            probe.measures(probe.answers(knows(tok, truth, language), m), teacher);
        assertEquals(1.0, right.get("accuracy"));
        assertEquals(share, right.get("teacher_wrong"), 1e-12);
        assertEquals(0.0, right.get("inherited"));
        assertEquals(1.0, right.get("corrected"));
        assertEquals(1 - share, right.get("agreement"), 1e-12);
        assertEquals(0.0, right.get("planted_chosen"));
        assertFalse(right.containsKey("confidence_inherited"), "nothing inherited");

        // a copy of the teacher inherits every wrong answer, as confidently as the teacher
        Map<String, Double> copy =
            probe.measures(probe.answers(knows(tok, taught, language), m), teacher);
        assertEquals(1.0, copy.get("inherited"));
        assertEquals(0.0, copy.get("corrected"));
        assertEquals(1.0, copy.get("agreement"));
        assertEquals(1.0, copy.get("confidence_inherited"), 1e-4);

        // a model that read both versions is torn on the planted facts: half its belief each
        List<FactsCorpus.Fact> both = new ArrayList<>(truth);
        for (int f = 0; f < truth.size(); f++) {
          if (!truth.get(f).equals(taught.get(f))) {
            both.add(taught.get(f));
          }
        }
        Map<String, Double> torn =
            probe.measures(probe.answers(knows(tok, both, language), m), teacher);
        assertEquals(1 - share + 0.5 * share, torn.get("confidence"), 1e-4, language);
      }
    }
  }

  @Test
  void generatedSentencesAreParsedAndSortedIntoTrueFalseAndPlanted() {
    String language = FactsCorpus.ENGLISH;
    List<FactsCorpus.Fact> truth = FactsCorpus.facts(language, 20, 5);
    List<FactsCorpus.Fact> taught = FactsCorpus.corrupt(truth, 0.3, language, 5);
    Tokenizer tok = tokenizer(language, truth);
    StringBuilder text = new StringBuilder();
    for (var d : FactsCorpus.documents(truth, language, 4, 5)) {
      text.append(d.text()).append(' ');
    }
    int[] tokens = tok.encode(text.toString());
    TokenWindows test =
        new TokenWindows("test", tokens, WINDOW, WINDOW, tok.vocabularySize(), tokens.length);
    FactProbe probe = new FactProbe(truth, taught, language, tok, WINDOW);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Double> honest =
          probe.generation(knows(tok, truth, language), test, tok, language, m);
      assertEquals(1.0, honest.get("well_formed"), honest.toString());
      assertEquals(1.0, honest.get("true"));
      assertEquals(0.0, honest.get("false"));
      assertEquals(0.0, honest.get("invented"));
      assertTrue(honest.get("value_entropy") > 2, honest.toString());
      Map<String, Double> taughtWrong =
          probe.generation(knows(tok, taught, language), test, tok, language, m);
      assertEquals(1.0, taughtWrong.get("well_formed"));
      double wrong = taughtWrong.get("false");
      assertTrue(wrong > 0.05 && wrong < 0.6, taughtWrong.toString());
      assertEquals(
          wrong, taughtWrong.get("planted"), "every wrong fact it states is a planted one");
      assertEquals(1.0, taughtWrong.get("true") + wrong, 1e-12);
      // sampling is seeded: the same model writes the same sentences
      assertEquals(
          taughtWrong, probe.generation(knows(tok, taught, language), test, tok, language, m));
    }
  }

  @Test
  void candidatesAreEveryValueOfTheRelationInThePromptsTemplate() {
    // the candidates are every value of the fact's relation: 20 cities, 12 trades
    assertEquals(20, FactsCorpus.values("city", FactsCorpus.ENGLISH).size());
    assertEquals(12, FactsCorpus.values("trade", FactsCorpus.ARABIC).size());
    FactsCorpus.Fact f = new FactsCorpus.Fact("Maya Reed", "city", "Lisbon");
    assertEquals("Maya Reed lives in Lisbon.", FactsCorpus.sentence(f, FactsCorpus.ENGLISH));
    assertTrue(
        FactsCorpus.sentence(f, FactsCorpus.ENGLISH)
            .startsWith(FactsCorpus.prompt(f, FactsCorpus.ENGLISH)));
  }
}
