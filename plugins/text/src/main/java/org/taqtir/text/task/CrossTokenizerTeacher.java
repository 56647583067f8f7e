package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.api.TokenAlignment;

/**
 * A language-model teacher that reads its own tokenization, seen by character-level students
 * ({@code data.teacher_tokenizer}): given the students' windows it encodes their text its own way,
 * runs the teacher and returns its distributions re-scored at the students' characters ({@link
 * CrossTokenizer}) as logits, with the {@link TokenAlignment} taps beside them. Cached like any
 * teacher's outputs.
 *
 * <p>The study owns the teacher: closing this view leaves it open.
 */
final class CrossTokenizerTeacher implements Teacher {

  /** Windows per teacher forward pass. */
  static final int GROUP = 16;

  private final Teacher inner;
  private final CrossTokenizer cross;
  private final String studentFingerprint;

  CrossTokenizerTeacher(Teacher inner, CrossTokenizer cross, String studentFingerprint) {
    this.inner = inner;
    this.cross = cross;
    this.studentFingerprint = studentFingerprint;
  }

  @Override
  public StepOutputs forward(NDArray input, Set<String> taps) {
    for (String tap : taps) {
      if (!TokenAlignment.TAPS.contains(tap)) {
        throw new IllegalArgumentException(
            "teacher tap '"
                + tap
                + "': with data.teacher_tokenizer the students see the teacher through its"
                + " re-scored outputs and "
                + TokenAlignment.TAPS
                + ", not its own taps (they are positions of another tokenization)");
      }
    }
    NDManager m = input.getManager();
    int b = (int) input.getShape().get(0);
    int t = (int) input.getShape().get(1);
    int[] flat = input.toType(DataType.INT32, false).toIntArray();
    CrossTokenizer.Alignment[] aligned = new CrossTokenizer.Alignment[b];
    for (int i = 0; i < b; i++) {
      aligned[i] = cross.align(java.util.Arrays.copyOfRange(flat, i * t, (i + 1) * t));
    }
    // The windows' teacher tokens, padded at the end to the teacher's whole window (a causal
    // model's earlier outputs do not see the padding), run GROUP windows at a time (the last group
    // padded with empty rows): the teacher then always computes on arrays of one shape, so a
    // window's outputs are the same bits whichever batch it comes in, cached or per batch.
    int longest = cross.teacherWindow();
    float[] logProbs = null;
    int v = 0;
    for (int g = 0; g < b; g += GROUP) {
      int rows = Math.min(GROUP, b - g);
      int[] ids = new int[GROUP * longest];
      for (int i = 0; i < rows; i++) {
        int[] row = aligned[g + i].teacherIds();
        System.arraycopy(row, 0, ids, i * longest, row.length);
      }
      try (NDManager scope = m.newSubManager()) {
        NDArray x = scope.create(ids, new Shape(GROUP, longest));
        NDArray logits = inner.forward(x, Set.of()).logits();
        v = (int) logits.getShape().get(2);
        float[] part = logits.logSoftmax(2).toFloatArray();
        if (logProbs == null) {
          logProbs = new float[b * longest * v];
        }
        System.arraycopy(part, 0, logProbs, g * longest * v, rows * longest * v);
      }
    }
    int k = cross.kept();
    int studentVocabulary = cross.studentVocabulary();
    float[] out = new float[b * t * studentVocabulary];
    float[] mask = new float[b * t];
    float[] sorted = new float[b * t * k];
    float[] sortedMask = new float[b * t];
    for (int i = 0; i < b; i++) {
      cross.project(
          aligned[i],
          logProbs,
          i * longest * v,
          out,
          mask,
          sorted,
          sortedMask,
          i * t * studentVocabulary,
          i * t,
          i * t * k);
    }
    Map<String, NDArray> features = new LinkedHashMap<>();
    features.put(TokenAlignment.MASK, m.create(mask, new Shape(b, t)));
    features.put(TokenAlignment.SORTED, m.create(sorted, new Shape(b, t, k)));
    features.put(TokenAlignment.SORTED_MASK, m.create(sortedMask, new Shape(b, t)));
    return new StepOutputs(m.create(out, new Shape(b, t, studentVocabulary)), features);
  }

  @Override
  public List<String> taps() {
    return TokenAlignment.TAPS;
  }

  @Override
  public String fingerprint() {
    return inner.fingerprint() + ";re-scored-for=" + studentFingerprint;
  }

  @Override
  public String describe() {
    return inner.describe() + ", re-scored at the student's characters";
  }

  @Override
  public long parameterCount() {
    return inner.parameterCount();
  }

  @Override
  public void close() {
    // the study closes the teacher it wraps
  }
}
