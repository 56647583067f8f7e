package org.taqtir.teacher.outputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads files written by NumPy itself (fixtures/make_npy_fixtures.py). */
class NpyReaderTest {

  static Path fixture(String name) {
    try {
      return Path.of(NpyReaderTest.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static float[] expected() throws Exception {
    JsonObject o =
        JsonUtils.GSON.fromJson(Files.readString(fixture("outputs.json")), JsonObject.class);
    JsonArray rows = o.getAsJsonArray("values");
    float[] v = new float[12];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        v[r * 4 + c] = rows.get(r).getAsJsonArray().get(c).getAsFloat();
      }
    }
    return v;
  }

  @Test
  void readsFloat32AndFloat64InFormatVersions1And2() throws Exception {
    float[] e = expected();
    for (String f : new String[] {"outputs-f4.npy", "outputs-f8.npy", "outputs-f8-v2.npy"}) {
      NpyReader.Matrix m = NpyReader.read(fixture(f));
      assertEquals(3, m.rows(), f);
      assertEquals(4, m.cols(), f);
      assertArrayEquals(e, m.values(), f);
    }
  }

  @Test
  void refusesWhatItCannotReadInOneLineNamingTheFieldAndWhatIsAllowed() {
    assertTrue(
        error("outputs-big-endian.npy")
            .endsWith(
                "outputs-big-endian.npy: dtype '>f4' is not supported; allowed: little-endian"
                    + " float32 ('<f4') or float64 ('<f8') (numpy: a.astype('<f4'))"));
    assertTrue(error("outputs-int.npy").contains("dtype '<i8' is not supported"));
    assertTrue(error("outputs-fortran.npy").contains("fortran_order is True; allowed: False"));
    assertTrue(
        error("outputs-3d.npy").contains("shape has 3 dimensions (2, 2, 2); allowed: 2"),
        error("outputs-3d.npy"));
    assertTrue(error("outputs.json").contains("not a NumPy .npy file"));
    assertEquals(
        "x.npy: .npy format version 9 is not supported; allowed: 1, 2, 3",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    NpyReader.parse(
                        "x.npy", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0}))
            .getMessage());
  }

  @Test
  void refusesTruncatedData() throws Exception {
    byte[] full = Files.readAllBytes(fixture("outputs-f4.npy"));
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 4);
    String m =
        assertThrows(IllegalArgumentException.class, () -> NpyReader.parse("cut.npy", cut))
            .getMessage();
    assertEquals("cut.npy: shape (3, 4) needs 48 bytes of data, found 44", m);
  }

  private static String error(String name) {
    return assertThrows(IllegalArgumentException.class, () -> NpyReader.read(fixture(name)))
        .getMessage();
  }
}
