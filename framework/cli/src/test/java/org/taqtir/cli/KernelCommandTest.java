package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCommandTest {

  @TempDir Path tmp;

  @Test
  void installWritesAKernelspecWithAbsolutePaths() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {"kernel", "install", "--dir", tmp.toString()},
            new PrintWriter(out),
            new PrintWriter(err));
    assertEquals(0, code, err.toString());
    String json = Files.readString(tmp.resolve("kernels/taqtir/kernel.json"));
    assertTrue(json.contains("\"org.taqtir.kernel.KernelMain\""), json);
    assertTrue(json.contains("\"{connection_file}\""), json);
    assertTrue(json.contains("\"-Dai.djl.offline=true\""), json);
    assertTrue(json.contains("\"display_name\": \"Taqtir (Java)\""), json);
    String cp = json.substring(json.indexOf("\"-cp\",") + 6).strip();
    cp = cp.substring(1, cp.indexOf('"', 1));
    for (String entry : cp.split(":")) {
      assertTrue(Path.of(entry).isAbsolute(), entry);
    }
    assertTrue(out.toString().contains("jupyter notebook"), out.toString());
  }

  @Test
  void userAndDirAreExclusive() {
    int code =
        Main.execute(
            new String[] {"kernel", "install", "--user", "--dir", tmp.toString()},
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    assertEquals(Main.BAD_INPUT, code);
  }
}
