package org.taqtir.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to its end, with its wall time and its peak resident memory: the kernel's
 * high-water mark ({@code VmHWM} in {@code /proc/<pid>/status}), read every 20 ms while it runs
 * (the mark only grows, so the last reading is the peak up to at most 20 ms before exit).
 *
 * @param seconds start to exit
 * @param peakRssMb the last high-water mark read, MB
 */
record Timed(double seconds, double peakRssMb) {

  /**
   * Runs a command with its output in a log file; fails with the log's tail when it exits non-zero.
   *
   * @param command the command and its arguments
   * @param env variables added to this process's environment
   * @param log where its stdout and stderr go
   * @return its time and peak memory
   */
  static Timed run(List<String> command, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    long peakKb = 0;
    while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
      peakKb = Math.max(peakKb, highWaterKb(status));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      throw new IllegalStateException(
          Path.of(command.get(0)).getFileName()
              + " ... "
              + command.get(command.size() - 1)
              + " exited "
              + p.exitValue()
              + " ("
              + log
              + "):\n"
              + tail);
    }
    return new Timed(seconds, peakKb / 1024.0);
  }

  /** {@code VmHWM} in kB, or 0 when the process is gone or the file cannot be read. */
  static long highWaterKb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between the wait and the read
    }
    return 0;
  }
}
