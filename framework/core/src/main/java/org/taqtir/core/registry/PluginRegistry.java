package org.taqtir.core.registry;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.taqtir.api.Plugin;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.StudentProvider;
import org.taqtir.api.TeacherProvider;
import org.taqtir.core.task.Task;

/**
 * Every plugin on the classpath, by kind and id.
 *
 * <p>Rules: an id must match {@code [a-z0-9-]+} and be shorter than 64 characters, else the
 * provider is skipped and recorded as a {@link LoadProblem}; a provider whose class cannot be
 * found, whose constructor throws, or whose {@code id()} or {@code params()} throws is recorded the
 * same way and the others are kept; two providers of one kind with the same id fail fast with an
 * {@link IllegalStateException} naming both classes and where each was loaded from.
 */
public final class PluginRegistry {

  /** The rule every plugin id must follow. */
  public static final String ID_RULE = "[a-z0-9-]+, shorter than 64 characters";

  private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,63}");
  private static final Pattern CLASS_NAME =
      Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+");
  private static final int MAX_ITERATION_ERRORS = 1000;

  private final PluginKind<StrategyProvider> strategies;
  private final PluginKind<StudentProvider> students;
  private final PluginKind<TeacherProvider> teachers;
  private final PluginKind<Task> tasks;

  private PluginRegistry(
      PluginKind<StrategyProvider> strategies,
      PluginKind<StudentProvider> students,
      PluginKind<TeacherProvider> teachers,
      PluginKind<Task> tasks) {
    this.strategies = strategies;
    this.students = students;
    this.teachers = teachers;
    this.tasks = tasks;
  }

  /**
   * Discovers every provider visible to a class loader with {@link ServiceLoader}.
   *
   * @param loader where to look for {@code META-INF/services} files and provider classes
   * @return the registry
   * @throws IllegalStateException when two providers of one kind share an id
   */
  public static PluginRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    return new PluginRegistry(
        discover("strategy", StrategyProvider.class, loader),
        discover("student", StudentProvider.class, loader),
        discover("teacher", TeacherProvider.class, loader),
        discover("task", Task.class, loader));
  }

  /**
   * Discovers every provider visible to the current thread's context class loader (or this class's
   * loader when there is none).
   *
   * @return the registry
   * @throws IllegalStateException when two providers of one kind share an id
   */
  public static PluginRegistry load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(cl != null ? cl : PluginRegistry.class.getClassLoader());
  }

  /**
   * Builds a registry from explicit providers, with the same id rules as {@link #load}: handy for
   * tests and embedding. The tasks are those on the core's class path (classification).
   *
   * @param strategies strategy providers
   * @param students student providers
   * @param teachers teacher providers
   * @return the registry
   * @throws IllegalStateException when two providers of one kind share an id
   */
  public static PluginRegistry of(
      List<? extends StrategyProvider> strategies,
      List<? extends StudentProvider> students,
      List<? extends TeacherProvider> teachers) {
    return new PluginRegistry(
        fromList("strategy", strategies),
        fromList("student", students),
        fromList("teacher", teachers),
        discover("task", Task.class, PluginRegistry.class.getClassLoader()));
  }

  /**
   * Builds a registry from explicit providers and tasks.
   *
   * @param strategies strategy providers
   * @param students student providers
   * @param teachers teacher providers
   * @param tasks the tasks
   * @return the registry
   * @throws IllegalStateException when two providers of one kind share an id
   */
  public static PluginRegistry of(
      List<? extends StrategyProvider> strategies,
      List<? extends StudentProvider> students,
      List<? extends TeacherProvider> teachers,
      List<? extends Task> tasks) {
    return new PluginRegistry(
        fromList("strategy", strategies),
        fromList("student", students),
        fromList("teacher", teachers),
        fromList("task", tasks));
  }

  /**
   * Returns a registry with the same plugins and load problems plus extra strategy providers, with
   * the same rules as {@link #load}: an invalid id is recorded as a {@link LoadProblem}, an id that
   * is already taken fails fast. This registry is not changed.
   *
   * @param extra strategy providers to add, e.g. ones written in a notebook
   * @return the new registry
   * @throws IllegalStateException when an extra provider's id is already taken
   */
  public PluginRegistry withExtra(List<? extends StrategyProvider> extra) {
    Objects.requireNonNull(extra, "extra");
    Builder<StrategyProvider> b = new Builder<>("strategy");
    strategies.all().forEach(p -> b.add(p.getClass().getName(), p.getClass(), () -> p));
    b.problems.addAll(strategies.problems());
    for (StrategyProvider p : extra) {
      Objects.requireNonNull(p, "strategy provider");
      b.add(p.getClass().getName(), p.getClass(), () -> p);
    }
    return new PluginRegistry(b.build(), students, teachers, tasks);
  }

  /**
   * Returns the distillation strategies.
   *
   * @return the strategy providers
   */
  public PluginKind<StrategyProvider> strategies() {
    return strategies;
  }

  /**
   * Returns the student architectures.
   *
   * @return the student providers
   */
  public PluginKind<StudentProvider> students() {
    return students;
  }

  /**
   * Returns the teacher adapters.
   *
   * @return the teacher providers
   */
  public PluginKind<TeacherProvider> teachers() {
    return teachers;
  }

  /**
   * Returns the tasks (classification, language modelling, ...).
   *
   * @return the tasks
   */
  public PluginKind<Task> tasks() {
    return tasks;
  }

  /**
   * Returns the load problems of every kind.
   *
   * @return strategies' problems, then students', teachers' and tasks'
   */
  public List<LoadProblem> problems() {
    List<LoadProblem> all = new ArrayList<>(strategies.problems());
    all.addAll(students.problems());
    all.addAll(teachers.problems());
    all.addAll(tasks.problems());
    return List.copyOf(all);
  }

  @Override
  public String toString() {
    return "PluginRegistry[" + strategies + ", " + students + ", " + teachers + ", " + tasks + "]";
  }

  private static <P extends Plugin> PluginKind<P> discover(
      String kind, Class<P> type, ClassLoader loader) {
    Builder<P> b = new Builder<>(kind);
    Iterator<ServiceLoader.Provider<P>> it = ServiceLoader.load(type, loader).stream().iterator();
    int errors = 0;
    while (true) {
      ServiceLoader.Provider<P> provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        // a service file names a class that is missing or of the wrong type; the lookup goes on
        String message = describe(e);
        String prefix = type.getName() + ": ";
        b.problem(
            classNameIn(e, type),
            message.startsWith(prefix) ? message.substring(prefix.length()) : message);
        if (++errors >= MAX_ITERATION_ERRORS) {
          break;
        }
        continue;
      }
      b.add(provider.type().getName(), provider.type(), provider::get);
    }
    return b.build();
  }

  private static <P extends Plugin> PluginKind<P> fromList(
      String kind, List<? extends P> providers) {
    Builder<P> b = new Builder<>(kind);
    for (P p : providers) {
      Objects.requireNonNull(p, () -> kind + " provider");
      b.add(p.getClass().getName(), p.getClass(), () -> p);
    }
    return b.build();
  }

  /** The provider class a ServiceLoader error names: the first class name but the service's. */
  private static String classNameIn(ServiceConfigurationError e, Class<?> service) {
    Matcher m = CLASS_NAME.matcher(String.valueOf(e.getMessage()));
    while (m.find()) {
      if (!m.group().equals(service.getName())) {
        return m.group();
      }
    }
    return "unknown class";
  }

  /** One line saying why loading failed, naming the root exception. */
  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (t instanceof ServiceConfigurationError) {
      return root == t
          ? oneLine(String.valueOf(t.getMessage()))
          : "could not be instantiated: " + oneLine(root.toString());
    }
    return "threw " + oneLine(root.toString());
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  static String location(Class<?> cls) {
    ProtectionDomain pd = cls.getProtectionDomain();
    CodeSource cs = pd == null ? null : pd.getCodeSource();
    URL url = cs == null ? null : cs.getLocation();
    return url == null ? "unknown location" : url.toString();
  }

  /** Collects one kind: validates ids, records problems, rejects duplicates. */
  private static final class Builder<P extends Plugin> {
    private final String kind;
    private final Map<String, P> byId = new LinkedHashMap<>();
    private final List<LoadProblem> problems = new ArrayList<>();

    Builder(String kind) {
      this.kind = kind;
    }

    void problem(String className, String message) {
      problems.add(new LoadProblem(kind, className, message));
    }

    void add(String className, Class<?> type, Supplier<P> instance) {
      P p;
      String id;
      try {
        p = instance.get();
        id = p.id();
        if (p.params() == null) {
          problem(className, "params() returned null; return ParamSpec.EMPTY when there are none");
          return;
        }
      } catch (VirtualMachineError e) {
        throw e;
      } catch (RuntimeException | Error e) {
        problem(className, describe(e));
        return;
      }
      if (id == null || !ID.matcher(id).matches()) {
        problem(
            className,
            (id == null ? "id() returned null" : "invalid id '" + id + "'")
                + ": a "
                + kind
                + " id must match "
                + ID_RULE);
        return;
      }
      P previous = byId.get(id);
      if (previous != null) {
        throw new IllegalStateException(
            "duplicate "
                + kind
                + " id '"
                + id
                + "': "
                + previous.getClass().getName()
                + " (from "
                + location(previous.getClass())
                + ") and "
                + type.getName()
                + " (from "
                + location(type)
                + "); remove one of them from the classpath");
      }
      byId.put(id, p);
    }

    PluginKind<P> build() {
      return new PluginKind<>(kind, byId, problems);
    }
  }
}
