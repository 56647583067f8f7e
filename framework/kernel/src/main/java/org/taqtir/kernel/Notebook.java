package org.taqtir.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.taqtir.api.StrategyProvider;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;

/**
 * Helpers every notebook session imports statically: rich display, the session's plugin registry
 * and live training progress.
 *
 * <p>They act on the kernel that runs the current cell; outside a kernel {@link #display} prints
 * the value's text to standard output.
 */
public final class Notebook {

  private static volatile TaqtirKernel kernel;
  private static final List<StrategyProvider> EXTRA = new ArrayList<>();
  private static PluginRegistry registry;

  private Notebook() {}

  static void attach(TaqtirKernel k) {
    kernel = k;
  }

  /**
   * Shows a value below the cell now (charts as PNG, Tablesaw tables as HTML, {@link Html} and
   * {@link Markdown} as they say, anything else as text).
   *
   * @param value the value, may be null
   */
  public static void display(Object value) {
    TaqtirKernel k = kernel;
    if (k == null) {
      System.out.println(value);
    } else {
      k.display(Displays.render(value));
    }
  }

  /** Clears this cell's output so far. */
  public static void clearOutput() {
    TaqtirKernel k = kernel;
    if (k != null) {
      k.clearOutput(false);
    }
  }

  /**
   * Wraps HTML so that it displays as HTML.
   *
   * @param source the HTML fragment
   * @return the wrapper
   */
  public static Html html(String source) {
    return new Html(source);
  }

  /**
   * Wraps Markdown so that it displays as Markdown.
   *
   * @param source the Markdown text
   * @return the wrapper
   */
  public static Markdown markdown(String source) {
    return new Markdown(source);
  }

  /**
   * Returns this session's plugin registry: every plugin on the classpath plus the strategies
   * registered with {@link #registerStrategy}.
   *
   * @return the registry, built once and rebuilt after each registration or classpath change
   * @throws IllegalStateException when two strategies share an id
   */
  public static synchronized PluginRegistry registry() {
    if (registry == null) {
      registry = PluginRegistry.load().withExtra(EXTRA);
    }
    return registry;
  }

  /**
   * Makes a strategy written in the notebook visible to {@link #registry()}, so a study parsed with
   * that registry can name it. Registering a provider with the id of one registered earlier in this
   * session replaces it (a re-run cell); an id taken by a plugin on the classpath fails.
   *
   * @param provider the provider
   * @return the provider's id
   * @throws IllegalStateException when a classpath plugin already has the id
   */
  public static synchronized String registerStrategy(StrategyProvider provider) {
    Objects.requireNonNull(provider, "provider");
    List<StrategyProvider> next = new ArrayList<>(EXTRA);
    next.removeIf(p -> p.id().equals(provider.id()));
    next.add(provider);
    PluginRegistry r = PluginRegistry.load().withExtra(next);
    if (r.strategies().find(provider.id()).isEmpty()) {
      String why =
          r.strategies().problems().stream()
              .filter(p -> p.className().equals(provider.getClass().getName()))
              .map(p -> p.message())
              .findFirst()
              .orElse("it was not accepted");
      throw new IllegalArgumentException("strategy " + provider.getClass().getName() + ": " + why);
    }
    EXTRA.clear();
    EXTRA.addAll(next);
    registry = r;
    return provider.id();
  }

  /**
   * Returns a training listener that shows one line of progress below the cell and updates it in
   * place (epoch, step, loss, throughput, validation accuracy).
   *
   * @return the listener; give it to the trainer or the study runner
   */
  public static LiveProgress progress() {
    return new LiveProgress(kernel);
  }

  /**
   * Parses and validates a study file against {@link #registry()}, so it may name strategies
   * registered in this notebook.
   *
   * @param file the study YAML, relative to the kernel's working directory or absolute
   * @return the study
   * @throws org.taqtir.core.config.ConfigException when the file is invalid
   */
  public static Study study(String file) {
    return new StudyParser(registry()).parse(Path.of(file), Map.of());
  }

  /**
   * Whether the notebook should run its small setting: the environment variable {@code
   * TAQTIR_NOTEBOOK_QUICK} is set (the test suite sets it to re-execute every notebook in minutes;
   * the committed outputs come from the full setting).
   *
   * @return true in the small setting
   */
  public static boolean quick() {
    return System.getenv("TAQTIR_NOTEBOOK_QUICK") != null;
  }

  /**
   * Where notebooks write their studies: {@code TAQTIR_NOTEBOOK_RUNS} when set (the test suite
   * points it at a temporary directory), else {@code runs/notebooks} under the checkout ({@code
   * -Dtaqtir.home}, which the installed kernelspec sets). Teachers trained there are reused by
   * every notebook.
   *
   * @return an absolute directory
   */
  public static Path runsDir() {
    String env = System.getenv("TAQTIR_NOTEBOOK_RUNS");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    return Path.of(System.getProperty("taqtir.home", "."))
        .toAbsolutePath()
        .resolve("runs/notebooks");
  }

  /**
   * The newest finished run of a study in {@link #runsDir()}, so that a notebook can build on the
   * students an earlier notebook trained ({@code new StudyRunner(...).reuseStudents(dir)}) instead
   * of training them again.
   *
   * @param studyName the study's {@code name:}
   * @return the run's directory, or empty when none has finished here
   */
  public static Optional<Path> latestFinishedRun(String studyName) {
    return latestFinishedRun(runsDir(), studyName);
  }

  /**
   * The newest finished run of a study under a directory of studies: the last, by name (run
   * directories are named by their start time), of {@code <dir>/<studyName>/*} that holds a {@code
   * loss-report.json}, which a study writes only once every run has finished and been evaluated.
   *
   * @param studiesDir the studies' output directory
   * @param studyName the study's name
   * @return the run's directory, or empty
   */
  static Optional<Path> latestFinishedRun(Path studiesDir, String studyName) {
    Path dir = studiesDir.resolve(studyName);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> runs = Files.list(dir)) {
      return runs.filter(r -> Files.isRegularFile(r.resolve("loss-report.json")))
          .max(Comparator.comparing(r -> r.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * Runs a JUnit test class in this session (typically a subclass of {@code
   * org.taqtir.testkit.StrategyContractTest} declared in a cell, to check a strategy written in the
   * notebook) and returns one row per test: its name, {@code passed}, {@code failed}, {@code
   * aborted} or {@code skipped}, and the failure's message.
   *
   * @param testClass the test class
   * @return the results; {@link ContractResults#passed()} tells whether every test passed
   */
  public static ContractResults contract(Class<?> testClass) {
    return ContractResults.run(testClass);
  }

  static synchronized void classpathChanged() {
    registry = null;
  }
}
