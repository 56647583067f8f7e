package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a test's main class in a child JVM on the test classpath and returns what it printed. */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * Starts {@code java FLAGS -cp <test classpath> MAIN ARGS}, waits for it and requires exit 0.
   *
   * @param flags JVM flags
   * @param env variables added to the child's environment
   * @param main the class whose {@code main} runs
   * @param args its arguments
   * @param log where the child's stdout and stderr go
   * @param timeoutSeconds how long it may take
   * @return the child's output
   */
  public static String run(
      List<String> flags,
      Map<String, String> env,
      Class<?> main,
      List<String> args,
      Path log,
      long timeoutSeconds)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "child finished");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
