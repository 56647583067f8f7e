package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/taqtir} refuses a {@code TAQTIR_PLUGIN_PATH} entry that does not exist with one line
 * and exit code 2, before it builds or starts anything, instead of running without the plugin.
 */
class PluginPathTest {

  @TempDir Path dir;

  private record Result(int code, String output) {}

  private Result taqtir(String pluginPath) throws IOException, InterruptedException {
    Path script = Path.of("../../bin/taqtir").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "list").redirectErrorStream(true);
    pb.environment().put("TAQTIR_PLUGIN_PATH", pluginPath);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  @Test
  void aMissingEntryIsAOneLineErrorWithExitCode2() throws Exception {
    Path missing = dir.resolve("acme-kd-1.0.jar");
    Result r = taqtir(dir + ":" + missing);
    assertEquals(2, r.code(), r.output());
    assertEquals(
        List.of("taqtir: TAQTIR_PLUGIN_PATH names '" + missing + "', which does not exist"),
        r.output().lines().toList());
  }

  @Test
  void aMissingWildcardFolderIsRefusedToo() throws Exception {
    Result r = taqtir(dir.resolve("gone") + "/*");
    assertEquals(2, r.code(), r.output());
    assertEquals(1, r.output().lines().count(), r.output());
  }
}
