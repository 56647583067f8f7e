package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-256 recorded next to a weights file catches a byte that changed after it was written. */
class WeightFilesTest {

  @TempDir Path dir;

  @Test
  void aFlippedByteIsCaughtAndNamed() throws Exception {
    Path w = dir.resolve("student-0000.params");
    byte[] bytes = new byte[4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    Files.write(w, bytes);
    assertEquals(WeightFiles.Check.UNRECORDED, WeightFiles.check(w));
    WeightFiles.record(w);
    assertEquals(
        WeightFiles.sha256(w) + "  student-0000.params\n",
        Files.readString(dir.resolve("student-0000.params.sha256")),
        "sha256sum's format, so sha256sum -c checks it too");
    assertEquals(WeightFiles.Check.MATCHES, WeightFiles.check(w));
    WeightFiles.verify(w, "the saved weights");

    bytes[2000] ^= 0x10;
    Files.write(w, bytes);
    assertEquals(WeightFiles.Check.DIFFERS, WeightFiles.check(w));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> WeightFiles.verify(w, "the saved weights"));
    assertEquals(
        w
            + ": the saved weights do not match the SHA-256 recorded in"
            + " student-0000.params.sha256 when they were written; the file was damaged or"
            + " replaced since",
        e.getMessage());
  }
}
