package org.taqtir.text.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.taqtir.core.data.Hashes;

/**
 * One token per Unicode code point seen in the training text (Arabic diacritics, being code points
 * of their own, are symbols of their own); id 0 is {@code <unk>}, which every other code point maps
 * to, counted, never dropped. Ids follow code-point order, so the vocabulary is the same for the
 * same text whatever its order.
 */
public final class CharTokenizer implements Tokenizer {

  private final int[] symbols;
  private final Map<Integer, Integer> ids = new HashMap<>();
  private final String fingerprint;

  /**
   * Builds the vocabulary of a text.
   *
   * @param training the text
   */
  public CharTokenizer(String training) {
    TreeSet<Integer> seen = new TreeSet<>();
    training.codePoints().forEach(seen::add);
    symbols = new int[seen.size() + 1];
    symbols[0] = 0xFFFD;
    int i = 1;
    for (int cp : seen) {
      symbols[i] = cp;
      ids.put(cp, i++);
    }
    StringBuilder sb = new StringBuilder("char\n");
    for (int s : symbols) {
      sb.append(s).append(',');
    }
    fingerprint = Hashes.sha256(sb.toString());
  }

  @Override
  public int[] encode(String text) {
    return text.codePoints().map(cp -> ids.getOrDefault(cp, 0)).toArray();
  }

  @Override
  public String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    for (int t : tokens) {
      sb.appendCodePoint(t > 0 && t < symbols.length ? symbols[t] : 0xFFFD);
    }
    return sb.toString();
  }

  @Override
  public int vocabularySize() {
    return symbols.length;
  }

  @Override
  public int unknownId() {
    return 0;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String describe() {
    return "char, " + (symbols.length - 1) + " symbols + <unk>";
  }

  /**
   * Returns the vocabulary as text, one symbol per line (for the run's files).
   *
   * @return the symbols in id order, {@code <unk>} first
   */
  public String vocabulary() {
    StringBuilder sb = new StringBuilder("<unk>\n");
    for (int i = 1; i < symbols.length; i++) {
      sb.append(new String(Character.toChars(symbols[i])).replace("\n", "\\n")).append('\n');
    }
    return new String(sb.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
