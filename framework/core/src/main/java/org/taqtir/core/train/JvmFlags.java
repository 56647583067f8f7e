package org.taqtir.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags Taqtir starts a training JVM with ({@code bin/taqtir}, the Jupyter kernel, the
 * processes of a Spark sweep), measured to matter for DJL training on small machines (see
 * shared/ENVIRONMENT.md): serial GC and C1 only (C2 compiling the training loop starved libtorch's
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
}
