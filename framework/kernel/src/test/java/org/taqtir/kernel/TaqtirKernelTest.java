package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.data.Synthetic;

/** The kernel's evaluation without Jupyter: values, errors, interrupt, completion, is-complete. */
class TaqtirKernelTest {

  static TaqtirKernel kernel;

  @BeforeAll
  static void start() {
    kernel = new TaqtirKernel();
  }

  @AfterAll
  static void stop() {
    kernel.onShutdown(false);
  }

  static String text(DisplayData d) {
    return String.valueOf(d.getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void lastExpressionIsTheValue() throws Exception {
    assertEquals("6", text(kernel.eval("int a = 2;\nint b = 3;\na * b")));
    assertNull(kernel.eval("int c = 4;"));
    assertNull(kernel.eval("System.out.print(\"\")"));
  }

  @Test
  void userExceptionsArriveAsThemselves() {
    Exception e =
        assertThrows(Exception.class, () -> kernel.eval("throw new java.io.IOException(\"no\");"));
    assertInstanceOf(java.io.IOException.class, e);
    assertEquals("no", e.getMessage());
    List<String> tb = kernel.formatError(e);
    assertTrue(tb.get(0).contains("java.io.IOException: no"), tb.toString());
  }

  @Test
  void compileErrorsNameLineAndColumn() {
    Exception e = assertThrows(Exception.class, () -> kernel.eval("int x = 1;\n\nString s = x;"));
    assertInstanceOf(CompilationException.class, e);
    assertTrue(e.getMessage().startsWith("line 3: incompatible types"), e.getMessage());
    List<String> lines = ((CompilationException) e).lines();
    assertEquals("String s = x;", lines.get(1));
    assertEquals("           ^", lines.get(2));
  }

  @Test
  void interruptStopsABusyLoopAndTheNextCellRuns() throws Exception {
    CompletableFuture<Exception> cell =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                kernel.eval("long n = 0; while (true) { n++; }");
                return null;
              } catch (Exception e) {
                return e;
              }
            });
    Thread.sleep(1000);
    assertTrue(!cell.isDone(), "the busy loop ended by itself");
    kernel.interrupt();
    Exception e = cell.get(20, TimeUnit.SECONDS);
    assertInstanceOf(InterruptedException.class, e);
    assertNull(kernel.eval("void afterStop() {}"));
    assertEquals("7", text(kernel.eval("3 + 4")));
  }

  @Test
  void isCompleteAndCompletion() throws Exception {
    assertEquals("complete", kernel.isComplete("1 + 1"));
    assertEquals("invalid", kernel.isComplete("int x = );"));
    // complete to JShell's lexical analysis, but no Java parses it (the Jupyter protocol: invalid)
    assertEquals("invalid", kernel.isComplete("int z = 1 +* 2;"));
    assertEquals("invalid", kernel.isComplete("int a = 1;\nint z = 1 +* 2;"));
    assertEquals("invalid", kernel.isComplete("class A { void f() { int q = 1 +* 2; } }"));
    // unresolved names are not syntax errors: the cell runs and says what is missing
    assertEquals("complete", kernel.isComplete("foo(3);"));
    assertEquals("complete", kernel.isComplete("foo(3)"));
    assertEquals("complete", kernel.isComplete("int y = undefinedVar + 1;"));
    assertEquals("complete", kernel.isComplete("Runnable r = () -> {};"));
    assertEquals("complete", kernel.isComplete("import java.util.*;\nrecord P(int x) {}"));
    assertTrue(kernel.isComplete("void f() {").isBlank());
    var options = kernel.complete("int k = 1; Integer.MAX_", 23);
    assertEquals(List.of("MAX_VALUE"), options.getReplacements());
    assertEquals(19, options.getSourceStart());
    assertTrue(text(kernel.inspect("Math.abs", 8, true)).contains("abs("));
  }

  @Test
  void studyMagicSeesAStrategyRegisteredInTheNotebook(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Synthetic.writeTinyFashionLike(data, 100, 50, 5);
    Path study = dir.resolve("study.yaml");
    Files.writeString(
        study,
        """
        name: cell
        data: {dir: %s, validation: 20, split_seed: 3}
        teacher:
          train: {architecture: {id: mlp, params: {hidden: [8]}}, training: {epochs: 1}}
        students:
          - {name: small, architecture: {id: mlp, params: {hidden: [4]}}}
        strategies:
          - {id: cell-kd}
        training: {epochs: 1, batch_size: 16, optimizer: {type: sgd, lr: 0.05}}
        seeds: [1]
        """
            .formatted(data));
    Exception unknown = assertThrows(Exception.class, () -> kernel.eval("%study " + study));
    assertTrue(unknown.getMessage().contains("cell-kd"), unknown.getMessage());

    kernel.eval(
        """
        class CellKd implements StrategyProvider {
          public String id() { return "cell-kd"; }
          public Family family() { return Family.RESPONSE; }
          public Set<Capability> capabilities() { return Set.of(); }
          public DistillationStrategy create(Params p) { throw new UnsupportedOperationException(); }
        }
        registerStrategy(new CellKd());
        """);
    DisplayData shown = kernel.eval("%study " + study);
    String md = String.valueOf(shown.getData(MIMEType.TEXT_MARKDOWN));
    assertTrue(md.contains("id: cell-kd"), md);
    assertEquals("cell", text(kernel.eval("study.name()")));
  }
}
