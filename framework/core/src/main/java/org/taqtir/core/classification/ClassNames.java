package org.taqtir.core.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taqtir.core.config.DataConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.FashionMnist;

/** The display names of a study's classes, for tables and the Loss Statement. */
public final class ClassNames {

  private ClassNames() {}

  /**
   * Returns the class names of a study run: for a CSV table, those recorded in the run's {@code
   * data-schema.json}; for image data, Fashion-MNIST's.
   *
   * @param study the study
   * @param runDir the study run's directory
   * @return names by class index
   */
  public static List<String> of(Study study, Path runDir) {
    Path schema = runDir.resolve("data-schema.json");
    if (!(study.data() instanceof DataConfig d)
        || d.table() == null
        || !Files.isRegularFile(schema)) {
      return FashionMnist.CLASS_NAMES;
    }
    try {
      JsonNode classes = new ObjectMapper().readTree(schema.toFile()).get("classes");
      List<String> out = new ArrayList<>();
      classes.forEach(c -> out.add(c.asText()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + schema + ": " + e.getMessage(), e);
    }
  }
}
