package org.taqtir.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.taqtir.api.SampleRefs;

/**
 * A training split of which only some samples keep their label ({@code data.labelled}): the
 * semi-supervised setting of distillation, where a teacher trained on labels labels everything else
 * with its outputs. The unlabelled samples' targets read {@link #UNLABELLED}; the training loop
 * gives them an all-zero one-hot row, so a label term (cross-entropy with the one-hot labels) adds
 * nothing for them while a teacher term sees every sample.
 *
 * <p>The rows, their order and their inputs are the wrapped split's, so the teacher-output cache
 * computed on that split lines up row for row.
 */
public final class PartlyLabelled implements Samples {

  /** The target of a sample whose label is withheld. */
  public static final int UNLABELLED = -1;

  private final Dataset all;
  private final int[] labelled;
  private final int[] targets;
  private String hash;

  private PartlyLabelled(Dataset all, int[] labelled) {
    this.all = all;
    this.labelled = labelled;
    int[] t = new int[all.size()];
    Arrays.fill(t, UNLABELLED);
    int[] y = all.labels();
    for (int i : labelled) {
      t[i] = y[i];
    }
    this.targets = t;
  }

  /**
   * Keeps the labels of some rows of a split.
   *
   * @param all the split, every label known
   * @param labelled the rows that keep their label (from {@link #choose})
   * @return the split with the other labels withheld
   */
  public static PartlyLabelled of(Dataset all, int[] labelled) {
    return new PartlyLabelled(all, labelled.clone());
  }

  /**
   * Chooses which rows keep their label: the same number from every class (the first {@code n mod
   * C} classes one more), each class's rows drawn by a seeded permutation, returned in row order.
   *
   * @param labels the class of each row
   * @param classes C
   * @param n rows to keep, in [1, labels.length)
   * @param seed the draw's seed
   * @param field the study option asking for them, for messages
   * @return the chosen rows, ascending
   * @throws IllegalArgumentException naming the class when one has fewer rows than its share
   */
  public static int[] choose(int[] labels, int classes, int n, long seed, String field) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[n];
    int k = 0;
    for (int c = 0; c < classes; c++) {
      List<Integer> rows = byClass.get(c);
      int share = n / classes + (c < n % classes ? 1 : 0);
      if (share > rows.size()) {
        throw new IllegalArgumentException(
            field
                + " "
                + n
                + " needs "
                + share
                + " labelled samples of class "
                + c
                + " and the training split has "
                + rows.size()
                + "; ask for fewer");
      }
      int[] perm = Shuffle.permutation(rows.size(), random);
      for (int j = 0; j < share; j++) {
        out[k++] = rows.get(perm[j]);
      }
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * Returns the rows that keep their label.
   *
   * @return ascending row indices (a copy)
   */
  public int[] labelledRows() {
    return labelled.clone();
  }

  /**
   * The labelled samples alone, repeated in turn until they are as many as the whole split: what a
   * label-only method trains on, so that its epoch takes as many steps as a method that reads the
   * teacher on every sample (the training loop shuffles each epoch).
   *
   * @return a copy of {@code size()} rows cycling through the labelled ones
   */
  public Dataset labelledCycled() {
    int[] rows = new int[all.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = labelled[i % labelled.length];
    }
    return all.subset(rows);
  }

  @Override
  public int size() {
    return all.size();
  }

  @Override
  public long[] sampleDims() {
    return all.sampleDims();
  }

  @Override
  public int numClasses() {
    return all.numClasses();
  }

  @Override
  public NDArray residentInputs(NDManager manager) {
    return all.residentInputs(manager);
  }

  @Override
  public NDArray inputs(NDManager manager, int from, int to) {
    return all.inputs(manager, from, to);
  }

  /** The labels, {@link #UNLABELLED} for the rows whose label is withheld. */
  @Override
  public int[] targets() {
    return targets;
  }

  @Override
  public String contentHash() {
    String h = hash;
    if (h == null) {
      h = Hashes.sha256(all.contentHash() + ";labelled=" + Arrays.toString(labelled));
      hash = h;
    }
    return h;
  }

  @Override
  public SampleRefs refs(int from, int to) {
    return all.refs(from, to);
  }
}
