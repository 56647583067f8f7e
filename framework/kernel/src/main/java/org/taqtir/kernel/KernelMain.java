package org.taqtir.kernel;

import io.github.spencerpark.jupyter.channels.Loop;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the kernel: {@code java ... org.taqtir.kernel.KernelMain <connection-file>}. Jupyter runs
 * it through the kernelspec {@link KernelSpec} writes.
 */
public final class KernelMain {

  // basekernel logs every message at INFO, and its loop loggers are not under its package
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger LOG = Logger.getLogger(KernelMain.class.getName());

  private KernelMain() {}

  /**
   * Runs the kernel until Jupyter shuts it down.
   *
   * @param args the connection file written by Jupyter
   * @throws Exception when the connection file cannot be read or the sockets cannot be bound
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: KernelMain <connection-file>");
      System.exit(2);
    }
    ROOT.setLevel(Level.parse(System.getProperty("taqtir.kernel.log", "WARNING")));
    KernelConnectionProperties props =
        KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    TaqtirKernel kernel = new TaqtirKernel();
    ProtocolEnvironment.Connection connection = new ProtocolEnvironment.Connection(props, kernel);
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    keepLoopsAlive();
    exitWithParent(System.getenv("JPY_PARENT_PID"));
    connection.waitUntilClose();
    System.exit(0);
  }

  /**
   * Jupyter front ends that start a kernel name themselves in {@code JPY_PARENT_PID}; when that
   * process dies (a closed terminal, a killed console) the kernel exits instead of lingering.
   */
  private static void exitWithParent(String pid) {
    if (pid == null || !pid.matches("\\d+")) {
      return;
    }
    ProcessHandle.of(Long.parseLong(pid))
        .ifPresent(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          LOG.warning("parent process " + pid + " ended; the kernel exits");
                          Runtime.getRuntime().halt(0);
                        }));
  }

  /**
   * basekernel's socket loops die on the first exception, and reading a message with a wrong HMAC
   * signature throws one: that message would take the kernel down with it. Log and go on instead.
   */
  private static void keepLoopsAlive() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t instanceof Loop loop) {
        loop.onError(
            e -> {
              LOG.warning(loop.getName() + ": message dropped: " + e);
              return 1;
            });
      }
    }
  }
}
