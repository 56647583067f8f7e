package org.taqtir.cli;

import java.io.File;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.taqtir.kernel.KernelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taqtir kernel install}: writes the Jupyter kernelspec of the Taqtir kernel. */
@Command(
    name = "kernel",
    mixinStandardHelpOptions = true,
    description = "The Taqtir Jupyter kernel (Java cells through JShell).",
    subcommands = {KernelCommand.Install.class})
final class KernelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Writes {@code kernels/taqtir/kernel.json} with absolute paths to this installation. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description =
          "Install the kernelspec 'taqtir' (default: --user). It starts java with the same flags"
              + " and classpath as bin/taqtir, so every plugin is available in notebooks.")
  static final class Install implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true)
    Where where;

    static final class Where {
      @Option(
          names = "--user",
          description = "into the user's Jupyter data dir (~/.local/share/jupyter/kernels)")
      boolean user;

      @Option(
          names = "--prefix",
          paramLabel = "DIR",
          description = "into DIR/share/jupyter/kernels (e.g. a virtualenv or /usr/local)")
      Path prefix;

      @Option(
          names = "--dir",
          paramLabel = "DIR",
          description = "into DIR/kernels; use it with JUPYTER_PATH=DIR")
      Path dir;
    }

    @Override
    public Integer call() throws Exception {
      Path kernels = kernelsDir();
      String env = System.getenv("TAQTIR_THREADS");
      int threads =
          env != null && env.matches("\\d+")
              ? Integer.parseInt(env)
              : Runtime.getRuntime().availableProcessors();
      String home = System.getProperty("taqtir.home");
      List<String> argv =
          KernelSpec.argv(
              Path.of(System.getProperty("java.home"), "bin", "java"),
              KernelSpec.jvmFlags(threads, home == null ? null : Path.of(home)),
              launchClasspath());
      Path dir = KernelSpec.write(kernels, argv);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "installed kernelspec '"
              + KernelSpec.NAME
              + "' ("
              + KernelSpec.DISPLAY_NAME
              + ") in "
              + dir);
      out.println(
          "start it with: jupyter notebook (New > "
              + KernelSpec.DISPLAY_NAME
              + ") or jupyter console --kernel "
              + KernelSpec.NAME);
      return 0;
    }

    private Path kernelsDir() {
      if (where != null && where.prefix != null) {
        return where.prefix.toAbsolutePath().resolve("share/jupyter/kernels");
      }
      if (where != null && where.dir != null) {
        return where.dir.toAbsolutePath().resolve("kernels");
      }
      String data = System.getenv("JUPYTER_DATA_DIR");
      if (data != null && !data.isBlank()) {
        return Path.of(data).toAbsolutePath().resolve("kernels");
      }
      String xdg = System.getenv("XDG_DATA_HOME");
      Path base =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".local", "share");
      return base.toAbsolutePath().resolve("jupyter/kernels");
    }
  }

  /**
   * The classpath this code runs from, absolute: the CLI jar and its {@code lib/*} when run from
   * the built jar (wherever {@code -Dtaqtir.target} put it), else every {@code java.class.path}
   * entry; plus {@code TAQTIR_PLUGIN_PATH}.
   */
  static String launchClasspath() throws URISyntaxException {
    List<String> cp = new ArrayList<>();
    CodeSource cs = KernelCommand.class.getProtectionDomain().getCodeSource();
    Path self = cs == null ? null : Path.of(cs.getLocation().toURI()).toAbsolutePath();
    if (self != null
        && Files.isRegularFile(self)
        && Files.isDirectory(self.resolveSibling("lib"))) {
      cp.add(self.toString());
      cp.add(self.resolveSibling("lib").resolve("*").toString());
    } else {
      Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
          .filter(s -> !s.isBlank())
          .map(s -> Path.of(s).toAbsolutePath().toString())
          .forEach(cp::add);
    }
    String plugins = System.getenv("TAQTIR_PLUGIN_PATH");
    if (plugins != null) {
      Arrays.stream(plugins.split(File.pathSeparator))
          .filter(s -> !s.isBlank())
          .map(s -> Path.of(s).toAbsolutePath().toString())
          .forEach(cp::add);
    }
    return String.join(File.pathSeparator, cp);
  }
}
