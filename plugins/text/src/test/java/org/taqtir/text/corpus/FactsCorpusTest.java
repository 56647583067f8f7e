package org.taqtir.text.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The synthetic facts corpus: seeded, every fact stated, errors planted at the asked rate. */
class FactsCorpusTest {

  @Test
  void factsAreSeededStatedAndCorruptedAtTheAskedRate() {
    for (String language : List.of(FactsCorpus.ENGLISH, FactsCorpus.ARABIC)) {
      var facts = FactsCorpus.facts(language, 100, 7);
      assertEquals(facts, FactsCorpus.facts(language, 100, 7));
      assertEquals(200, facts.size());
      var docs = FactsCorpus.documents(facts, language, 3, 7);
      String all = String.join(" ", docs.stream().map(Document::text).toList());
      for (var f : facts) {
        assertTrue(all.contains(f.person()) && all.contains(f.value()), f.toString());
      }
      var wrong = FactsCorpus.corrupt(facts, 0.25, language, 7);
      long changed = 0;
      for (int i = 0; i < facts.size(); i++) {
        changed += facts.get(i).equals(wrong.get(i)) ? 0 : 1;
        assertEquals(facts.get(i).person(), wrong.get(i).person());
      }
      assertTrue(changed > 30 && changed < 70, "about a quarter changed: " + changed);
      String prompt = FactsCorpus.prompt(facts.get(0), language);
      assertTrue(all.contains(prompt + facts.get(0).value()), prompt);
    }
  }
}
