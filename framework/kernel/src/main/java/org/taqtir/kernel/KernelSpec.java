package org.taqtir.kernel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.core.train.JvmFlags;

/**
 * Writes the kernelspec ({@code kernels/taqtir/kernel.json}) that tells Jupyter how to start this
 * kernel, with absolute paths so it works from any directory.
 */
public final class KernelSpec {

  /** The kernel's name: the folder under {@code kernels/} and {@code --kernel taqtir}. */
  public static final String NAME = "taqtir";

  /** What Jupyter shows in its kernel menu. */
  public static final String DISPLAY_NAME = "Taqtir (Java)";

  private KernelSpec() {}

  /**
   * The JVM flags {@code bin/taqtir} starts Taqtir with (see docs/performance.md): serial GC and C1
   * only, bounded direct memory, DJL offline with a fixed thread count.
   *
   * @param threads PyTorch intra-op threads
   * @param home the Taqtir checkout, passed as {@code -Dtaqtir.home}, or null
   * @return the flags
   */
  public static List<String> jvmFlags(int threads, Path home) {
    return JvmFlags.forTraining(threads, home);
  }

  /**
   * The command Jupyter runs, ending with {@code {connection_file}}.
   *
   * @param java the java executable
   * @param flags JVM flags
   * @param classpath the kernel's launch classpath, absolute entries
   * @return the argv
   */
  public static List<String> argv(Path java, List<String> flags, String classpath) {
    List<String> argv = new ArrayList<>();
    argv.add(java.toAbsolutePath().toString());
    argv.addAll(flags);
    argv.add("-cp");
    argv.add(classpath);
    argv.add(KernelMain.class.getName());
    argv.add("{connection_file}");
    return argv;
  }

  /**
   * The {@code kernel.json} text.
   *
   * @param argv the command, see {@link #argv}
   * @return JSON
   */
  public static String json(List<String> argv) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", DISPLAY_NAME);
    spec.put("language", "java");
    spec.put("interrupt_mode", "message");
    // The training JVM's allocator (tcmalloc when installed, see JvmFlags.environment).
    // Only the installer's allocator choice is baked in, not the rest of its environment.
    String malloc = System.getenv("TAQTIR_MALLOC");
    Map<String, String> env =
        new java.util.TreeMap<>(
            JvmFlags.environment(malloc == null ? Map.of() : Map.of("TAQTIR_MALLOC", malloc)));
    spec.put("env", env);
    spec.put("metadata", Map.of("debugger", false));
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
  }

  /**
   * Writes {@code <kernels>/taqtir/kernel.json}.
   *
   * @param kernels a {@code kernels} folder (e.g. {@code ~/.local/share/jupyter/kernels}); created
   *     when missing
   * @param argv the command, see {@link #argv}
   * @return the kernelspec folder
   * @throws IOException when it cannot be written
   */
  public static Path write(Path kernels, List<String> argv) throws IOException {
    Path dir = kernels.resolve(NAME);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kernel.json"), json(argv));
    return dir;
  }
}
