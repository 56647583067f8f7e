package org.taqtir.text.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizers: nothing is ever dropped (an unknown character is {@code <unk>}, counted;
 * byte-level BPE represents every byte), Arabic diacritics are symbols of their own, BPE training
 * is deterministic, and Hugging Face's application of the exported files equals the Java reference.
 */
class TokenizersTest {

  @TempDir Path dir;

  private static final String ENGLISH =
      "It is a truth universally acknowledged, that a single man in possession of a good fortune,"
          + " must be in want of a wife. However little known the feelings or views of such a man"
          + " may be on his first entering a neighbourhood, this truth is so well fixed in the"
          + " minds of the surrounding families, that he is considered the rightful property of"
          + " some one or other of their daughters.\n\n\"My dear Mr. Bennet,\" said his lady to him"
          + " one day, \"have you heard that Netherfield Park is let at last?\"\n";

  private static final String ARABIC =
      "يسكن سامي حداد في تونس. تعمل ليلى معلّمةً في القاهرة. كَتَبَ الطالبُ الدرسَ بعنايةٍ.\n"
          + "غيّر كلمة السر الرئيسية؛ أمتأكّد بأنك تريد تصفير كلمة سرك؟\n";

  @Test
  void charTokenizerKeepsDiacriticsAndMapsUnseenCharactersToUnknown() {
    CharTokenizer t = new CharTokenizer(ARABIC);
    int[] ids = t.encode(ARABIC);
    assertEquals(ARABIC.codePointCount(0, ARABIC.length()), ids.length);
    assertEquals(ARABIC, t.decode(ids));
    assertTrue(ARABIC.indexOf('\u064E') >= 0, "the text has a fatha");
    assertNotEquals(0, t.encode("\u064E")[0], "the fatha is a symbol of its own");
    int[] unseen = t.encode("سامي Z🙂");
    assertEquals(7, unseen.length, "nothing dropped");
    assertEquals(0, unseen[5]);
    assertEquals(0, unseen[6]);
    assertEquals("سامي \uFFFD\uFFFD", t.decode(unseen));
  }

  @Test
  void byteBpeTrainingIsDeterministicAndReachesTheAskedSize() {
    String text = ENGLISH.repeat(3) + ARABIC.repeat(3);
    ByteBpe a = ByteBpe.train(text, 400);
    ByteBpe b = ByteBpe.train(text, 400);
    assertEquals(400, a.size());
    assertEquals(a.ids(), b.ids());
    for (int i = 0; i < a.merges().size(); i++) {
      assertArrayEquals(a.merges().get(i), b.merges().get(i));
    }
  }

  @Test
  void huggingFaceAppliesTheExportedMergesExactlyAsTrained() throws Exception {
    ByteBpe model = ByteBpe.train(ENGLISH.repeat(4) + ARABIC.repeat(4), 420);
    try (ByteBpeTokenizer t = new ByteBpeTokenizer(model, dir.resolve("bpe"))) {
      for (String f : List.of("vocab.json", "merges.txt", "tokenizer.json")) {
        assertTrue(Files.size(dir.resolve("bpe").resolve(f)) > 0, f);
      }
      for (String text :
          List.of(
              ENGLISH,
              ARABIC,
              "Unseen words: Northanger, Fitzwilliam's 1813!  tabs\tand\nnew lines",
              "emoji 🙂 and control \u0001 bytes, Ü, ß, 漢字",
              "مُحَمَّدٌ رَسُولٌ — diacritics everywhere")) {
        int[] hf = t.encode(text);
        assertArrayEquals(model.encode(text), hf, "Hugging Face vs the Java reference on: " + text);
        assertEquals(text, t.decode(hf), "round trip");
      }
      assertTrue(t.encode(ENGLISH).length < ENGLISH.length() / 2, "merges compress the text");
      assertEquals(-1, t.unknownId());
    }
  }
}
