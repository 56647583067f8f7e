package org.taqtir.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.Plugin;
import org.taqtir.api.StrategyProvider;
import org.taqtir.core.registry.fake.BadIdStrategy;
import org.taqtir.core.registry.fake.DuplicateKdStrategy;
import org.taqtir.core.registry.fake.FakeKdStrategy;
import org.taqtir.core.registry.fake.FakeLabelsStrategy;
import org.taqtir.core.registry.fake.FakeMlpStudent;
import org.taqtir.core.registry.fake.Fakes;
import org.taqtir.core.registry.fake.ThrowingStrategy;

class PluginRegistryTest {

  @TempDir Path tmp;

  @Test
  void loadsEveryKindSortedById() throws IOException {
    try (URLClassLoader cl = isolated("ok", Set.of())) {
      PluginRegistry r = PluginRegistry.load(cl);
      assertEquals(List.of("hinton-kd", "labels-only"), ids(r.strategies().all()));
      assertEquals(List.of("mlp"), ids(r.students().all()));
      assertEquals(List.of("djl-model"), ids(r.teachers().all()));
      assertEquals("strategy", r.strategies().name());
      assertEquals("student", r.students().name());
      assertEquals("teacher", r.teachers().name());
      assertTrue(r.strategies().get("hinton-kd") instanceof FakeKdStrategy);
      assertTrue(r.strategies().find("labels-only").isPresent());
      assertTrue(r.strategies().find("mlp").isEmpty());
      assertEquals(List.of(), r.problems());
    }
  }

  @Test
  void duplicateIdFailsNamingBothClassesAndWhereEachCameFrom() throws IOException {
    // the duplicate is served from a real jar, hidden from the test class path
    Path jar = tmp.resolve("other-plugins.jar");
    String entry = DuplicateKdStrategy.class.getName().replace('.', '/') + ".class";
    try (InputStream in = DuplicateKdStrategy.class.getClassLoader().getResourceAsStream(entry);
        OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jo = new JarOutputStream(out)) {
      jo.putNextEntry(new JarEntry(entry));
      in.transferTo(jo);
      jo.closeEntry();
    }
    try (URLClassLoader cl =
        isolated("duplicate", Set.of(DuplicateKdStrategy.class.getName()), jar.toUri().toURL())) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> PluginRegistry.load(cl));
      String m = e.getMessage();
      assertTrue(m.startsWith("duplicate strategy id 'hinton-kd': "), m);
      assertTrue(
          m.contains(
              FakeKdStrategy.class.getName() + " (from " + location(FakeKdStrategy.class) + ")"),
          m);
      assertTrue(
          m.contains(DuplicateKdStrategy.class.getName() + " (from " + jar.toUri().toURL() + ")"),
          m);
    }
  }

  @Test
  void duplicateIdInExplicitListsFailsToo() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PluginRegistry.of(
                    List.of(new FakeKdStrategy(), new DuplicateKdStrategy()),
                    List.of(),
                    List.of()));
    assertTrue(e.getMessage().contains("'hinton-kd'"), e.getMessage());
    assertTrue(e.getMessage().contains(DuplicateKdStrategy.class.getName()), e.getMessage());
  }

  @Test
  void providersThatFailToLoadAreRecordedAndTheOthersKept() throws IOException {
    try (URLClassLoader cl = isolated("throwing", Set.of())) {
      PluginRegistry r = PluginRegistry.load(cl);
      assertEquals(List.of("hinton-kd", "labels-only"), ids(r.strategies().all()));
      List<LoadProblem> problems = r.strategies().problems();
      assertEquals(3, problems.size(), problems.toString());

      LoadProblem ctor = problems.get(0);
      assertEquals("strategy", ctor.kind());
      assertEquals(ThrowingStrategy.class.getName(), ctor.className());
      assertTrue(
          ctor.message().contains("IllegalStateException: native library libfoo.so not found"),
          ctor.message());

      LoadProblem missing = problems.get(1);
      assertEquals("org.taqtir.core.registry.fake.MissingStrategy", missing.className());
      assertTrue(missing.message().contains("not found"), missing.message());

      LoadProblem wrongType = problems.get(2);
      assertEquals(FakeMlpStudent.class.getName(), wrongType.className());
      assertTrue(wrongType.message().contains("not a subtype"), wrongType.message());

      assertEquals(problems, r.problems());
      assertTrue(r.students().problems().isEmpty());
    }
  }

  @Test
  void withExtraAddsStrategiesAndKeepsTheRules() {
    PluginRegistry base =
        PluginRegistry.of(
            List.of(new FakeLabelsStrategy()), List.of(new FakeMlpStudent()), List.of());
    PluginRegistry more = base.withExtra(List.of(new FakeKdStrategy(), new BadIdStrategy()));
    assertEquals(List.of("hinton-kd", "labels-only"), ids(more.strategies().all()));
    assertEquals(List.of("labels-only"), ids(base.strategies().all()));
    assertEquals(ids(base.students().all()), ids(more.students().all()));
    assertEquals(1, more.problems().size(), more.problems().toString());
    assertEquals(BadIdStrategy.class.getName(), more.problems().get(0).className());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> more.withExtra(List.of(new DuplicateKdStrategy())));
    assertTrue(e.getMessage().contains("'hinton-kd'"), e.getMessage());
  }

  @Test
  void providerWhoseIdThrowsIsRecorded() {
    StrategyProvider broken =
        new FakeKdStrategy() {
          @Override
          public String id() {
            throw new IllegalStateException("no id today");
          }
        };
    PluginRegistry r =
        PluginRegistry.of(List.of(broken, new FakeLabelsStrategy()), List.of(), List.of());
    assertEquals(List.of("labels-only"), ids(r.strategies().all()));
    assertEquals(1, r.problems().size());
    assertTrue(r.problems().get(0).message().contains("no id today"), r.problems().toString());
  }

  @Test
  void invalidIdsAreRecordedWithTheRuleAndSkipped() throws IOException {
    try (URLClassLoader cl = isolated("invalid", Set.of())) {
      PluginRegistry r = PluginRegistry.load(cl);
      assertEquals(List.of("hinton-kd"), ids(r.strategies().all()));
      List<LoadProblem> problems = r.strategies().problems();
      assertEquals(2, problems.size(), problems.toString());
      assertEquals(BadIdStrategy.class.getName(), problems.get(0).className());
      assertEquals(
          "invalid id 'Hinton_KD': a strategy id must match [a-z0-9-]+, shorter than 64 characters",
          problems.get(0).message());
      assertTrue(
          problems.get(1).message().startsWith("invalid id 'aaaa"), problems.get(1).message());
    }
  }

  @Test
  void idOf63CharactersIsValid() {
    StrategyProvider p =
        new FakeLabelsStrategy() {
          @Override
          public String id() {
            return "a".repeat(63);
          }
        };
    PluginRegistry r = PluginRegistry.of(List.of(p), List.of(), List.of());
    assertEquals(List.of("a".repeat(63)), ids(r.strategies().all()));
  }

  @Test
  void unknownIdListsAvailableIdsAndTheClosest() {
    PluginRegistry r = Fakes.registry();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.strategies().get("hinton-kdd"));
    assertEquals(
        "unknown strategy 'hinton-kdd'; available: hinton-kd, labels-only; closest: 'hinton-kd'",
        e.getMessage());
  }

  @Test
  void unknownIdWithNothingCloseListsOnlyTheAvailable() {
    PluginRegistry r = Fakes.registry();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.students().get("resnet"));
    assertEquals("unknown student 'resnet'; available: mlp", e.getMessage());
    PluginRegistry empty = PluginRegistry.of(List.of(), List.of(), List.of());
    e = assertThrows(IllegalArgumentException.class, () -> empty.teachers().get("onnx"));
    assertEquals("unknown teacher 'onnx'; available: (none)", e.getMessage());
  }

  @Test
  void unknownIdMentionsProvidersThatFailedToLoad() throws IOException {
    try (URLClassLoader cl = isolated("throwing", Set.of())) {
      PluginRegistry r = PluginRegistry.load(cl);
      String m =
          assertThrows(IllegalArgumentException.class, () -> r.strategies().get("throwing"))
              .getMessage();
      assertTrue(
          m.contains("3 strategy providers failed to load: " + ThrowingStrategy.class.getName()),
          m);
    }
  }

  private static List<String> ids(List<? extends Plugin> plugins) {
    return plugins.stream().map(Plugin::id).toList();
  }

  private static String location(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().toString();
  }

  /**
   * A loader that sees the service files of one test case only (plus extra class path entries),
   * never the default META-INF/services of the test class path, and not the hidden classes.
   */
  private static URLClassLoader isolated(String folder, Set<String> hidden, URL... extra)
      throws IOException {
    URL dir = PluginRegistryTest.class.getClassLoader().getResource("registry/" + folder + "/");
    URL[] urls = new URL[extra.length + 1];
    urls[0] = dir;
    System.arraycopy(extra, 0, urls, 1, extra.length);
    return new URLClassLoader(
        urls, new HidingLoader(PluginRegistryTest.class.getClassLoader(), hidden));
  }

  private static final class HidingLoader extends ClassLoader {
    private final Set<String> hidden;

    HidingLoader(ClassLoader parent, Set<String> hidden) {
      super(parent);
      this.hidden = hidden;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (hidden.contains(name)) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
      return name.startsWith("META-INF/services/") ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return name.startsWith("META-INF/services/")
          ? Collections.emptyEnumeration()
          : super.getResources(name);
    }
  }
}
