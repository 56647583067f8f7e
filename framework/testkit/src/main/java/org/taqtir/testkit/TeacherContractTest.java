package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ModelShape;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;

/**
 * The checks every teacher adapter must pass, run the way the core uses a teacher: created once
 * with a long-lived manager, then {@code forward} on batches that live in per-batch managers,
 * before and while a student trains.
 *
 * <p>Checks: logits of shape {@code (B, classes)}, finite; determinism (the same batch twice gives
 * bitwise equal logits and taps); the teacher is never trained (called inside a gradient collector
 * on an input that requires a gradient, with a KD loss over its logits and taps, no gradient flows
 * back through it to that input, and the KD step that updates a student leaves the teacher's
 * outputs bitwise unchanged); every declared tap is returned with batch dimension {@code B}, and an
 * undeclared tap is refused; no leaks (after creation the teacher's manager is capped, so an array
 * it attached there during {@code forward} would fail, and the outputs are released with the batch
 * manager).
 *
 * <p>Subclass it in the plugin's tests: implement {@link #shape()} and {@link #create}; a teacher
 * of precomputed outputs ({@link Teacher#indexed()}) also overrides {@link #refs}.
 */
public abstract class TeacherContractTest {

  private NDManager root;

  /**
   * Returns the data shape the teacher is created for.
   *
   * @return input shape and class count
   */
  protected abstract ModelShape shape();

  /**
   * Creates the teacher under test; its model goes in {@code manager}.
   *
   * @param manager the long-lived manager a {@code TeacherContext} would give
   * @return a fresh teacher; the contract closes it
   */
  protected abstract Teacher create(NDManager manager);

  /**
   * Returns the rows of a batch of samples, for teachers that look outputs up by sample. Default:
   * {@code null} (the batch has no rows; a computing teacher ignores them).
   *
   * @param batch the batch number, 0 or 1
   * @param size the batch size
   * @return the rows, or null
   */
  protected SampleRefs refs(int batch, int size) {
    return null;
  }

  /**
   * Batch size of the checks. Default 6.
   *
   * @return batch size
   */
  protected int batchSize() {
    return 6;
  }

  @BeforeEach
  final void openManager() {
    root = NDManager.newBaseManager();
  }

  @AfterEach
  final void closeManager() {
    root.close();
  }

  /** A deterministic batch in [0, 1) of shape {@code (B, ...input)}. */
  private NDArray input(NDManager m, int batch) {
    long[] sample = shape().input().getShape();
    long[] dims = new long[sample.length + 1];
    dims[0] = batchSize();
    System.arraycopy(sample, 0, dims, 1, sample.length);
    Shape s = new Shape(dims);
    Random r = new Random(31 + batch);
    float[] v = new float[(int) s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextFloat();
    }
    return m.create(v, s);
  }

  private StepOutputs forward(Teacher t, NDArray x, int batch, Set<String> taps) {
    return t.forward(x, refs(batch, batchSize()), taps);
  }

  @Test
  void logitsHaveShapeBatchByClassesAndAreFinite() {
    try (Teacher t = create(root.newSubManager());
        NDManager batch = root.newSubManager()) {
      StepOutputs out = forward(t, input(batch, 0), 0, Set.of());
      assertEquals(new Shape(batchSize(), shape().numClasses()), out.logits().getShape());
      assertEquals(DataType.FLOAT32, out.logits().getDataType());
      for (float v : out.logits().toFloatArray()) {
        assertTrue(Float.isFinite(v), "non-finite teacher logit " + v);
      }
      assertEquals(64, t.fingerprint().length(), "fingerprint should be a SHA-256 in hex");
      assertFalse(t.describe().isBlank());
    }
  }

  @Test
  void sameInputGivesBitwiseEqualOutputs() {
    try (Teacher t = create(root.newSubManager());
        NDManager batch = root.newSubManager()) {
      Set<String> taps = Set.copyOf(t.taps());
      NDArray x = input(batch, 1);
      StepOutputs a = forward(t, x, 1, taps);
      StepOutputs b = forward(t, x.duplicate(), 1, taps);
      assertArrayEquals(a.logits().toFloatArray(), b.logits().toFloatArray());
      for (String tap : taps) {
        assertArrayEquals(a.feature(tap).toFloatArray(), b.feature(tap).toFloatArray(), tap);
      }
    }
  }

  @Test
  void declaredTapsArePresentAndUndeclaredOnesRefused() {
    try (Teacher t = create(root.newSubManager());
        NDManager batch = root.newSubManager()) {
      NDArray x = input(batch, 0);
      List<String> declared = t.taps();
      assertEquals(declared.size(), new LinkedHashSet<>(declared).size(), "duplicate tap names");
      StepOutputs all = forward(t, x, 0, Set.copyOf(declared));
      assertEquals(Set.copyOf(declared), all.features().keySet());
      for (String tap : declared) {
        assertEquals(batchSize(), all.feature(tap).getShape().get(0), tap);
      }
      assertThrows(
          IllegalArgumentException.class,
          () -> forward(t, x, 0, Set.of("no-such-tap")),
          "asking for an undeclared tap must fail");
    }
  }

  @Test
  void neverTrainedNoGradientReachesTheTeacher() {
    try (Teacher t = create(root.newSubManager());
        NDManager batch = root.newSubManager()) {
      NDArray x = input(batch, 0);
      float[] before = forward(t, x, 0, Set.of()).logits().toFloatArray();
      int flat = (int) (x.size() / batchSize());
      int classes = shape().numClasses();
      NDArray w = batch.randomNormal(0, 0.01f, new Shape(flat, classes), DataType.FLOAT32);
      w.setRequiresGradient(true);
      NDArray xg = x.duplicate();
      xg.setRequiresGradient(true);
      try (GradientCollector gc = x.getManager().getEngine().newGradientCollector()) {
        StepOutputs teacher = forward(t, xg, 0, Set.copyOf(t.taps()));
        NDArray student = x.reshape(batchSize(), flat).matMul(w);
        NDArray loss =
            teacher.logits().softmax(1).mul(student.logSoftmax(1)).sum().neg().add(w.sum());
        for (String tap : t.taps()) {
          loss = loss.add(teacher.feature(tap).sum());
        }
        gc.backward(loss);
      }
      for (float g : xg.getGradient().toFloatArray()) {
        assertEquals(
            0f, g, "a gradient flowed through the teacher's outputs: they are not detached");
      }
      float[] grad = w.getGradient().toFloatArray();
      boolean any = false;
      for (float g : grad) {
        any |= g != 0;
      }
      assertTrue(any, "the student received no gradient in the KD step");
      NDArray step = w.getGradient().duplicate();
      w.subi(step);
      assertArrayEquals(
          before,
          forward(t, x, 0, Set.of()).logits().toFloatArray(),
          "the teacher's outputs changed after a student's KD step");
    }
  }

  @Test
  void createsNoArraysInItsOwnManagerWhileRunning() {
    NDManager teacherManager = root.newSubManager();
    try (Teacher t = create(teacherManager)) {
      teacherManager.cap();
      NDArray logits;
      try (NDManager batch = root.newSubManager()) {
        for (int i = 0; i < 2; i++) {
          logits = forward(t, input(batch, i), i, Set.copyOf(t.taps())).logits();
          assertTrue(logits.getManager() == batch || isDescendant(logits.getManager(), batch));
        }
        logits = forward(t, input(batch, 0), 0, Set.of()).logits();
      } catch (IllegalStateException e) {
        fail("the teacher attached an array to its own manager while running: " + e.getMessage());
        return;
      }
      assertTrue(logits.isReleased(), "teacher outputs outlived the batch manager");
    } finally {
      teacherManager.close();
    }
  }

  private static boolean isDescendant(NDManager m, NDManager ancestor) {
    for (NDManager p = m; p != null; p = p.getParentManager()) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }
}
