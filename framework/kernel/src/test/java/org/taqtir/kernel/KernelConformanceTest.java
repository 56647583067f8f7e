package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/python/test_taqtir_kernel.py} (every test of Debian's {@code
 * jupyter_kernel_test} plus the kernel's own protocol-level tests) against a kernelspec written to
 * a temporary {@code JUPYTER_PATH}, with this module's test classpath as the kernel's classpath.
 *
 * <p>Needs {@code /usr/bin/python3} with {@code jupyter_kernel_test} and {@code jupyter_client}
 * ({@code bin/test} installs them). Without them the test is skipped, unless the environment
 * variable {@code CI} is set: then it fails.
 */
class KernelConformanceTest {

  /** 12 tests of jupyter_kernel_test.KernelTests + 13 of TaqtirKernelBehaviour. */
  static final int EXPECTED_TESTS = 25;

  /** Debian's python, where the packages live; {@code -Dtaqtir.python=...} picks another. */
  static final String PYTHON = System.getProperty("taqtir.python", "/usr/bin/python3");

  @TempDir Path tmp;

  @Test
  void jupyterKernelTestAndProtocolTestsPass() throws Exception {
    requirePythonModules();
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(s -> !s.isBlank())
            .map(s -> Path.of(s).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    KernelSpec.write(
        tmp.resolve("kernels"), KernelSpec.argv(java, KernelSpec.jvmFlags(2, null), classpath));

    ProcessBuilder pb =
        new ProcessBuilder(PYTHON, "-m", "unittest", "-v", "test_taqtir_kernel")
            .directory(Path.of("src/test/python").toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("unittest.log").toFile());
    pb.environment().put("JUPYTER_PATH", tmp.toString());
    pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String log = Files.readString(tmp.resolve("unittest.log"), StandardCharsets.UTF_8);
    assertTrue(done, "the python tests did not finish in 10 minutes:\n" + log);
    assertEquals(0, p.exitValue(), log);
    assertTrue(log.contains("Ran " + EXPECTED_TESTS + " tests"), log);
    assertFalse(log.contains("skipped"), "no test may be skipped:\n" + log);
  }

  private static void requirePythonModules() throws IOException, InterruptedException {
    String why;
    if (!Files.isExecutable(Path.of(PYTHON))) {
      why = PYTHON + " is missing";
    } else {
      Process p =
          new ProcessBuilder(
                  PYTHON, "-c", "import jupyter_kernel_test, jupyter_client, zmq, jsonschema")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      why = p.waitFor() == 0 ? null : out.strip();
    }
    if (why == null) {
      return;
    }
    String msg =
        "the kernel conformance test needs "
            + PYTHON
            + " with jupyter_kernel_test and jupyter_client (apt-get install"
            + " python3-jupyter-kernel-test jupyter-client; bin/test installs them): "
            + why;
    if (System.getenv("CI") != null) {
      fail(msg);
    }
    Assumptions.abort(msg);
  }
}
