package org.taqtir.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM flags Taqtir starts a training JVM with ({@code bin/taqtir}, the Jupyter kernel, the
 * processes of a Spark sweep), measured to matter for DJL training on small machines (see
 * docs/performance.md): serial GC and C1 only (C2 compiling the training loop starved libtorch's
 * threads), bounded direct memory, DJL offline with a fixed thread count.
 */
public final class JvmFlags {

  private JvmFlags() {}

  /**
   * Returns the flags.
   *
   * @param threads PyTorch intra-op threads
   * @param home the Taqtir checkout, passed as {@code -Dtaqtir.home}, or null
   * @return a new, modifiable list
   */
  public static List<String> forTraining(int threads, Path home) {
    List<String> f =
        new ArrayList<>(
            List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:MaxDirectMemorySize=2g",
                "-Xmx3g",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error"));
    if (home != null) {
      f.add("-Dtaqtir.home=" + home.toAbsolutePath().normalize());
    }
    return f;
  }

  /** Where Debian's {@code libtcmalloc-minimal4} puts the library, per architecture. */
  static final List<Path> TCMALLOC =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"),
          Path.of("/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4"));

  /**
   * The environment a training JVM starts with: tcmalloc preloaded as libtorch's allocator when
   * Debian's {@code libtcmalloc-minimal4} is installed (and {@code TAQTIR_MALLOC} is not {@code
   * glibc}). With glibc's malloc, steps that allocate and free tensors of a few to tens of MB
   * fragment the heap: one CRD epoch (16.8 MB logits per step) grew the process to 7.5 GB, and a
   * long study to 9.6 GB, where tcmalloc stays at 0.85 GB and is as fast (glibc with a fixed mmap
   * threshold, or jemalloc, also stayed flat but doubled the epoch time by page-faulting every
   * large tensor); measured in docs/performance.md. {@code bin/taqtir} does the same in shell.
   *
   * @param inherited the parent's environment (its {@code LD_PRELOAD} is kept, after tcmalloc)
   * @return variables to add to a child process's environment; empty when tcmalloc is missing
   */
  public static Map<String, String> environment(Map<String, String> inherited) {
    if ("glibc".equals(inherited.get("TAQTIR_MALLOC"))) {
      return Map.of();
    }
    for (Path lib : TCMALLOC) {
      if (Files.isReadable(lib)) {
        String before = inherited.getOrDefault("LD_PRELOAD", "");
        String preload =
            before.contains(lib.toString())
                ? before
                : before.isBlank() ? lib.toString() : lib + ":" + before;
        // tcmalloc reports every allocation above 1 GB on stderr; the JVM's are intended.
        return Map.of(
            "LD_PRELOAD", preload, "TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD", "1099511627776");
      }
    }
    return Map.of();
  }
}
