package org.taqtir.core.data;

import java.nio.file.Path;
import java.util.Arrays;

/** Builds a {@link Dataset} from a pair of IDX image and label files. */
public final class IdxDataset {

  private IdxDataset() {}

  /**
   * Loads images and labels whose class count is not known in advance: it is taken as the largest
   * label plus one.
   *
   * @param images the image file
   * @param labels the label file
   * @return the data set, sample shape {@code {1, rows, cols}}
   * @throws IllegalArgumentException when a file is bad or the counts differ
   */
  public static Dataset load(Path images, Path labels) {
    return load(images, labels, 0);
  }

  /**
   * Loads images (kept as bytes; feature value = pixel / 255) and labels.
   *
   * @param images the image file
   * @param labels the label file
   * @param classes number of classes; every label must be below it (0: the largest label + 1)
   * @return the data set, sample shape {@code {1, rows, cols}}
   * @throws IllegalArgumentException when a file is bad or the counts differ
   */
  public static Dataset load(Path images, Path labels, int classes) {
    if (classes < 0) {
      throw new IllegalArgumentException("classes must be >= 0, found " + classes);
    }
    IdxImages img = IdxReader.readImages(images);
    int[] lab = IdxReader.readLabels(labels);
    if (img.count() != lab.length) {
      throw new IllegalArgumentException(
          images.getFileName()
              + " has "
              + img.count()
              + " images but "
              + labels.getFileName()
              + " has "
              + lab.length
              + " labels");
    }
    int c = classes > 0 ? classes : Arrays.stream(lab).max().orElse(0) + 1;
    for (int i = 0; i < lab.length; i++) {
      if (lab[i] >= c) {
        throw new IllegalArgumentException(
            labels.getFileName()
                + ": label of sample "
                + i
                + " must be < "
                + c
                + ", found "
                + lab[i]);
      }
    }
    return Dataset.ofPixels(img.pixels(), lab, new int[] {1, img.rows(), img.cols()}, c);
  }
}
