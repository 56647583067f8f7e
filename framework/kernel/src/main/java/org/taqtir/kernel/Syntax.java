package org.taqtir.kernel;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Tells a snippet with a syntax error from one that is merely unresolved. JShell's completeness
 * analysis is lexical: it calls {@code int z = 1 +* 2;} complete. JShell marks such a snippet
 * erroneous, but it marks {@code foo(3);} erroneous too while {@code foo} is undefined, so a
 * snippet is taken as a syntax error only when javac's parser (no attribution) also refuses it in
 * every form a JShell snippet can have: statements, an expression, class members, a compilation
 * unit.
 */
final class Syntax {

  private static final String CLASS = "class Snippet_ {\n";
  private static final String METHOD = CLASS + "void run_() throws Throwable {\n";

  private Syntax() {}

  /**
   * Tells whether a complete snippet has a syntax error.
   *
   * @param analysis the shell's analysis
   * @param source one snippet, as {@link SourceCodeAnalysis.CompletionInfo#source()} returns it
   * @return true when no form of it parses
   */
  static boolean isInvalid(SourceCodeAnalysis analysis, String source) {
    if (analysis.sourceToSnippets(source).stream()
        .noneMatch(s -> s.kind() == Snippet.Kind.ERRONEOUS)) {
      return false;
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      return false;
    }
    for (String unit :
        List.of(
            METHOD + source + "\n}\n}",
            METHOD + source + "\n;}\n}",
            CLASS + "Object value_ =\n" + source + "\n;}",
            CLASS + source + "\n}",
            source)) {
      if (parses(javac, unit)) {
        return false;
      }
    }
    return true;
  }

  private static boolean parses(JavaCompiler javac, String unit) {
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///Snippet_.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return unit;
          }
        };
    DiagnosticCollector<JavaFileObject> errors = new DiagnosticCollector<>();
    JavacTask task =
        (JavacTask) javac.getTask(null, null, errors, List.of("-proc:none"), null, List.of(file));
    try {
      task.parse();
    } catch (IOException e) {
      return true;
    }
    return errors.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
  }
}
