package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The base of a teacher: write {@link #run}; the base owns what every teacher must do around it.
 *
 * <p>Both {@code forward} methods are final and go through one path: refuse a tap the teacher does
 * not have (naming those it has), refuse a batch without sample rows when the teacher is {@link
 * #indexed()}, call {@link #run}, and check that the logits have one row per sample. Teachers that
 * compute their logits outside DJL (ONNX Runtime, Tribuo, a file) return {@link #logits(NDArray,
 * float[], int)}: a new array in the input's manager, never in the teacher's own.
 */
public abstract class AbstractTeacher implements Teacher {

  private final String id;
  private final String fingerprint;
  private final String description;

  /**
   * Creates the teacher.
   *
   * @param id the provider's id, for messages (e.g. {@code "onnx"})
   * @param fingerprint {@link Teacher#fingerprint()}, e.g. from {@link Fingerprint}
   * @param description {@link Teacher#describe()}
   */
  protected AbstractTeacher(String id, String fingerprint, String description) {
    this.id = Objects.requireNonNull(id, "id");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    this.description = Objects.requireNonNull(description, "description");
  }

  @Override
  public final StepOutputs forward(NDArray input, Set<String> taps) {
    return forward(input, null, taps);
  }

  @Override
  public final StepOutputs forward(NDArray input, SampleRefs samples, Set<String> taps) {
    List<String> available = taps();
    for (String tap : taps) {
      if (!available.contains(tap)) {
        throw new IllegalArgumentException(
            id
                + " teacher has no tap '"
                + tap
                + "'; "
                + (available.isEmpty() ? "it has logits only" : "available: " + available));
      }
    }
    if (samples == null && indexed()) {
      throw new IllegalArgumentException(
          id
              + ": these samples have no row in the original data files (augmented or corrupted"
              + " copies?); precomputed outputs exist only for the original samples");
    }
    long rows = input.getShape().get(0);
    StepOutputs out = run(input, samples, taps);
    if (out.logits().getShape().dimension() < 2 || out.logits().getShape().get(0) != rows) {
      throw new IllegalStateException(
          id + " teacher returned logits " + out.logits().getShape() + " for a batch of " + rows);
    }
    return out;
  }

  /**
   * Runs the teacher on a batch, in inference mode.
   *
   * @param input a batch of shape {@code (B, ...input)}
   * @param samples the rows of the batch's samples in the original data files, or {@code null};
   *     never {@code null} when {@link #indexed()}
   * @param taps the taps to return, all among {@link #taps()}
   * @return detached outputs attached to {@code input}'s manager, one row per sample
   */
  protected abstract StepOutputs run(NDArray input, SampleRefs samples, Set<String> taps);

  /**
   * Wraps logits computed outside DJL as this batch's outputs.
   *
   * @param input the batch, whose manager receives the new array
   * @param values row-major {@code (B, classes)} logits
   * @param classes the number of classes
   * @return outputs with these logits and no taps, owned by the input's manager
   */
  protected static StepOutputs logits(NDArray input, float[] values, int classes) {
    long rows = input.getShape().get(0);
    if (values.length != rows * classes) {
      throw new IllegalStateException(
          values.length
              + " logits for a batch of "
              + rows
              + " samples and "
              + classes
              + " classes");
    }
    return new StepOutputs(input.getManager().create(values, new Shape(rows, classes)), Map.of());
  }

  /**
   * Returns the taps this teacher can return; none by default (logits only).
   *
   * @return tap names
   */
  @Override
  public List<String> taps() {
    return List.of();
  }

  @Override
  public final String fingerprint() {
    return fingerprint;
  }

  @Override
  public final String describe() {
    return description;
  }

  /** Frees the teacher's resources; nothing by default. */
  @Override
  public void close() {}
}
