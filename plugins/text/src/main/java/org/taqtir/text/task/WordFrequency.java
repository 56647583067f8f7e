package org.taqtir.text.task;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taqtir.text.tokenize.Tokenizer;

/**
 * Next-token positions grouped by how often the word they belong to occurs in the training text, so
 * that a model's loss can be read on rare words apart from frequent ones ("silently vanished
 * skills": an average over all positions is dominated by the frequent words).
 *
 * <p>A word is a maximal run of letters and combining marks (Unicode letters, so Arabic words with
 * their diacritics are one word), compared in lower case. A position belongs to the word that holds
 * the first letter or mark of the token it predicts; a token without one (a space, punctuation, a
 * digit) is in bucket {@code other}. The token streams are joined as UTF-8 bytes ({@link
 * Tokenizer#bytes}), so a byte-level BPE token that ends inside a character is placed correctly.
 */
final class WordFrequency {

  /**
   * The buckets, by the word's count in the training text: {@code unseen} 0, {@code rare} 1–9,
   * {@code uncommon} 10–99, {@code common} 100–999, {@code frequent} ≥ 1,000, and {@code other} for
   * tokens that are not part of a word.
   */
  static final List<String> BUCKETS =
      List.of("unseen", "rare", "uncommon", "common", "frequent", "other");

  private final Tokenizer tokenizer;
  private final Map<String, Integer> counts;

  private WordFrequency(Tokenizer tokenizer, Map<String, Integer> counts) {
    this.tokenizer = tokenizer;
    this.counts = counts;
  }

  /**
   * Counts the words of a training stream.
   *
   * @param tokenizer the stream's tokenizer
   * @param train the training token stream
   * @return the counts, ready to bucket other streams of the same tokenizer
   */
  static WordFrequency of(Tokenizer tokenizer, int[] train) {
    Map<String, Integer> counts = new HashMap<>();
    Text text = Text.of(tokenizer, train);
    int[] cps = text.codePoints;
    int i = 0;
    while (i < cps.length) {
      if (!isWordPart(cps[i])) {
        i++;
        continue;
      }
      int j = i;
      while (j < cps.length && isWordPart(cps[j])) {
        j++;
      }
      counts.merge(word(cps, i, j), 1, Integer::sum);
      i = j;
    }
    return new WordFrequency(tokenizer, counts);
  }

  /**
   * Every position's bucket and characters.
   *
   * @param bucket per position, an index into {@link #BUCKETS}
   * @param chars per position, the code points its token completes (a byte-level token that ends
   *     inside a character completes it in the token that holds its first byte), so that bits per
   *     character can be read per bucket whatever the tokenizer
   * @param omitted per position, whether it belongs to one of the omitted words ({@code
   *     data.omit}); null when none are
   */
  record Positions(int[] bucket, int[] chars, boolean[] omitted) {

    Positions(int[] bucket, int[] chars) {
      this(bucket, chars, null);
    }
  }

  /**
   * The bucket of every position of a token stream: position p predicts {@code tokens[p]}.
   *
   * @param tokens the predicted tokens, in text order (an evaluation set's targets, which tile it)
   * @return per position, its bucket and characters
   */
  Positions buckets(int[] tokens) {
    return buckets(tokens, List.of());
  }

  /**
   * {@link #buckets(int[])}, also marking the positions that belong to given words.
   *
   * @param tokens the predicted tokens, in text order
   * @param omitted words (any case) whose positions to mark
   * @return per position, its bucket, characters and mark
   */
  Positions buckets(int[] tokens, List<String> omitted) {
    java.util.Set<String> marked = new java.util.HashSet<>();
    omitted.forEach(w -> marked.add(w.toLowerCase(Locale.ROOT)));
    Text text = Text.of(tokenizer, tokens);
    int[] cps = text.codePoints;
    // the word (as a bucket) of every code point that is part of one
    int[] bucketAt = new int[cps.length];
    boolean[] markAt = new boolean[cps.length];
    int other = BUCKETS.size() - 1;
    int i = 0;
    while (i < cps.length) {
      if (!isWordPart(cps[i])) {
        bucketAt[i++] = other;
        continue;
      }
      int j = i;
      while (j < cps.length && isWordPart(cps[j])) {
        j++;
      }
      String w = word(cps, i, j);
      int b = bucket(counts.getOrDefault(w, 0));
      boolean mark = marked.contains(w);
      for (int k = i; k < j; k++) {
        bucketAt[k] = b;
        markAt[k] = mark;
      }
      i = j;
    }
    int[] out = new int[tokens.length];
    int[] chars = new int[tokens.length];
    boolean[] inOmitted = marked.isEmpty() ? null : new boolean[tokens.length];
    for (int p = 0; p < tokens.length; p++) {
      out[p] = other;
      chars[p] = text.start[p + 1] - text.start[p];
      for (int k = text.start[p]; k < text.start[p + 1]; k++) {
        if (isWordPart(cps[k])) {
          out[p] = bucketAt[k];
          if (inOmitted != null) {
            inOmitted[p] = markAt[k];
          }
          break;
        }
      }
    }
    return new Positions(out, chars, inOmitted);
  }

  /**
   * The training count of a word.
   *
   * @param w the word (any case)
   * @return how often it occurs in the training text
   */
  int count(String w) {
    return counts.getOrDefault(w.toLowerCase(Locale.ROOT), 0);
  }

  /**
   * The bucket where a model's test bits per character exceed the teacher's the most.
   *
   * @param model the model's measures ({@code test/words_<bucket>/bpc})
   * @param teacher the teacher's
   * @return the bucket, or null when no bucket has both values
   */
  static String worstBucket(Map<String, Double> model, Map<String, Double> teacher) {
    String worst = null;
    double worstGap = Double.NEGATIVE_INFINITY;
    for (String b : BUCKETS) {
      Double v = model.get(bpcKey(b));
      Double t = teacher.get(bpcKey(b));
      if (v != null && t != null && v - t > worstGap) {
        worstGap = v - t;
        worst = b;
      }
    }
    return worst;
  }

  /**
   * The measure key of a bucket's test bits per character.
   *
   * @param bucket a name of {@link #BUCKETS}
   * @return {@code test/words_<bucket>/bpc}
   */
  static String bpcKey(String bucket) {
    return "test/words_" + bucket + "/bpc";
  }

  /**
   * What a bucket holds, in words.
   *
   * @param bucket a name of {@link #BUCKETS}
   * @return e.g. {@code seen 1–9 times}
   */
  static String range(String bucket) {
    return switch (bucket) {
      case "unseen" -> "never seen in training";
      case "rare" -> "seen 1–9 times";
      case "uncommon" -> "seen 10–99 times";
      case "common" -> "seen 100–999 times";
      case "frequent" -> "seen 1,000 times or more";
      default -> "spaces, punctuation and digits";
    };
  }

  static int bucket(int count) {
    return count == 0 ? 0 : count < 10 ? 1 : count < 100 ? 2 : count < 1000 ? 3 : 4;
  }

  private static boolean isWordPart(int cp) {
    if (Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  private static String word(int[] cps, int from, int to) {
    return new String(cps, from, to - from).toLowerCase(Locale.ROOT);
  }

  /** A token stream's text as code points, with the first code point each token starts. */
  private record Text(int[] codePoints, int[] start) {

    static Text of(Tokenizer tokenizer, int[] tokens) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int[] byteStart = new int[tokens.length + 1];
      for (int p = 0; p < tokens.length; p++) {
        byteStart[p] = bytes.size();
        bytes.writeBytes(tokenizer.bytes(tokens[p]));
      }
      byteStart[tokens.length] = bytes.size();
      byte[] all = bytes.toByteArray();
      // the code point index of every byte: the number of lead bytes before it
      int[] cpOfByte = new int[all.length + 1];
      int cp = 0;
      for (int b = 0; b < all.length; b++) {
        cpOfByte[b] = (all[b] & 0xC0) == 0x80 ? Math.max(0, cp - 1) : cp++;
      }
      cpOfByte[all.length] = cp;
      int[] start = new int[tokens.length + 1];
      for (int p = 0; p <= tokens.length; p++) {
        int b = byteStart[p];
        // a token that starts inside a character belongs from the next whole one
        while (b < all.length && (all[b] & 0xC0) == 0x80) {
          b++;
        }
        start[p] = b == all.length ? cp : cpOfByte[b];
      }
      int[] cps = new String(all, StandardCharsets.UTF_8).codePoints().toArray();
      if (cps.length != cp) {
        throw new IllegalStateException(
            "token stream is not valid UTF-8 (" + cps.length + " != " + cp + " code points)");
      }
      return new Text(cps, start);
    }
  }
}
