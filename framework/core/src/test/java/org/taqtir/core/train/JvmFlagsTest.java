package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

  private static Path installed() {
    return JvmFlags.TCMALLOC.stream().filter(Files::isReadable).findFirst().orElse(null);
  }

  @Test
  void preloadsTcmallocWhenInstalledAndKeepsTheParentsPreload() {
    Path lib = installed();
    Map<String, String> env = JvmFlags.environment(Map.of("LD_PRELOAD", "/opt/other.so"));
    if (lib == null) {
      assertEquals(Map.of(), env, "no tcmalloc on this machine: glibc's malloc, nothing to add");
      return;
    }
    assertEquals(lib + ":/opt/other.so", env.get("LD_PRELOAD"));
    assertTrue(env.containsKey("TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD"));
    // Already preloaded (a child of bin/taqtir): not added twice.
    assertEquals(
        lib.toString(),
        JvmFlags.environment(Map.of("LD_PRELOAD", lib.toString())).get("LD_PRELOAD"));
  }

  @Test
  void glibcOptsOut() {
    assertEquals(Map.of(), JvmFlags.environment(Map.of("TAQTIR_MALLOC", "glibc")));
  }
}
