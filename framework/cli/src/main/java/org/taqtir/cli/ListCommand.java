package org.taqtir.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.taqtir.api.Plugin;
import org.taqtir.api.StrategyProvider;
import org.taqtir.core.registry.LoadProblem;
import org.taqtir.core.registry.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taqtir list}: every plugin on the classpath, by kind (strategies by family). */
@Command(name = "list", description = "List plugins by kind and family.")
final class ListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    out.println("strategies:");
    registry.strategies().all().stream()
        .sorted(
            Comparator.comparing((StrategyProvider p) -> p.family().ordinal())
                .thenComparing(Plugin::id))
        .forEach(p -> out.printf("  %-10s %-22s %s%n", p.family().key(), p.id(), p.description()));
    print(out, "students:", registry.students().all());
    print(out, "teachers:", registry.teachers().all());
    print(out, "tasks:", registry.tasks().all());
    List<LoadProblem> problems = registry.problems();
    if (!problems.isEmpty()) {
      out.println("plugins that failed to load:");
      problems.forEach(p -> out.printf("  %s %s: %s%n", p.kind(), p.className(), p.message()));
    }
    return 0;
  }

  private static void print(PrintWriter out, String title, List<? extends Plugin> plugins) {
    out.println(title);
    plugins.forEach(p -> out.printf("  %-33s %s%n", p.id(), p.description()));
  }
}
