package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taqtir.text.tokenize.CharTokenizer;
import org.taqtir.text.tokenize.Tokenizer;

/** {@code data.omit}: which lines the students lose, and which test positions the probe reads. */
class OmittedPatternTest {

  @Test
  void everyLineWithTheWordInAnyCaseGoesAndOnlyThose() {
    String text =
        "Mr. Darcy bowed.\nElizabeth laughed.\nDARCY's letter came.\nThe Darcyish air.\nShe smiled.";
    assertEquals(
        "Elizabeth laughed.\nThe Darcyish air.\nShe smiled.",
        TextData.withoutLines(text, List.of("darcy")));
    assertEquals(text, TextData.withoutLines(text, List.of("Wickham")));
    assertEquals(
        "She smiled.",
        TextData.withoutLines(text + "\n", List.of("darcy", "laughed", "air")).strip());
  }

  @Test
  void arabicWordsAreMatchedWholeWithTheirMarks() {
    String text = "ذهب الولد إلى المدرسة\nقرأ الكتاب\nالولدان في البيت";
    // "الولد" is a whole word in the first line only: "الولدان" is another word
    assertEquals("قرأ الكتاب\nالولدان في البيت", TextData.withoutLines(text, List.of("الولد")));
  }

  @Test
  void theProbeMarksThePositionsInsideTheOmittedWords() {
    Tokenizer chars = new CharTokenizer("the cat saw a dog. The Cat ran.");
    WordFrequency w = WordFrequency.of(chars, chars.encode("the cat saw a dog."));
    WordFrequency.Positions p = w.buckets(chars.encode("a cat. Cat"), List.of("CAT"));
    assertArrayEquals(
        new boolean[] {false, false, true, true, true, false, false, true, true, true},
        p.omitted());
    assertNull(w.buckets(chars.encode("a cat")).omitted(), "nothing omitted, nothing marked");
  }
}
