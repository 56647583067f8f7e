package org.taqtir.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taqtir.core.data.FashionMnist;

/** The display names of a study's classes, for tables and the Loss Statement. */
public final class ClassNames {

  private ClassNames() {}

  /**
   * Returns the class names of a study run: for a CSV table, those recorded in the run's {@code
   * data-schema.json}; for image data, Fashion-MNIST's.
   *
   * @param result the study run
   * @return names by class index
   */
  public static List<String> of(StudyResult result) {
    Path schema = result.outputDir().resolve("data-schema.json");
    if (result.study().data().table() == null || !Files.isRegularFile(schema)) {
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
