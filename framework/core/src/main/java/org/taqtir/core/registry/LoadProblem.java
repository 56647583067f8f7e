package org.taqtir.core.registry;

import java.util.Objects;

/**
 * A provider that could not be loaded; the registry keeps the others.
 *
 * @param kind the plugin kind: {@code "strategy"}, {@code "student"} or {@code "teacher"}
 * @param className the provider's class name, or {@code "unknown class"} when even that is unknown
 * @param message why it failed, one line
 */
public record LoadProblem(String kind, String className, String message) {

  /** Checks that no component is {@code null}. */
  public LoadProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return kind + " provider " + className + ": " + message;
  }
}
