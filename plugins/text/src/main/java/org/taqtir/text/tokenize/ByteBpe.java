package org.taqtir.text.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE (Sennrich et al. 2016 on bytes, as GPT-2's tokenizer, Radford et al. 2019),
 * trained here in Java, deterministically: the text is cut into words by GPT-2's pattern (the one
 * Hugging Face's {@code ByteLevel} pre-tokenizer applies), each word is a sequence of its UTF-8
 * bytes, and the most frequent adjacent pair (over word types weighted by count; ties to the
 * smallest pair in string order) is merged until the vocabulary holds the asked number of tokens.
 * The 256 bytes are always in the vocabulary, so no input is ever dropped.
 *
 * <p>Bytes are written as printable characters with GPT-2's {@code bytes_to_unicode} mapping, so
 * {@code vocab.json} and {@code merges.txt} are in the format Hugging Face's tokenizers read.
 */
public final class ByteBpe {

  /** GPT-2's pre-tokenization pattern, with Unicode classes as Rust's regex has them. */
  static final Pattern WORDS =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] BYTE_CHAR = byteChars();

  private static final Map<Character, Integer> BYTE_VALUE = byteValues();

  private final List<String> vocabulary;
  private final List<String[]> merges;

  private ByteBpe(List<String> vocabulary, List<String[]> merges) {
    this.vocabulary = vocabulary;
    this.merges = merges;
  }

  /**
   * Trains merges on a text.
   *
   * @param text the training text
   * @param size the vocabulary size to reach, at least 256 (fewer when the text runs out of pairs)
   * @return the trained model
   */
  public static ByteBpe train(String text, int size) {
    Map<String, Integer> counts = new HashMap<>();
    Matcher m = WORDS.matcher(text);
    while (m.find()) {
      counts.merge(m.group(), 1, Integer::sum);
    }
    // word types in a fixed order, each as its byte symbols
    List<List<String>> words = new ArrayList<>();
    List<Integer> freq = new ArrayList<>();
    for (var e : new TreeMap<>(counts).entrySet()) {
      words.add(symbols(e.getKey()));
      freq.add(e.getValue());
    }
    List<String> vocabulary = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      vocabulary.add(String.valueOf(BYTE_CHAR[b]));
    }
    List<String[]> merges = new ArrayList<>();
    while (vocabulary.size() < size) {
      Map<String, Long> pairs = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> s = words.get(w);
        for (int i = 0; i + 1 < s.size(); i++) {
          pairs.merge(s.get(i) + " " + s.get(i + 1), (long) freq.get(w), Long::sum);
        }
      }
      String best = null;
      long bestCount = 0;
      for (var e : pairs.entrySet()) {
        long c = e.getValue();
        if (c > bestCount || (c == bestCount && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          bestCount = c;
        }
      }
      if (best == null) {
        break;
      }
      String[] pair = best.split(" ", 2);
      merges.add(pair);
      vocabulary.add(pair[0] + pair[1]);
      for (List<String> s : words) {
        apply(s, pair[0], pair[1]);
      }
    }
    return new ByteBpe(List.copyOf(vocabulary), List.copyOf(merges));
  }

  /** Merges every occurrence of a pair in a symbol sequence, left to right. */
  private static void apply(List<String> s, String a, String b) {
    for (int i = 0; i + 1 < s.size(); i++) {
      if (s.get(i).equals(a) && s.get(i + 1).equals(b)) {
        s.set(i, a + b);
        s.remove(i + 1);
      }
    }
  }

  /** A word's bytes as printable symbols. */
  static List<String> symbols(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      out.add(String.valueOf(BYTE_CHAR[b & 0xff]));
    }
    return out;
  }

  /**
   * Encodes text with the merges in rank order, word by word: the reference the Hugging Face
   * application of the exported files is tested against.
   *
   * @param text the text
   * @return token ids
   */
  public int[] encode(String text) {
    Map<String, Integer> ids = ids();
    Map<String, Integer> rank = new HashMap<>();
    for (int i = 0; i < merges.size(); i++) {
      rank.put(merges.get(i)[0] + " " + merges.get(i)[1], i);
    }
    List<Integer> out = new ArrayList<>();
    Matcher m = WORDS.matcher(text);
    while (m.find()) {
      List<String> s = symbols(m.group());
      while (s.size() > 1) {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < s.size(); i++) {
          Integer r = rank.get(s.get(i) + " " + s.get(i + 1));
          if (r != null && r < bestRank) {
            bestRank = r;
            best = i;
          }
        }
        if (best < 0) {
          break;
        }
        String[] pair = merges.get(bestRank);
        apply(s, pair[0], pair[1]);
      }
      for (String t : s) {
        out.add(ids.get(t));
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Returns the vocabulary, token to id: the 256 bytes (id = byte value), then one token per merge.
   *
   * @return the vocabulary in id order
   */
  public Map<String, Integer> ids() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < vocabulary.size(); i++) {
      out.putIfAbsent(vocabulary.get(i), i);
    }
    return out;
  }

  /**
   * Returns the bytes a token stands for.
   *
   * @param id the token id
   * @return its bytes (one for the 256 base tokens)
   */
  public byte[] tokenBytes(int id) {
    String t = vocabulary.get(id);
    byte[] out = new byte[t.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) BYTE_VALUE.get(t.charAt(i)).intValue();
    }
    return out;
  }

  /**
   * Returns the merges in rank order.
   *
   * @return pairs of symbols
   */
  public List<String[]> merges() {
    return merges;
  }

  /**
   * Returns the vocabulary size.
   *
   * @return 256 plus the number of merges
   */
  public int size() {
    return vocabulary.size();
  }

  /**
   * GPT-2's {@code bytes_to_unicode}: printable bytes stand for themselves, the others (controls,
   * space, ...) for code points from 256 up, so every byte has a visible, reversible character.
   */
  private static Map<Character, Integer> byteValues() {
    Map<Character, Integer> out = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      out.put(BYTE_CHAR[b], b);
    }
    return out;
  }

  private static char[] byteChars() {
    char[] out = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int next = 0;
    for (int b = 0; b < 256; b++) {
      out[b] = printable[b] ? (char) b : (char) (256 + next++);
    }
    return out;
  }
}
