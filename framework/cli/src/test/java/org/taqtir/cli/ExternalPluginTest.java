package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin under plugins/examples/teacher-hard-labels, compiled here into a jar of its
 * own, is discovered by the unchanged CLI when that jar is on the class path: list, describe and a
 * study run that uses it.
 */
class ExternalPluginTest {

  @TempDir Path dir;

  private Path buildExampleJar() throws IOException {
    Path example =
        Path.of("../../plugins/examples/teacher-hard-labels").toAbsolutePath().normalize();
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> sources;
    try (Stream<Path> s = Files.walk(example.resolve("src/main/java"))) {
      sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "--release",
                "17"));
    args.addAll(sources);
    assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "example compiles");
    Path jar = dir.resolve("teacher-hard-labels.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      add(out, classes, classes);
      Path services = example.resolve("src/main/resources");
      add(out, services, services);
    }
    return jar;
  }

  private static void add(JarOutputStream out, Path root, Path from) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
        try (OutputStream o =
            new java.io.FilterOutputStream(out) {
              @Override
              public void close() {}
            }) {
          Files.copy(p, o);
        }
        out.closeEntry();
      }
    }
  }

  @Test
  void theCliDiscoversAPluginFromItsOwnJar() throws IOException {
    Path jar = buildExampleJar();
    TinyStudy.Result before = TinyStudy.cli("list");
    assertFalse(before.out().contains("teacher-hard-labels"), "not on the class path yet");
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      TinyStudy.Result list = TinyStudy.cli("list");
      assertTrue(list.out().contains("response   teacher-hard-labels"), list.out());
      TinyStudy.Result describe = TinyStudy.cli("describe", "teacher-hard-labels");
      assertTrue(describe.out().contains("Model Compression, KDD"), describe.out());

      Path data = TinyStudy.data(dir);
      String yaml =
          TinyStudy.yaml(dir, data, "")
              .replace(
                  "  - name: kd\n    id: hinton-kd\n    params: {temperature: 4, alpha: 0.9}",
                  "  - name: hard\n    id: teacher-hard-labels")
              .replace("seeds: [1, 2]", "seeds: [1]");
      Path study = TinyStudy.write(dir, yaml);
      TinyStudy.Result run = TinyStudy.cli("run", study.toString());
      assertEquals(0, run.code(), run.out() + run.err());
      assertTrue(run.out().contains("| small | mlp 784-16-10 | hard | 1 |"), run.out());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
