package org.taqtir.core.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a weights file, recorded next to it when it is written ({@code
 * student-0000.params.sha256}, in {@code sha256sum} format, so {@code sha256sum -c} checks it too)
 * and verified before the weights are used again: DJL loads a file whose bytes changed without
 * complaint, and a flipped byte in a weight is a silently different model.
 */
public final class WeightFiles {

  /** Suffix of the digest file next to a weights file. */
  public static final String SUFFIX = ".sha256";

  private WeightFiles() {}

  /** What the recorded digest says about a weights file. */
  public enum Check {
    /** The file's SHA-256 is the recorded one. */
    MATCHES,
    /** No digest was recorded (weights written before digests, or by another tool). */
    UNRECORDED,
    /** The file's bytes changed since the digest was recorded. */
    DIFFERS
  }

  /**
   * Records a weights file's SHA-256 next to it (written to a temporary file and renamed).
   *
   * @param weights the weights file
   */
  public static void record(Path weights) {
    Path sidecar = sidecar(weights);
    Path tmp = sidecar.resolveSibling(sidecar.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, sha256(weights) + "  " + weights.getFileName() + "\n");
      Files.move(tmp, sidecar, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + sidecar + ": " + e.getMessage(), e);
    }
  }

  /**
   * Compares a weights file with its recorded SHA-256.
   *
   * @param weights the weights file
   * @return whether it matches, differs, or has no recorded digest
   */
  public static Check check(Path weights) {
    Path sidecar = sidecar(weights);
    if (!Files.isRegularFile(sidecar)) {
      return Check.UNRECORDED;
    }
    try {
      String recorded = Files.readString(sidecar, StandardCharsets.UTF_8).strip().split("\\s+")[0];
      return recorded.equalsIgnoreCase(sha256(weights)) ? Check.MATCHES : Check.DIFFERS;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sidecar + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a weights file whose bytes differ from its recorded SHA-256.
   *
   * @param weights the weights file
   * @param what what the weights are, for the message (e.g. {@code "the student's weights"})
   * @throws IllegalArgumentException naming the file when it differs
   */
  public static void verify(Path weights, String what) {
    if (check(weights) == Check.DIFFERS) {
      throw new IllegalArgumentException(differs(weights, what));
    }
  }

  /**
   * The one-line message for weights that differ from their recorded digest.
   *
   * @param weights the weights file
   * @param what what the weights are
   * @return the message, starting with the file
   */
  public static String differs(Path weights, String what) {
    return weights
        + ": "
        + what
        + " do not match the SHA-256 recorded in "
        + sidecar(weights).getFileName()
        + " when they were written; the file was damaged or replaced since";
  }

  /**
   * Returns the digest file of a weights file.
   *
   * @param weights the weights file
   * @return {@code <weights>.sha256}
   */
  public static Path sidecar(Path weights) {
    return weights.resolveSibling(weights.getFileName() + SUFFIX);
  }

  /**
   * Computes a file's SHA-256.
   *
   * @param file the file
   * @return 64 lower-case hex digits
   */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
