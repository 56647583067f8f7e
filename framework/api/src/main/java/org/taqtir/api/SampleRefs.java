package org.taqtir.api;

import java.util.Objects;

/**
 * Which samples a batch holds, named by their row in the study's original data files, so a teacher
 * whose outputs were computed elsewhere (a logits file from another stack) can look them up.
 *
 * <p>Index space: row {@code i} of source {@value #TRAIN} is the {@code i}-th sample of the
 * training file in file order (for Fashion-MNIST, {@code train-images-idx3-ubyte}), before any
 * shuffling, validation split or limit; source {@value #TEST} likewise numbers the test file. Both
 * the training and the validation split draw from {@value #TRAIN}.
 *
 * @param source {@value #TRAIN} or {@value #TEST}
 * @param indices one row index per sample of the batch, in batch order (not copied: do not modify)
 */
public record SampleRefs(String source, int[] indices) {

  /** The training file: the source of the training and validation splits. */
  public static final String TRAIN = "train";

  /** The test file. */
  public static final String TEST = "test";

  /** Checks that neither component is {@code null}. */
  public SampleRefs {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(indices, "indices");
  }
}
