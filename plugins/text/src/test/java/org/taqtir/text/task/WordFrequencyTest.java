package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.text.tokenize.ByteBpe;
import org.taqtir.text.tokenize.ByteBpeTokenizer;
import org.taqtir.text.tokenize.CharTokenizer;
import org.taqtir.text.tokenize.Tokenizer;

class WordFrequencyTest {

  @TempDir Path dir;

  private static final int UNSEEN = 0;
  private static final int ONE_TO_NINE = 1;
  private static final int TEN_TO_99 = 2;
  private static final int OTHER = WordFrequency.BUCKETS.size() - 1;

  /** Training text: "the" 12 times, "cat" twice, "Dog" once. */
  private static final String TRAIN = "the ".repeat(11) + "The cat, cat! Dog.";

  @Test
  void countsWordsCaseFoldedAndBucketsEveryCharacterByItsWord() {
    Tokenizer chars = new CharTokenizer(TRAIN + "xyz");
    WordFrequency w = WordFrequency.of(chars, chars.encode(TRAIN));
    assertEquals(12, w.count("THE"));
    assertEquals(2, w.count("cat"));
    assertEquals(1, w.count("dog"));
    assertEquals(0, w.count("zyx"));
    int[] b = w.buckets(chars.encode("the cat zyx.")).bucket();
    int[] expected = {
      TEN_TO_99, TEN_TO_99, TEN_TO_99, OTHER,
      ONE_TO_NINE, ONE_TO_NINE, ONE_TO_NINE, OTHER,
      UNSEEN, UNSEEN, UNSEEN, OTHER
    };
    assertArrayEquals(expected, b);
  }

  @Test
  void arabicWordsKeepTheirDiacriticsInOneWord() {
    // كَتَبَ (with fathas) three times, then an unseen word
    String train = "كَتَبَ كَتَبَ كَتَبَ";
    Tokenizer chars = new CharTokenizer(train + " قلم");
    WordFrequency w = WordFrequency.of(chars, chars.encode(train));
    assertEquals(3, w.count("كَتَبَ"));
    WordFrequency.Positions pos = w.buckets(chars.encode("كَتَبَ قلم"));
    int[] b = pos.bucket();
    assertEquals(10, java.util.Arrays.stream(pos.chars()).sum());
    // six code points of the seen word (letters and marks), a space, three of the unseen one
    assertEquals(10, b.length);
    for (int i = 0; i < 6; i++) {
      assertEquals(ONE_TO_NINE, b[i], "position " + i);
    }
    assertEquals(OTHER, b[6]);
    assertArrayEquals(new int[] {UNSEEN, UNSEEN, UNSEEN}, java.util.Arrays.copyOfRange(b, 7, 10));
  }

  @Test
  void byteLevelTokensAreBucketedByTheWordOfTheirFirstLetter() {
    String english = "the cat sat on the mat with the hat. ";
    String arabic = "ذهب الولد إلى المدرسة وقرأ الكتاب. ";
    String train = (english + arabic).repeat(30);
    try (ByteBpeTokenizer bpe =
        new ByteBpeTokenizer(ByteBpe.train(train, 300), dir.resolve("bpe"))) {
      WordFrequency w = WordFrequency.of(bpe, bpe.encode(train));
      String text = "the hat and الكتاب";
      int[] ids = bpe.encode(text);
      WordFrequency.Positions pos = w.buckets(ids);
      int[] b = pos.bucket();
      // every character is completed by exactly one token
      assertEquals(
          text.codePointCount(0, text.length()), java.util.Arrays.stream(pos.chars()).sum());
      // the same buckets as the character-level assignment of the same text, read at each
      // token's first letter
      Tokenizer chars = new CharTokenizer(train + text);
      int[] perChar =
          WordFrequency.of(chars, chars.encode(train)).buckets(chars.encode(text)).bucket();
      int cp = 0;
      int checked = 0;
      for (int p = 0; p < ids.length; p++) {
        byte[] bytes = bpe.bytes(ids[p]);
        int leads = 0;
        for (byte x : bytes) {
          leads += (x & 0xC0) == 0x80 ? 0 : 1;
        }
        String piece = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (piece.indexOf('\uFFFD') >= 0) {
          cp += leads; // part of a character: its letter is checked with the token that starts it
          continue;
        }
        checked++;
        int firstLetter = -1;
        for (int k = 0; k < piece.codePointCount(0, piece.length()); k++) {
          int c = piece.codePointAt(piece.offsetByCodePoints(0, k));
          if (Character.isLetter(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
            firstLetter = cp + k;
            break;
          }
        }
        assertEquals(
            firstLetter < 0 ? OTHER : perChar[firstLetter],
            b[p],
            "token " + p + " '" + piece + "'");
        cp += leads;
      }
      assertEquals(true, checked > ids.length / 2, "most tokens are whole characters");
      assertEquals(List.of(30 * 3 + 0, 0), List.of(w.count("the"), w.count("and")));
    }
  }
}
