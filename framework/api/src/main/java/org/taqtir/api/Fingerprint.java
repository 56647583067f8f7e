package org.taqtir.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over what determines a teacher's outputs (weight files, preprocessing, the data it was
 * fitted on), for {@link Teacher#fingerprint()}: equal fingerprints must mean equal outputs, so
 * feed it everything that could change them.
 *
 * <pre>{@code
 * String fp = Fingerprint.sha256().file(model).text("mean=" + mean + ";std=" + std).hex();
 * }</pre>
 */
public final class Fingerprint {

  private final MessageDigest digest;

  private Fingerprint() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /**
   * Starts an empty digest.
   *
   * @return the digest
   */
  public static Fingerprint sha256() {
    return new Fingerprint();
  }

  /**
   * Adds text, as UTF-8.
   *
   * @param text the text
   * @return this digest
   */
  public Fingerprint text(String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /**
   * Adds a file's bytes.
   *
   * @param file the file
   * @return this digest
   * @throws IllegalArgumentException when the file cannot be read, naming it
   */
  public Fingerprint file(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
    return this;
  }

  /**
   * Finishes the digest.
   *
   * @return 64 lower-case hex digits; the digest is reset
   */
  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
