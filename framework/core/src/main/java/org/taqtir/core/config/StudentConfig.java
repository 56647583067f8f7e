package org.taqtir.core.config;

import java.util.Objects;

/**
 * One student architecture of a study.
 *
 * @param name unique within the study; defaults to the architecture id, a dash and its index
 * @param architecture the student provider and its parameters
 */
public record StudentConfig(String name, PluginRef architecture) {

  /** Checks that neither component is {@code null}. */
  public StudentConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
  }
}
