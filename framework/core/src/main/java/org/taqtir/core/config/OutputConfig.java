package org.taqtir.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where results go.
 *
 * @param dir the output directory as written: a relative one resolves against the working directory
 *     when the study runs
 * @param plots whether to draw plots
 */
public record OutputConfig(Path dir, boolean plots) {

  /** Checks that the directory is given. */
  public OutputConfig {
    Objects.requireNonNull(dir, "dir");
  }
}
