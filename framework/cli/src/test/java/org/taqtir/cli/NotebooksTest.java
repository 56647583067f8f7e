package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.kernel.KernelSpec;

/**
 * Re-executes every course notebook ({@code notebooks/*.ipynb}) on the Taqtir kernel in its small
 * setting ({@code TAQTIR_NOTEBOOK_QUICK=1}), with {@code jupyter nbconvert --execute}: a cell
 * error, an error output or fewer PNG outputs than the notebook's {@code
 * metadata.taqtir.min_images} fails it. Each notebook's time is printed (the course's target is 3
 * minutes in the small setting, about 10-80 s on an idle 2-core machine); it is not asserted, since
 * a shared machine can be several times slower ({@link #CELL_TIMEOUT_SECONDS} per cell only guards
 * against a hang). The kernel runs with this module's test classpath (the CLI's: every plugin) and
 * writes its studies to a temporary directory.
 *
 * <p>Editions in other languages ({@code NAME.ar.ipynb}) are not executed again: they are built
 * from the same code cells as {@code NAME.ipynb} and carry its outputs, which {@link
 * #everyEditionRunsTheCodeAndShowsTheOutputsOfItsEnglishNotebook} checks cell by cell.
 *
 * <p>Needs Debian's {@code jupyter-nbconvert} and the Fashion-MNIST package ({@code bin/test}
 * installs both). Without them the test is skipped, unless the environment variable {@code CI} is
 * set: then it fails.
 */
class NotebooksTest {

  /** A cell running longer than this has hung. */
  static final int CELL_TIMEOUT_SECONDS = 900;

  static final Path JUPYTER = Path.of("/usr/bin/jupyter");
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir static Path tmp;

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsInItsSmallSetting() throws IOException {
    Path home = Path.of("../..").toAbsolutePath().normalize();
    List<Path> notebooks;
    try (Stream<Path> s = Files.list(home.resolve("notebooks"))) {
      notebooks =
          s.filter(p -> p.toString().endsWith(".ipynb"))
              .filter(p -> editionOf(p) == null)
              .sorted()
              .toList();
    }
    assertTrue(!notebooks.isEmpty(), "no notebooks under " + home.resolve("notebooks"));
    requireTools();
    Path kernels = kernelSpec(home);
    return notebooks.stream()
        .map(
            nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb, kernels)));
  }

  @TestFactory
  Stream<DynamicTest> everyEditionRunsTheCodeAndShowsTheOutputsOfItsEnglishNotebook()
      throws IOException {
    Path dir = Path.of("../../notebooks").toAbsolutePath().normalize();
    List<Path> editions;
    try (Stream<Path> s = Files.list(dir)) {
      editions = s.filter(p -> editionOf(p) != null).sorted().toList();
    }
    assertTrue(!editions.isEmpty(), "no notebook editions under " + dir);
    return editions.stream()
        .map(
            ed ->
                DynamicTest.dynamicTest(
                    ed.getFileName().toString(), () -> sameCodeAndOutputs(dir, ed)));
  }

  /** The English notebook an edition is a translation of, or null for an English notebook. */
  static String editionOf(Path notebook) {
    String name = notebook.getFileName().toString();
    return name.matches(".*\\.[a-z]{2}\\.ipynb")
        ? name.replaceFirst("\\.[a-z]{2}\\.ipynb$", ".ipynb")
        : null;
  }

  private static void sameCodeAndOutputs(Path dir, Path edition) throws IOException {
    Path english = dir.resolve(editionOf(edition));
    assertTrue(
        Files.exists(english), edition.getFileName() + " has no English notebook " + english);
    List<JsonNode> a = codeCells(english);
    List<JsonNode> b = codeCells(edition);
    assertEquals(a.size(), b.size(), edition.getFileName() + ": number of code cells");
    for (int i = 0; i < a.size(); i++) {
      String where = edition.getFileName() + ", code cell " + (i + 1);
      assertEquals(
          a.get(i).path("source"),
          b.get(i).path("source"),
          where + ": its code differs from " + english.getFileName() + "'s (rebuild it)");
      assertEquals(
          a.get(i).path("outputs"),
          b.get(i).path("outputs"),
          where
              + ": its outputs differ from "
              + english.getFileName()
              + "'s (notebooks/tools/build_notebooks.py --copy-outputs)");
    }
  }

  private static List<JsonNode> codeCells(Path notebook) throws IOException {
    List<JsonNode> cells = new ArrayList<>();
    for (JsonNode c : new ObjectMapper().readTree(notebook.toFile()).path("cells")) {
      if (c.path("cell_type").asText().equals("code")) {
        cells.add(c);
      }
    }
    return cells;
  }

  private static Path kernelSpec(Path home) throws IOException {
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(s -> !s.isBlank())
            .map(s -> Path.of(s).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path dir = tmp.resolve("jupyter");
    KernelSpec.write(
        dir.resolve("kernels"), KernelSpec.argv(java, KernelSpec.jvmFlags(2, home), classpath));
    return dir;
  }

  private static void execute(Path notebook, Path jupyterPath) throws Exception {
    String name = notebook.getFileName().toString();
    Path work = Files.createDirectories(tmp.resolve(name.replace(".ipynb", "")));
    Path copy = Files.copy(notebook, work.resolve(name));
    Path out = work.resolve("executed.ipynb");
    Path log = work.resolve("nbconvert.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                JUPYTER.toString(),
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_SECONDS,
                "--output",
                out.toString(),
                copy.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
    pb.environment().put("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString());
    pb.environment().put("TAQTIR_NOTEBOOK_QUICK", "1");
    pb.environment().put("TAQTIR_NOTEBOOK_RUNS", tmp.resolve("runs").toString());
    long start = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(2L * CELL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(
        done, name + " did not finish in " + 2 * CELL_TIMEOUT_SECONDS + " s:\n" + tail(text));
    assertEquals(0, p.exitValue(), name + " failed:\n" + tail(text));

    JsonNode nb = new ObjectMapper().readTree(out.toFile());
    int images = 0;
    List<String> errors = new ArrayList<>();
    for (JsonNode cell : nb.path("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        if (o.path("output_type").asText().equals("error")) {
          errors.add(o.path("ename").asText() + ": " + o.path("evalue").asText());
        }
        if (o.path("data").has("image/png")) {
          images++;
        }
      }
    }
    assertTrue(errors.isEmpty(), name + " has error outputs: " + errors);
    int expected = nb.path("metadata").path("taqtir").path("min_images").asInt(-1);
    assertTrue(expected > 0, name + " lacks metadata.taqtir.min_images");
    assertTrue(
        images >= expected, name + " produced " + images + " PNG outputs, expected " + expected);
    System.out.printf("%s: %d PNG outputs, %.1f s%n", name, images, seconds);
  }

  private static void requireTools() {
    String why = null;
    if (!Files.isExecutable(JUPYTER)) {
      why = JUPYTER + " is missing (apt-get install jupyter-nbconvert python3-nbclient)";
    } else if (!Files.isDirectory(FASHION)) {
      why = FASHION + " is missing (apt-get install dataset-fashion-mnist)";
    }
    if (why == null) {
      return;
    }
    String msg = "the notebook tests need " + why + "; bin/test installs it";
    if (System.getenv("CI") != null) {
      fail(msg);
    }
    Assumptions.abort(msg);
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
  }
}
