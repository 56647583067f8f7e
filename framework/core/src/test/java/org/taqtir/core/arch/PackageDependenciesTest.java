package org.taqtir.core.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's package structure, read from its sources: no package cycles, and the shared machinery
 * (pipeline, loop, registry, parser, tracking records) knows no concrete task: classification is
 * reached only through the Task SPI, as any other task is.
 */
class PackageDependenciesTest {

  private static final Path SOURCES = Path.of("src/main/java/org/taqtir/core");
  private static final Pattern REF =
      Pattern.compile("\\borg\\.taqtir\\.core((?:\\.[a-z]\\w*)+)\\.[A-Z]");

  /** Package (relative to org.taqtir.core) to the packages its sources name. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
        String text = Files.readString(f);
        Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REF.matcher(text);
        while (m.find()) {
          String target = m.group(1).substring(1);
          if (!target.equals(pkg)) {
            out.add(target);
          }
        }
      }
    }
    return deps;
  }

  @Test
  void thereIsNoPackageCycle() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertTrue(deps.size() > 10, "read the core's packages: " + deps.keySet());
    List<String> cycles = new ArrayList<>();
    for (String start : deps.keySet()) {
      // a path from one of start's dependencies back to start is a cycle through start
      Deque<List<String>> todo = new ArrayDeque<>();
      todo.add(List.of(start));
      Map<String, Boolean> seen = new HashMap<>();
      while (!todo.isEmpty()) {
        List<String> path = todo.poll();
        for (String next : deps.getOrDefault(path.get(path.size() - 1), Set.of())) {
          if (next.equals(start)) {
            List<String> cycle = new ArrayList<>(path);
            cycle.add(start);
            cycles.add(String.join(" -> ", cycle));
          } else if (seen.putIfAbsent(next, true) == null) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            todo.add(longer);
          }
        }
      }
    }
    assertEquals(List.of(), cycles, "package dependencies: " + deps);
  }

  @Test
  void theSharedMachineryKnowsNoConcreteTask() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    for (String shared :
        List.of("config", "parse", "registry", "run", "study", "task", "train", "teacher")) {
      assertTrue(
          !deps.getOrDefault(shared, Set.of()).contains("classification"),
          shared + " depends on the classification task: " + deps.get(shared));
    }
  }
}
