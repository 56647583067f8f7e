package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {

  @TempDir Path tmp;

  @Test
  void writesAbsolutePathsAndTheConnectionFilePlaceholder() throws Exception {
    Path dir =
        KernelSpec.write(
            tmp.resolve("kernels"),
            KernelSpec.argv(
                Path.of("/usr/bin/java"), KernelSpec.jvmFlags(3, tmp), "/a/cli.jar:/a/lib/*"));
    assertEquals(tmp.resolve("kernels/taqtir"), dir);
    JsonObject spec =
        JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
    var argv = spec.getAsJsonArray("argv");
    assertEquals("/usr/bin/java", argv.get(0).getAsString());
    assertEquals("{connection_file}", argv.get(argv.size() - 1).getAsString());
    assertEquals(KernelMain.class.getName(), argv.get(argv.size() - 2).getAsString());
    assertEquals("/a/cli.jar:/a/lib/*", argv.get(argv.size() - 3).getAsString());
    assertTrue(argv.toString().contains("-Dai.djl.pytorch.num_threads=3"), argv.toString());
    assertTrue(argv.toString().contains("-Dtaqtir.home=" + tmp), argv.toString());
    assertEquals("Taqtir (Java)", spec.get("display_name").getAsString());
    assertEquals("java", spec.get("language").getAsString());
    assertEquals("message", spec.get("interrupt_mode").getAsString());
  }
}
