package org.taqtir.core.study;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.taqtir.api.Teacher;
import org.taqtir.core.run.TeacherSummary;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.task.TeacherEvaluation;
import org.taqtir.core.teacher.TeacherOutputCache;
import org.taqtir.core.train.TeacherSignal;

/**
 * The teacher of a study run once it is ready: trained or reused or loaded, its outputs on the
 * transfer set cached (with the taps the strategies read), its evaluation done. Owns the teacher
 * and its manager; {@link #close()} frees them. A study whose methods need no teacher gets {@link
 * #NONE}.
 */
public final class TeacherStage implements AutoCloseable {

  /** No teacher: every method learns from the labels alone. */
  public static final TeacherStage NONE =
      new TeacherStage(null, null, null, null, null, null, null);

  private final NDManager manager;
  private final Teacher teacher;
  private final TeacherOutputCache cache;
  private final TeacherSignal signal;
  private final TeacherSummary summary;
  private final TeacherEvaluation evaluation;
  private final TaskData data;

  TeacherStage(
      NDManager manager,
      Teacher teacher,
      TeacherOutputCache cache,
      TeacherSignal signal,
      TeacherSummary summary,
      TeacherEvaluation evaluation,
      TaskData data) {
    this.manager = manager;
    this.teacher = teacher;
    this.cache = cache;
    this.signal = signal;
    this.summary = summary;
    this.evaluation = evaluation;
    this.data = data;
  }

  /**
   * Returns the teacher.
   *
   * @return the frozen teacher, or null for {@link #NONE}
   */
  public Teacher teacher() {
    return teacher;
  }

  /**
   * Returns where the students' training loop reads the teacher's outputs.
   *
   * @return cached outputs on the transfer set, or the live teacher; null for {@link #NONE}
   */
  public TeacherSignal signal() {
    return signal;
  }

  /**
   * Returns the teacher's summary for tables and the run store.
   *
   * @return the summary, or null
   */
  public TeacherSummary summary() {
    return summary;
  }

  /**
   * Returns the task's evaluation of the teacher.
   *
   * @return the evaluation, or null
   */
  public TeacherEvaluation evaluation() {
    return evaluation;
  }

  /**
   * Returns the teacher's logits on the transfer set (for students fitted to them).
   *
   * @return row-major logits
   */
  public float[] transferLogits() {
    return cache.get(teacher, data.train(), Set.of(), manager).logits();
  }

  /**
   * Returns the teacher's logits on new rows of features (MUNGE's synthetic transfer samples).
   *
   * @param width values per row
   * @return the function
   */
  public UnaryOperator<float[]> on(int width) {
    return x -> {
      if (teacher.indexed()) {
        throw new IllegalArgumentException(
            "munge: the teacher looks its outputs up by sample row and cannot label synthetic"
                + " samples; set the student's munge to 0");
      }
      try (NDManager m = manager.newSubManager()) {
        NDArray in = m.create(x, new Shape(x.length / width, width));
        NDArray logits = teacher.forward(in, null, Set.of()).logits();
        logits.attach(m);
        return logits.toFloatArray();
      }
    };
  }

  /** Cached outputs on the transfer set as the training loop reads them. */
  static TeacherSignal cached(TeacherOutputCache.Entry train, int classes) {
    Map<String, ByteBuffer> features = new LinkedHashMap<>(train.outputs());
    features.remove(TeacherOutputCache.LOGITS);
    return new TeacherSignal.Cached(train.logits(), classes, features, train.shapes());
  }

  @Override
  public void close() {
    if (teacher != null) {
      teacher.close();
    }
    if (manager != null) {
      manager.close();
    }
  }
}
