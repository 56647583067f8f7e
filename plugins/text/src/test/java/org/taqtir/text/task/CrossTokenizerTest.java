package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.text.tokenize.ByteBpe;
import org.taqtir.text.tokenize.ByteBpeTokenizer;
import org.taqtir.text.tokenize.CharTokenizer;
import org.taqtir.text.tokenize.Tokenizer;

/**
 * The re-scoring of a teacher with another tokenizer at a character student's positions, against a
 * brute-force reading of its definition (every teacher token checked byte by byte), on English and
 * Arabic text; and the identity when the teacher reads characters too.
 */
class CrossTokenizerTest {

  @TempDir Path dir;

  private static final String TEXT =
      "The old man carried the letter to the river. The farmer found two apples by the sea. "
          + "قال المعلّم إن الطالب تعلّم الدرس جيداً. وجد الفلاح تفاحتين قرب البحر. ";

  @Test
  void reScoringMatchesABruteForceSumOverTheTeachersTokens() {
    CharTokenizer student = new CharTokenizer(TEXT);
    try (ByteBpeTokenizer teacher = new ByteBpeTokenizer(ByteBpe.train(TEXT.repeat(3), 330), dir)) {
      int window = 24;
      CrossTokenizer cross = new CrossTokenizer(student, teacher, 40);
      int v = teacher.vocabularySize();
      int vs = student.vocabularySize();
      SplittableRandom r = new SplittableRandom(3);
      int[] all = student.encode(TEXT);
      int checked = 0;
      int masked = 0;
      for (int start : new int[] {0, 30, 90, 110, all.length - window}) {
        int[] row = Arrays.copyOfRange(all, start, start + window);
        CrossTokenizer.Alignment a = cross.align(row);
        int positions = Math.max(1, a.teacherIds().length);
        float[] logProbs = new float[positions * v];
        for (int p = 0; p < positions; p++) {
          double[] z = new double[v];
          double max = Double.NEGATIVE_INFINITY;
          for (int w = 0; w < v; w++) {
            z[w] = 3 * r.nextGaussian();
            max = Math.max(max, z[w]);
          }
          double sum = 0;
          for (double x : z) {
            sum += Math.exp(x - max);
          }
          for (int w = 0; w < v; w++) {
            logProbs[p * v + w] = (float) (z[w] - max - Math.log(sum));
          }
        }
        float[] logits = new float[window * vs];
        float[] mask = new float[window];
        float[] sorted = new float[window * cross.kept()];
        float[] sortedMask = new float[window];
        cross.project(a, logProbs, 0, logits, mask, sorted, sortedMask, 0, 0, 0);

        byte[] text = student.decode(row).getBytes(StandardCharsets.UTF_8);
        int[] teacherIds = teacher.encode(student.decode(row));
        assertEquals(Arrays.toString(teacherIds), Arrays.toString(a.teacherIds()));
        int[] starts = new int[teacherIds.length + 1];
        for (int j = 0; j < teacherIds.length; j++) {
          starts[j + 1] = starts[j] + teacher.bytes(teacherIds[j]).length;
        }
        assertEquals(
            text.length, starts[teacherIds.length], "byte-level tokens give the text back");
        int offset = 0;
        for (int p = 0; p < window; p++) {
          offset += student.bytes(row[p]).length;
          int o = offset;
          // the token holding the next character: the last that starts at or before o
          int j = 0;
          while (j < teacherIds.length && starts[j + 1] <= o) {
            j++;
          }
          if (j == 0) {
            assertEquals(0f, mask[p], "position " + p + ": nothing predicts the first token");
            masked++;
            continue;
          }
          assertEquals(1f, mask[p], "position " + p);
          byte[] written = Arrays.copyOfRange(text, starts[j], o);
          double[] mass = new double[vs];
          double total = 0;
          for (int c = 0; c < vs; c++) {
            byte[] want = concat(written, student.bytes(c));
            for (int w = 0; w < v; w++) {
              byte[] tok = teacher.bytes(w);
              if (tok.length >= want.length
                  && Arrays.equals(tok, 0, want.length, want, 0, want.length)) {
                mass[c] += Math.exp(logProbs[(j - 1) * v + w]);
              }
            }
            total += mass[c];
          }
          double check = 0;
          for (int c = 0; c < vs; c++) {
            double q = (1 - CrossTokenizer.FLOOR) * mass[c] / total + CrossTokenizer.FLOOR / vs;
            assertEquals(Math.log(q), logits[p * vs + c], 1e-4, "position " + p + " char " + c);
            check += Math.exp(logits[p * vs + c]);
          }
          assertEquals(1, check, 1e-4, "a distribution at position " + p);
          assertEquals(written.length == 0 ? 1f : 0f, sortedMask[p], "position " + p);
          if (written.length == 0) {
            float[] probs = new float[v];
            for (int w = 0; w < v; w++) {
              probs[w] = (float) Math.exp(logProbs[(j - 1) * v + w]);
            }
            Arrays.sort(probs);
            for (int i = 0; i < cross.kept(); i++) {
              assertEquals(probs[v - 1 - i], sorted[p * cross.kept() + i], 1e-7f);
            }
          }
          checked++;
        }
      }
      assertTrue(checked > 80, "positions checked: " + checked);
      assertTrue(masked >= 1, "positions inside a window's first token are masked: " + masked);
    }
  }

  @Test
  void aCharacterTeacherIsReadBackAsItIs() {
    CharTokenizer student = new CharTokenizer(TEXT);
    Tokenizer teacher = new CharTokenizer(TEXT);
    CrossTokenizer cross = new CrossTokenizer(student, teacher, 64);
    int v = teacher.vocabularySize();
    int[] row = Arrays.copyOfRange(student.encode(TEXT), 100, 120);
    CrossTokenizer.Alignment a = cross.align(row);
    float[] logProbs = new float[row.length * v];
    SplittableRandom r = new SplittableRandom(5);
    for (int p = 0; p < row.length; p++) {
      double sum = 0;
      double[] e = new double[v];
      for (int w = 1; w < v; w++) {
        e[w] = Math.exp(2 * r.nextGaussian());
        sum += e[w];
      }
      for (int w = 0; w < v; w++) {
        logProbs[p * v + w] = (float) Math.log(Math.max(e[w] / sum, 1e-30));
      }
    }
    float[] logits = new float[row.length * v];
    float[] mask = new float[row.length];
    cross.project(
        a, logProbs, 0, logits, mask, new float[row.length * v], new float[row.length], 0, 0, 0);
    for (int p = 0; p < row.length; p++) {
      assertEquals(1f, mask[p], "every character is a teacher token: position " + p);
      for (int c = 1; c < v; c++) {
        // the character after position p is teacher token p + 1, predicted at teacher position p
        double want = (1 - CrossTokenizer.FLOOR) * Math.exp(logProbs[p * v + c]) + 1e-6 / v;
        assertEquals(Math.log(want), logits[p * v + c], 1e-4, "p " + p + " c " + c);
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
