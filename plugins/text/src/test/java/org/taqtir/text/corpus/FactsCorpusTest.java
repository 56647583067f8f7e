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
        assertTrue(all.contains(FactsCorpus.sentence(f, language)), f.toString());
      }
      var wrong = FactsCorpus.corrupt(facts, 0.25, language, 7);
      long changed = 0;
      for (int i = 0; i < facts.size(); i++) {
        changed += facts.get(i).equals(wrong.get(i)) ? 0 : 1;
        assertEquals(facts.get(i).person(), wrong.get(i).person());
      }
      assertTrue(changed > 30 && changed < 70, "about a quarter changed: " + changed);
      String prompt = FactsCorpus.prompt(facts.get(0), language);
      assertTrue(all.contains(prompt), prompt);
      assertTrue(FactsCorpus.sentence(facts.get(0), language).startsWith(prompt), prompt);
    }
  }

  @Test
  void everySentenceOfTheCorpusParsesBackToItsFact() {
    for (String language : List.of(FactsCorpus.ENGLISH, FactsCorpus.ARABIC)) {
      var facts = FactsCorpus.facts(language, 40, 3);
      var wrong = FactsCorpus.corrupt(facts, 0.5, language, 3);
      var stated = new java.util.HashSet<>(wrong);
      int sentences = 0;
      for (Document d : FactsCorpus.documents(wrong, language, 5, 3)) {
        // sentences end with a full stop followed by a space or the end of the document
        for (String sentence : d.text().split("(?<=\\.) ")) {
          var parsed = FactsCorpus.parse(sentence, language);
          assertTrue(parsed.isPresent(), language + ": " + sentence);
          assertTrue(stated.contains(parsed.get()), language + ": " + sentence + " -> " + parsed);
          sentences++;
        }
      }
      assertEquals(40 * 2 * 5, sentences);
      assertTrue(FactsCorpus.parse("Maya Reed lives in", language).isEmpty());
      assertTrue(FactsCorpus.parse("the cat sat on the mat.", language).isEmpty());
    }
    // a sentence in a template, with a name and a value the corpus does not know
    assertEquals(
        java.util.Optional.of(new FactsCorpus.Fact("Zed Qix", "city", "Atlantis")),
        FactsCorpus.parse("These days Zed Qix lives in Atlantis.", FactsCorpus.ENGLISH));
  }

  @Test
  void arabicSentencesAgreeWithAWomansName() {
    var man = new FactsCorpus.Fact("سامي حداد", "trade", "خبّازًا");
    var woman = new FactsCorpus.Fact("ليلى حداد", "trade", "خبّازًا");
    assertEquals("يعمل سامي حداد خبّازًا.", FactsCorpus.sentence(man, FactsCorpus.ARABIC));
    assertEquals("تعمل ليلى حداد خبّازةً.", FactsCorpus.sentence(woman, FactsCorpus.ARABIC));
    assertEquals("تعمل ليلى حداد ", FactsCorpus.prompt(woman, FactsCorpus.ARABIC));
    assertEquals(
        java.util.Optional.of(woman),
        FactsCorpus.parse("تعمل ليلى حداد خبّازةً.", FactsCorpus.ARABIC),
        "the feminine trade is the same fact");
    var city = new FactsCorpus.Fact("مريم خوري", "city", "بيروت");
    assertEquals("تسكن مريم خوري في بيروت.", FactsCorpus.sentence(city, FactsCorpus.ARABIC));
    // every document of a mixed corpus: no masculine verb before a woman's name
    var facts = FactsCorpus.facts(FactsCorpus.ARABIC, 200, 2);
    String all =
        String.join(
            " ",
            FactsCorpus.documents(facts, FactsCorpus.ARABIC, 4, 2).stream()
                .map(Document::text)
                .toList());
    for (String name : List.of("ليلى", "هدى", "مريم", "سارة")) {
      for (String verb : List.of("يسكن ", "يعيش ", "يعمل ", "يكسب ", "انتقل ")) {
        assertTrue(!all.contains(verb + name), verb + name);
      }
    }
    assertTrue(all.contains("تعمل ") && all.contains("يعمل "), "both forms occur");
  }
}
