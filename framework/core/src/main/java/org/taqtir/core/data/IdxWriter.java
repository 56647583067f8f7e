package org.taqtir.core.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX image and label files, raw or gzip-compressed; used to make test data sets. */
public final class IdxWriter {

  private IdxWriter() {}

  /**
   * Writes images.
   *
   * @param file the target file
   * @param images the images
   * @param gzip whether to gzip the file
   */
  public static void writeImages(Path file, IdxImages images, boolean gzip) {
    try (DataOutputStream out = open(file, gzip)) {
      out.writeInt(IdxReader.IMAGES_MAGIC);
      out.writeInt(images.count());
      out.writeInt(images.rows());
      out.writeInt(images.cols());
      out.write(images.pixels());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes labels.
   *
   * @param file the target file
   * @param labels labels in 0..255
   * @param gzip whether to gzip the file
   */
  public static void writeLabels(Path file, int[] labels, boolean gzip) {
    try (DataOutputStream out = open(file, gzip)) {
      out.writeInt(IdxReader.LABELS_MAGIC);
      out.writeInt(labels.length);
      for (int l : labels) {
        out.writeByte(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static DataOutputStream open(Path file, boolean gzip) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    OutputStream raw = Files.newOutputStream(file);
    if (gzip) {
      raw = new GZIPOutputStream(raw, 1 << 16);
    }
    return new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
  }
}
