package org.taqtir.text.task;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Seeded typo corruption, the language-model counterpart of the image corruptions: each letter of a
 * text is, with probability {@code rate}, replaced by another letter drawn uniformly from the
 * letters of the training text (so no corruption introduces an unknown character). Spaces,
 * punctuation, digits and Arabic diacritics are kept; the length never changes, so bits per
 * character stay comparable with the clean text.
 */
final class Typos {

  private Typos() {}

  /**
   * Corrupts a text.
   *
   * @param text the text
   * @param training the training text, whose letters are the replacements
   * @param rate the share of letters replaced, in (0, 0.5]
   * @param seed the seed
   * @return the corrupted text, as many code points long
   */
  static String corrupt(String text, String training, double rate, long seed) {
    int[] letters =
        training
            .codePoints()
            .filter(Character::isLetter)
            .collect(TreeSet<Integer>::new, TreeSet::add, TreeSet::addAll)
            .stream()
            .mapToInt(Integer::intValue)
            .toArray();
    if (letters.length < 2) {
      return text;
    }
    SplittableRandom r = new SplittableRandom(seed ^ Double.doubleToLongBits(rate));
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isLetter(c) && r.nextDouble() < rate) {
                int pick;
                do {
                  pick = letters[r.nextInt(letters.length)];
                } while (pick == c);
                out.appendCodePoint(pick);
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /**
   * Formats a rate as a percentage for set names: 0.05 → {@code 5}, 0.025 → {@code 2.5}.
   *
   * @param rate the rate
   * @return the percentage
   */
  static String percent(double rate) {
    double p = rate * 100;
    return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.1f", p);
  }
}
