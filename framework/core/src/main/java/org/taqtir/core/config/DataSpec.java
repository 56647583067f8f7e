package org.taqtir.core.config;

import java.util.Map;

/**
 * A study's {@code data:} block as its task resolved it (for classification, {@link DataConfig}):
 * every default filled in, paths absolute.
 */
public interface DataSpec {

  /**
   * Returns the block as written in {@code study.resolved.yaml}: parsing it again gives an equal
   * spec.
   *
   * @return keys in study-file spelling to plain values (strings, numbers, booleans, lists, maps)
   */
  Map<String, Object> toYaml();
}
