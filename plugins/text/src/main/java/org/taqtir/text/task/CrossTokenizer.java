package org.taqtir.text.task;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.taqtir.text.tokenize.Tokenizer;

/**
 * Re-scores a teacher that reads another tokenization at the student's characters: for every
 * position of a character-level student's window, the teacher's probability of each next character
 * given the text so far.
 *
 * <p>The window's text is encoded with the teacher's tokenizer. The next character starts at byte
 * offset o of the text; the teacher token that covers o began at byte b ≤ o, so the bytes s =
 * text[b, o) of that token are already written, and the teacher's distribution over that token is
 * its output one position earlier. Then
 *
 * <pre>
 *   P(next character = c | text) = Σ { p_T(w) : w's bytes begin with s · bytes(c) }  /  normaliser
 * </pre>
 *
 * summed over the teacher's vocabulary and normalised over the student's characters. This is exact
 * given the teacher's segmentation of the whole window, which inside a word depends on the letters
 * still to come (" there" or " the" + "re"): where a boundary falls inside a word the target leaks
 * a little of the future. A sum over every segmentation consistent with the prefix (Phan et al.
 * 2024) would remove that, at the cost of more teacher passes; it is not done here. Tokens that end
 * inside the next character's bytes (a byte-level token holding half of an Arabic letter) are left
 * out of every sum, since the character they start needs the teacher's next step; the normaliser
 * restores a distribution. Each distribution is mixed with a uniform one of weight {@value #FLOOR}
 * so no character has probability 0 (its log is finite).
 *
 * <p>Sums over "tokens whose bytes begin with X" are contiguous ranges once the teacher's
 * vocabulary is sorted by bytes: one prefix sum per teacher position makes each an O(1) difference,
 * and the ranges of each written part s are found once by binary search and kept.
 *
 * <p>Positions whose next character starts the window's first teacher token (nothing predicts it)
 * or lies past the teacher's window are masked. For ULD, the teacher's own next-token distribution,
 * sorted, is reported at the positions where a teacher token begins (s empty).
 */
final class CrossTokenizer {

  /** The weight of the uniform distribution mixed into every re-scored one. */
  static final double FLOOR = 1e-6;

  private final Tokenizer teacher;
  private final int teacherWindow;
  private final int studentVocabulary;
  private final byte[][] studentBytes;
  private final byte[][] sorted;
  private final int[] sortedIds;
  private final int kept;
  private final Map<String, int[]> ranges = new HashMap<>();

  /**
   * Prepares the re-scoring.
   *
   * @param student the student's tokenizer, one character per token
   * @param teacher the teacher's tokenizer
   * @param teacherWindow the most tokens the teacher reads at once
   */
  CrossTokenizer(Tokenizer student, Tokenizer teacher, int teacherWindow) {
    this.teacher = teacher;
    this.teacherWindow = teacherWindow;
    this.studentVocabulary = student.vocabularySize();
    this.studentBytes = new byte[studentVocabulary][];
    for (int c = 0; c < studentVocabulary; c++) {
      studentBytes[c] = student.bytes(c);
    }
    int v = teacher.vocabularySize();
    Integer[] order = new Integer[v];
    byte[][] bytes = new byte[v][];
    for (int w = 0; w < v; w++) {
      order[w] = w;
      bytes[w] = teacher.bytes(w);
    }
    Arrays.sort(order, Comparator.comparing(w -> bytes[w], Arrays::compareUnsigned));
    this.sorted = new byte[v][];
    this.sortedIds = new int[v];
    for (int i = 0; i < v; i++) {
      sortedIds[i] = order[i];
      sorted[i] = bytes[order[i]];
    }
    this.kept = Math.min(studentVocabulary, v);
  }

  /**
   * Returns the most tokens the teacher reads at once.
   *
   * @return its window
   */
  int teacherWindow() {
    return teacherWindow;
  }

  /**
   * Returns the students' vocabulary size, the width of the re-scored distributions.
   *
   * @return V of the students' tokenizer
   */
  int studentVocabulary() {
    return studentVocabulary;
  }

  /**
   * Returns how many sorted teacher probabilities ULD keeps per position.
   *
   * @return min(student vocabulary, teacher vocabulary)
   */
  int kept() {
    return kept;
  }

  /**
   * Where one student window sits in the teacher's tokenization.
   *
   * @param teacherIds the teacher's tokens of the window's text, at most the teacher's window
   * @param row per student position, the teacher position whose output predicts the token holding
   *     the next character, or -1 when masked
   * @param written per student position, the bytes of that token already written (empty at a
   *     teacher token boundary)
   */
  record Alignment(int[] teacherIds, int[] row, byte[][] written) {}

  /**
   * Aligns one student window (its token ids) with the teacher's tokenization of its text.
   *
   * @param studentIds the window, one character per id
   * @return the alignment
   */
  Alignment align(int[] studentIds) {
    int t = studentIds.length;
    int[] offset = new int[t + 1];
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (int p = 0; p < t; p++) {
      offset[p] = text.size();
      text.writeBytes(studentBytes[studentIds[p]]);
    }
    offset[t] = text.size();
    byte[] all = text.toByteArray();
    int[] ids = teacher.encode(new String(all, StandardCharsets.UTF_8));
    int total = ids.length;
    int used = Math.min(total, teacherWindow);
    int[] start = new int[used + 1];
    int at = 0;
    for (int j = 0; j < used; j++) {
      start[j] = at;
      at += teacher.bytes(ids[j]).length;
    }
    start[used] = at;
    if (used == total && at != all.length) {
      throw new IllegalStateException(
          "data.teacher_tokenizer: the teacher's tokens of a window give "
              + at
              + " bytes back where the text has "
              + all.length
              + "; its tokenizer must represent every character (use byte-bpe)");
    }
    int[] row = new int[t];
    byte[][] written = new byte[t][];
    int j = 0;
    for (int p = 0; p < t; p++) {
      int o = offset[p + 1];
      while (j < used && start[j + 1] <= o) {
        j++;
      }
      // j: the token covering o (start[j] <= o < start[j + 1]), or j == used when o is at or past
      // the end of the tokens read: at the end, the next token begins there and the last position
      // read predicts it; past it, the token holding o was not read
      boolean past = j == used && o > start[used];
      if (j == 0 || past) {
        row[p] = -1;
        written[p] = null;
      } else {
        row[p] = j - 1;
        written[p] = Arrays.copyOfRange(all, start[j], o);
      }
    }
    return new Alignment(Arrays.copyOf(ids, used), row, written);
  }

  /**
   * The re-scored distributions of one student window.
   *
   * @param a the window's alignment
   * @param logProbs the teacher's next-token log-probabilities at its positions, row-major {@code
   *     (positions, teacher vocabulary)} from {@code offset}
   * @param offset where this window's rows begin in {@code logProbs}
   * @param logits receives {@code (T, student vocabulary)} log-probabilities from {@code outAt}
   * @param mask receives {@code (T)} 1 where defined, from {@code maskAt}
   * @param sortedOut receives {@code (T, kept())} sorted teacher probabilities from {@code
   *     sortedAt}
   * @param sortedMask receives {@code (T)} 1 where a teacher token begins, from {@code maskAt}
   * @param outAt offset in {@code logits}
   * @param maskAt offset in the masks
   * @param sortedAt offset in {@code sortedOut}
   */
  void project(
      Alignment a,
      float[] logProbs,
      int offset,
      float[] logits,
      float[] mask,
      float[] sortedOut,
      float[] sortedMask,
      int outAt,
      int maskAt,
      int sortedAt) {
    int v = sorted.length;
    int t = a.row().length;
    double[] probs = new double[v];
    double[] cum = new double[v + 1];
    int cumRow = -1;
    double uniform = FLOOR / studentVocabulary;
    for (int p = 0; p < t; p++) {
      int r = a.row()[p];
      int out = outAt + p * studentVocabulary;
      if (r < 0) {
        // undefined: a uniform placeholder, masked
        Arrays.fill(logits, out, out + studentVocabulary, (float) -Math.log(studentVocabulary));
        continue;
      }
      if (r != cumRow) {
        int base = offset + r * v;
        for (int w = 0; w < v; w++) {
          probs[w] = Math.exp(logProbs[base + w]);
        }
        for (int i = 0; i < v; i++) {
          cum[i + 1] = cum[i] + probs[sortedIds[i]];
        }
        cumRow = r;
      }
      int[] range = ranges(a.written()[p]);
      double sum = 0;
      double[] mass = new double[studentVocabulary];
      for (int c = 0; c < studentVocabulary; c++) {
        mass[c] = cum[range[2 * c + 1]] - cum[range[2 * c]];
        sum += mass[c];
      }
      for (int c = 0; c < studentVocabulary; c++) {
        double q = sum > 0 ? mass[c] / sum : 1.0 / studentVocabulary;
        logits[out + c] = (float) Math.log((1 - FLOOR) * q + uniform);
      }
      mask[maskAt + p] = 1;
      if (a.written()[p].length == 0) {
        sortedMask[maskAt + p] = 1;
        float[] sortedProbs = new float[v];
        for (int w = 0; w < v; w++) {
          sortedProbs[w] = (float) probs[w];
        }
        Arrays.sort(sortedProbs);
        for (int i = 0; i < kept; i++) {
          sortedOut[sortedAt + p * kept + i] = sortedProbs[v - 1 - i];
        }
      }
    }
  }

  /**
   * For a written part s, the range [lo, hi) of sorted teacher tokens whose bytes begin with s ·
   * bytes(c), for every student character c (pairs, c by c).
   */
  private int[] ranges(byte[] written) {
    String key = new String(written, StandardCharsets.ISO_8859_1);
    int[] r = ranges.get(key);
    if (r != null) {
      return r;
    }
    r = new int[2 * studentVocabulary];
    for (int c = 0; c < studentVocabulary; c++) {
      byte[] prefix = new byte[written.length + studentBytes[c].length];
      System.arraycopy(written, 0, prefix, 0, written.length);
      System.arraycopy(studentBytes[c], 0, prefix, written.length, studentBytes[c].length);
      int lo = lowerBound(prefix);
      int hi = lo;
      while (hi < sorted.length && startsWith(sorted[hi], prefix)) {
        hi++;
      }
      r[2 * c] = lo;
      r[2 * c + 1] = hi;
    }
    ranges.put(key, r);
    return r;
  }

  /** The first sorted position whose bytes are not below {@code key}. */
  private int lowerBound(byte[] key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Arrays.compareUnsigned(sorted[mid], key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
