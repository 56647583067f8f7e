package org.taqtir.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Prints the NumPy module that writes golden values in the format {@link GoldenLosses} reads, so a
 * plugin built outside Taqtir can generate its own:
 *
 * <pre>
 * java -cp taqtir-testkit-VERSION.jar org.taqtir.testkit.GoldenScript &gt; src/test/python/taqtir_golden.py
 * </pre>
 *
 * The module's docstring shows a complete generator.
 */
public final class GoldenScript {

  /** The module's path inside the testkit jar. */
  public static final String RESOURCE = "/org/taqtir/testkit/golden/taqtir_golden.py";

  private GoldenScript() {}

  /**
   * Writes the module to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (InputStream in = GoldenScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the testkit jar");
      }
      in.transferTo(System.out);
      System.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
