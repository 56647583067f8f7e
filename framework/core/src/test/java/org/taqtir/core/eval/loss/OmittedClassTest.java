package org.taqtir.core.eval.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The omitted-class bias rule on cases worked out by hand in the comments. */
class OmittedClassTest {

  /** Three classes, class 2 omitted. */
  private static final float[] STUDENT_VAL = {
    // t_i = max(z0, z1) − z2 per row
    3, 0, 1, // t = 2
    0, 4, 0, // t = 4
    1, 0, 0.5f, // t = 0.5
    0, 2, 1, // t = 1
    5, 0, 0, // t = 5
  };

  private static float[] teacherPredicting(int... classes) {
    float[] t = new float[classes.length * 3];
    for (int i = 0; i < classes.length; i++) {
      t[i * 3 + classes[i]] = 1;
    }
    return t;
  }

  @Test
  void biasIsTheMidpointBetweenTheMthAndNextSwitchingThreshold() {
    // sorted thresholds: 0.5, 1, 2, 4, 5
    // the teacher predicts class 2 on two rows (m = 2): b = (1 + 2) / 2 = 1.5
    float[] teacher = teacherPredicting(2, 0, 2, 1, 0);
    assertEquals(1.5, OmittedClass.matchFrequencyBias(STUDENT_VAL, teacher, 3, 2), 1e-12);
    // m = 1: (0.5 + 1) / 2 = 0.75; m = 4: (4 + 5) / 2 = 4.5
    assertEquals(
        0.75, OmittedClass.matchFrequencyBias(STUDENT_VAL, teacherPredicting(2, 0, 0, 0, 0), 3, 2));
    assertEquals(
        4.5, OmittedClass.matchFrequencyBias(STUDENT_VAL, teacherPredicting(2, 2, 2, 2, 0), 3, 2));
    // m = 0: one below the smallest threshold (0.5 − 1), so no row switches; m = N: 5 + 1
    assertEquals(
        -0.5, OmittedClass.matchFrequencyBias(STUDENT_VAL, teacherPredicting(0, 0, 1, 1, 0), 3, 2));
    assertEquals(
        6.0, OmittedClass.matchFrequencyBias(STUDENT_VAL, teacherPredicting(2, 2, 2, 2, 2), 3, 2));
  }

  @Test
  void theCorrectedStudentPredictsTheClassAsOftenAsTheTeacherOnValidation() {
    for (int m = 0; m <= 5; m++) {
      int[] classes = new int[5];
      for (int i = 0; i < m; i++) {
        classes[i] = 2;
      }
      float[] teacher = teacherPredicting(classes);
      double b = OmittedClass.matchFrequencyBias(STUDENT_VAL, teacher, 3, 2);
      Predictions after = Predictions.of(OmittedClass.withBias(STUDENT_VAL, 3, 2, b), 3, 1);
      int count = 0;
      for (int a : after.argmax()) {
        count += a == 2 ? 1 : 0;
      }
      assertEquals(m, count, "teacher count " + m + ", bias " + b);
    }
  }

  @Test
  void withBiasChangesOnlyTheOmittedColumnAndNotItsInput() {
    float[] z = {1, 2, 3, 4, 5, 6};
    assertArrayEquals(new float[] {1, 2, 3.5f, 4, 5, 6.5f}, OmittedClass.withBias(z, 3, 2, 0.5));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, z);
  }

  @Test
  void probeMeasuresTheClassAndOverallAccuracyBeforeAndAfter() {
    // Validation: the teacher predicts class 2 on two rows, so b = 1.5 (case above).
    float[] teacherVal = teacherPredicting(2, 0, 2, 1, 0);
    // Test, labels {2, 2, 0, 1}; rows' t = max(z0, z1) − z2: 1, 3, −, −
    float[] test = {
      1, 0, 0, // label 2, t = 1: switches to 2 at b = 1.5 (right after)
      3, 0, 0, // label 2, t = 3: stays 0 (wrong before and after)
      2, 0, 0, // label 0, t = 2: stays 0 (right)
      0, 1, 0.2f, // label 1, t = 0.8: switches to 2 (right before, wrong after)
    };
    int[] labels = {2, 2, 0, 1};
    OmittedClass.Probe p = OmittedClass.probe(STUDENT_VAL, teacherVal, test, labels, 3, 2);
    assertEquals(1.5, p.bias(), 1e-12);
    assertEquals(0.4, p.teacherValFrequency(), 1e-12);
    // before: no validation row predicts 2 (every t > 0); after: rows with t < 1.5, i.e. 2 of 5
    assertEquals(0.0, p.valFrequency(), 1e-12);
    assertEquals(0.4, p.valFrequencyCorrected(), 1e-12);
    assertEquals(0.0, p.classAcc(), 1e-12);
    assertEquals(0.5, p.classAccCorrected(), 1e-12);
    assertEquals(0.5, p.acc(), 1e-12); // rows 3 and 4 right
    assertEquals(0.5, p.accCorrected(), 1e-12); // rows 1 and 3 right
  }
}
