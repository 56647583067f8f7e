package org.taqtir.core.config;

import java.util.Objects;
import org.taqtir.api.Params;

/**
 * A plugin named by registry id with its resolved parameters: never a Java class name.
 *
 * @param id the registry id, e.g. {@code "hinton-kd"}
 * @param params validated parameters with every default filled in
 */
public record PluginRef(String id, Params params) {

  /** Checks that neither component is {@code null}. */
  public PluginRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(params, "params");
  }
}
