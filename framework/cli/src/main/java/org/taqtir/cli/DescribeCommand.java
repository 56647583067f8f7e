package org.taqtir.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.taqtir.api.Family;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Plugin;
import org.taqtir.api.StrategyProvider;
import org.taqtir.core.config.Levenshtein;
import org.taqtir.core.registry.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taqtir describe <id>}: a plugin's parameters, defaults, ranges, docs and paper. */
@Command(name = "describe", description = "Describe a plugin: parameters, defaults, ranges, paper.")
final class DescribeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "plugin id, e.g. hinton-kd")
  String id;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    List<Plugin> found = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    add(found, kinds, "strategy", registry.strategies().find(id));
    add(found, kinds, "student", registry.students().find(id));
    add(found, kinds, "teacher", registry.teachers().find(id));
    if (found.isEmpty()) {
      Set<String> all = new TreeSet<>(registry.strategies().ids());
      all.addAll(registry.students().ids());
      all.addAll(registry.teachers().ids());
      throw new IllegalArgumentException(
          "unknown plugin id '"
              + id
              + "'; available: "
              + String.join(", ", all)
              + Levenshtein.closest(id, all).map(c -> "; closest: '" + c + "'").orElse(""));
    }
    for (int i = 0; i < found.size(); i++) {
      Plugin p = found.get(i);
      out.printf("%s (%s%s)%n", p.id(), kinds.get(i), family(p));
      if (!p.description().isEmpty()) {
        out.println("  " + p.description());
      }
      if (!p.formula().isEmpty()) {
        // a formula of several lines: the later ones aligned under the first
        out.println("  formula: " + p.formula().replace("\n", "\n           "));
      }
      if (!p.paper().isEmpty()) {
        out.println("  paper: " + p.paper());
      }
      if (p instanceof StrategyProvider s && !s.capabilities().isEmpty()) {
        out.println("  needs: " + s.capabilities());
      }
      out.println(p.params().params().isEmpty() ? "  no parameters" : "  parameters:");
      for (ParamDef d : p.params().params()) {
        out.printf(
            "    %-16s default %-10s %s. %s%n", d.name(), d.defaultValue(), d.allowed(), d.doc());
      }
    }
    return 0;
  }

  private static String family(Plugin p) {
    if (p instanceof StrategyProvider s) {
      return s.family() == Family.LABELS ? ", baseline" : ", " + s.family().key() + "-based";
    }
    return "";
  }

  private static void add(
      List<Plugin> found, List<String> kinds, String kind, Optional<? extends Plugin> p) {
    p.ifPresent(
        x -> {
          found.add(x);
          kinds.add(kind);
        });
  }
}
