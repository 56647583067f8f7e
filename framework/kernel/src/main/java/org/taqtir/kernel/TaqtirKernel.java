package org.taqtir.kernel;

import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import io.github.spencerpark.jupyter.messages.publish.PublishClearOutput;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * The Taqtir kernel: evaluates cells with JShell in this JVM, displays the last expression's value
 * richly, and offers completion, inspection, history, interrupt and a few magics ({@code %classpath
 * add}, {@code %%time}, {@code %study}, {@code ?name}).
 *
 * <p>Every session imports {@link #IMPORTS}. A cell's snippets run one by one; the first compile
 * error or exception ends the cell and is reported, and the kernel stays ready.
 */
public final class TaqtirKernel extends BaseKernel {

  /** The imports every session starts with. */
  public static final List<String> IMPORTS =
      List.of(
          "import java.io.*;",
          "import java.math.*;",
          "import java.net.*;",
          "import java.nio.file.*;",
          "import java.util.*;",
          "import java.util.concurrent.*;",
          "import java.util.function.*;",
          "import java.util.regex.*;",
          "import java.util.stream.*;",
          "import org.taqtir.api.*;",
          "import org.taqtir.core.registry.*;",
          "import org.taqtir.core.config.*;",
          "import org.taqtir.core.parse.*;",
          "import org.taqtir.core.run.*;",
          "import org.taqtir.core.study.*;",
          "import org.taqtir.core.train.*;",
          "import org.taqtir.core.data.*;",
          "import org.taqtir.core.eval.*;",
          "import org.taqtir.report.*;",
          "import org.taqtir.kernel.Html;",
          "import org.taqtir.kernel.Markdown;",
          "import org.taqtir.kernel.LiveProgress;",
          "import static org.taqtir.kernel.Notebook.*;");

  private static final String MAGICS = "%classpath add <jar|dir/*>..., %study <file.yaml>, %%time";

  private final CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
  private final CompletableFuture<JShell> shell;
  private final CellHistory history = new CellHistory();
  private final LanguageInfo languageInfo =
      new LanguageInfo.Builder("java")
          .version(Runtime.version().toString())
          .mimetype("text/x-java-source")
          .fileExtension(".jshell")
          .pygments("java")
          .codemirror("text/x-java")
          .build();
  private volatile String page;
  private volatile ShellReplyEnvironment cellEnvironment;

  /** Creates the kernel; JShell starts on a background thread so the kernel answers at once. */
  public TaqtirKernel() {
    Notebook.attach(this);
    shell = CompletableFuture.supplyAsync(this::startShell);
  }

  private JShell startShell() {
    JShell js = JShell.builder().executionEngine(provider, Map.of()).build();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        js.addToClasspath(Path.of(entry).toAbsolutePath().toString());
      }
    }
    for (String imp : IMPORTS) {
      for (SnippetEvent e : js.eval(imp)) {
        if (e.status() == Snippet.Status.REJECTED) {
          throw new IllegalStateException("default import failed: " + imp);
        }
      }
    }
    // compiles a first snippet so the user's first cell does not pay for javac's warm-up
    js.eval("int $taqtirWarmUp = 1 + 1;");
    return js;
  }

  private JShell shell() throws Exception {
    try {
      return shell.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof Exception ex ? ex : new IllegalStateException(c);
    }
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return languageInfo;
  }

  @Override
  public String getBanner() {
    return "Taqtir kernel: Java "
        + Runtime.version()
        + " through JShell, with Taqtir's plugins on the classpath. Magics: "
        + MAGICS
        + "; ?name shows documentation.";
  }

  @Override
  public HistoryManager getHistoryManager() {
    return history;
  }

  /** Returns and clears the text a {@code ?name} cell asked to show in the pager. */
  String takePage() {
    String p = page;
    page = null;
    return p;
  }

  void cellStarted(ShellReplyEnvironment env) {
    cellEnvironment = env;
  }

  void cellEnded(ShellReplyEnvironment env) {
    if (cellEnvironment == env) {
      cellEnvironment = null;
    }
  }

  /**
   * Clears the running cell's output.
   *
   * @param wait whether to clear only when the next output arrives (no flicker)
   */
  void clearOutput(boolean wait) {
    ShellReplyEnvironment env = cellEnvironment;
    if (env != null) {
      System.out.flush();
      System.err.flush();
      env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
    }
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    page = null;
    int count = executionCount.get() - 1;
    String output = "";
    try {
      DisplayData d = evalCell(code);
      if (d != null) {
        output = String.valueOf(d.getData(MIMEType.TEXT_PLAIN));
      }
      return d;
    } finally {
      history.add(count, code, output);
    }
  }

  private DisplayData evalCell(String code) throws Exception {
    String stripped = code.strip();
    if (stripped.startsWith("?") || (stripped.endsWith("?") && !stripped.contains("\n"))) {
      String name =
          stripped.startsWith("?")
              ? stripped.substring(1)
              : stripped.substring(0, stripped.length() - 1);
      String doc = documentation(name.strip(), name.strip().length());
      page = doc != null ? doc : "no documentation found for " + name.strip();
      return null;
    }
    if (stripped.startsWith("%%")) {
      int nl = stripped.indexOf('\n');
      String magic = (nl < 0 ? stripped : stripped.substring(0, nl)).strip();
      String body = nl < 0 ? "" : stripped.substring(nl + 1);
      if (!magic.equals("%%time")) {
        throw new IllegalArgumentException(
            "unknown cell magic " + magic + "; available: " + MAGICS);
      }
      long t0 = System.nanoTime();
      try {
        return evalCell(body);
      } finally {
        System.out.println(
            String.format(Locale.ROOT, "Wall time: %.1f ms", (System.nanoTime() - t0) / 1e6));
        System.out.flush();
      }
    }
    List<String> lines = new ArrayList<>(stripped.lines().toList());
    StringBuilder java = new StringBuilder();
    boolean leading = true;
    for (String line : lines) {
      if (leading && line.strip().startsWith("%")) {
        java.append(lineMagic(line.strip())).append('\n');
      } else {
        leading = leading && line.isBlank();
        java.append(line).append('\n');
      }
    }
    return evalJava(java.toString());
  }

  /** Turns a line magic into the Java it stands for (or runs it and returns nothing). */
  private String lineMagic(String line) throws Exception {
    String[] w = line.substring(1).strip().split("\\s+");
    switch (w[0]) {
      case "classpath" -> {
        if (w.length < 3 || !w[1].equals("add")) {
          throw new IllegalArgumentException("usage: %classpath add <jar|dir/*>...");
        }
        for (int i = 2; i < w.length; i++) {
          for (Path p : expand(w[i])) {
            shell().addToClasspath(p.toString());
            System.out.println("added to the classpath: " + p);
          }
        }
        Notebook.classpathChanged();
        return "";
      }
      case "study" -> {
        if (w.length != 2) {
          throw new IllegalArgumentException("usage: %study <file.yaml>");
        }
        return "var study = study(\""
            + w[1].replace("\\", "\\\\").replace("\"", "\\\"")
            + "\");\nstudy";
      }
      default ->
          throw new IllegalArgumentException(
              "unknown line magic %" + w[0] + "; available: " + MAGICS);
    }
  }

  private static List<Path> expand(String arg) throws Exception {
    if (arg.endsWith("/*")) {
      Path dir = Path.of(arg.substring(0, arg.length() - 2)).toAbsolutePath();
      try (var s = Files.list(dir)) {
        return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      }
    }
    Path p = Path.of(arg).toAbsolutePath();
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("%classpath add: " + p + " does not exist");
    }
    return List.of(p);
  }

  private DisplayData evalJava(String code) throws Exception {
    JShell js = shell();
    SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
    CellExecutionControl control = provider.control();
    String remaining = code;
    int offset = 0;
    DisplayData last = null;
    while (!remaining.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == Completeness.EMPTY) {
        break;
      }
      boolean complete = info.completeness().isComplete();
      String source = complete ? info.source() : remaining;
      int consumed = complete ? remaining.length() - info.remaining().length() : remaining.length();
      int start = offset + leadingSpace(remaining) - leadingSpace(source);
      last = null;
      control.reset();
      for (SnippetEvent e : js.eval(source)) {
        if (e.causeSnippet() != null) {
          continue;
        }
        if (e.status() == Snippet.Status.REJECTED) {
          throw CompilationException.of(code, start, source, js.diagnostics(e.snippet()).toList());
        }
        if (e.status() == Snippet.Status.RECOVERABLE_DEFINED
            || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
          // legal in JShell (a forward reference), but usually a typo or a missing import
          List<String> missing =
              e.snippet() instanceof jdk.jshell.DeclarationSnippet decl
                  ? js.unresolvedDependencies(decl).toList()
                  : List.of();
          System.err.println(
              "note: "
                  + name(e.snippet())
                  + " cannot be used until "
                  + (missing.isEmpty() ? "its references resolve" : String.join(", ", missing))
                  + " is defined or imported");
        }
        if (control.wasStopped()) {
          throw new InterruptedException("the cell was interrupted");
        }
        if (e.exception() != null) {
          throw userException(e, control.lastThrown());
        }
        if (isExpression(e.snippet())) {
          Object value = control.lastValue();
          last =
              value == null && "void".equals(typeName(e.snippet())) ? null : Displays.render(value);
        }
      }
      remaining = remaining.substring(consumed);
      offset += consumed;
    }
    return last;
  }

  private static String name(Snippet s) {
    return s instanceof jdk.jshell.DeclarationSnippet d ? d.name() : s.source().strip();
  }

  private static boolean isExpression(Snippet s) {
    return s instanceof ExpressionSnippet
        || (s instanceof VarSnippet && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
  }

  private static String typeName(Snippet s) {
    if (s instanceof ExpressionSnippet e) {
      return e.typeName();
    }
    return s instanceof VarSnippet v ? v.typeName() : "";
  }

  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static Exception userException(SnippetEvent e, Throwable thrown) {
    if (thrown instanceof Exception ex) {
      return ex;
    }
    if (thrown != null) {
      return new CellException(thrown);
    }
    if (e.exception() instanceof UnresolvedReferenceException u) {
      return new IllegalStateException(
          "this cell uses " + u.getSnippet() + ", which cannot run until its references resolve");
    }
    if (e.exception() instanceof EvalException ev) {
      return new IllegalStateException(ev.getExceptionClassName() + ": " + ev.getMessage());
    }
    return e.exception();
  }

  @Override
  public List<String> formatError(Exception e) {
    if (e instanceof CompilationException c) {
      return c.lines();
    }
    Throwable t = e instanceof CellException c ? c.getCause() : e;
    List<String> out = new ArrayList<>();
    Set<Throwable> seen = new LinkedHashSet<>();
    String prefix = "";
    while (t != null && seen.add(t)) {
      out.add(errorStyler.primary(prefix + t));
      for (StackTraceElement f : t.getStackTrace()) {
        String cls = f.getClassName();
        if (cls.startsWith("jdk.internal.reflect.")
            || cls.startsWith("java.lang.reflect.")
            || cls.startsWith(CellExecutionControl.class.getName())) {
          break;
        }
        out.add(errorStyler.secondary("    at " + f));
      }
      t = t.getCause();
      prefix = "Caused by: ";
    }
    return out;
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) throws Exception {
    String doc = documentation(code, at);
    return doc == null ? null : new DisplayData(doc);
  }

  private String documentation(String code, int at) throws Exception {
    int start = chunkStart(code, at);
    SourceCodeAnalysis analysis = shell().sourceCodeAnalysis();
    String chunk = code.substring(start, at);
    List<SourceCodeAnalysis.Documentation> docs =
        analysis.documentation(chunk, chunk.length(), true);
    if (docs.isEmpty() && !chunk.endsWith("(")) {
      // a bare method name: JShell documents it from inside the call's parentheses
      docs = analysis.documentation(chunk + "(", chunk.length() + 1, true);
    }
    if (docs.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (SourceCodeAnalysis.Documentation d : docs) {
      b.append(d.signature()).append('\n');
      if (d.javadoc() != null && !d.javadoc().isBlank()) {
        b.append(d.javadoc().strip()).append("\n\n");
      }
    }
    return b.toString().strip();
  }

  @Override
  public ReplacementOptions complete(String code, int at) throws Exception {
    int start = chunkStart(code, at);
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions =
        shell()
            .sourceCodeAnalysis()
            .completionSuggestions(code.substring(start, at), at - start, anchor);
    Set<String> matches = new LinkedHashSet<>();
    suggestions.stream().filter(s -> s.matchesType()).forEach(s -> matches.add(s.continuation()));
    suggestions.forEach(s -> matches.add(s.continuation()));
    return new ReplacementOptions(new ArrayList<>(matches), start + anchor[0], at);
  }

  /** Where the snippet holding the cursor starts: after the last complete snippet before it. */
  private int chunkStart(String code, int at) throws Exception {
    SourceCodeAnalysis analysis = shell().sourceCodeAnalysis();
    String before = code.substring(0, at);
    int start = 0;
    while (start < before.length()) {
      CompletionInfo info = analysis.analyzeCompletion(before.substring(start));
      if (!info.completeness().isComplete() || info.remaining().isEmpty()) {
        break;
      }
      start = before.length() - info.remaining().length();
    }
    return start + leadingSpace(before.substring(start));
  }

  @Override
  public String isComplete(String code) {
    String stripped = code.strip();
    if (stripped.startsWith("%%")) {
      int nl = stripped.indexOf('\n');
      return nl < 0 ? IS_COMPLETE_YES : isComplete(stripped.substring(nl + 1));
    }
    if (stripped.startsWith("%") || stripped.startsWith("?")) {
      return IS_COMPLETE_YES;
    }
    try {
      SourceCodeAnalysis analysis = shell().sourceCodeAnalysis();
      String remaining = code;
      while (!remaining.isBlank()) {
        CompletionInfo info = analysis.analyzeCompletion(remaining);
        switch (info.completeness()) {
          case COMPLETE, COMPLETE_WITH_SEMI -> {
            // JShell's completeness is lexical: "int z = 1 +* 2;" is complete to it
            if (Syntax.isInvalid(analysis, info.source())) {
              return IS_COMPLETE_BAD;
            }
            remaining = info.remaining();
          }
          case EMPTY -> remaining = "";
          case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
            return "    ";
          }
          default -> {
            return IS_COMPLETE_BAD;
          }
        }
      }
      return IS_COMPLETE_YES;
    } catch (Exception e) {
      return IS_COMPLETE_MAYBE;
    }
  }

  @Override
  public void interrupt() {
    JShell js = shell.getNow(null);
    if (js != null) {
      js.stop();
    }
  }

  @Override
  public void onShutdown(boolean isRestart) {
    JShell js = shell.getNow(null);
    if (js != null) {
      js.close();
    }
  }
}
