package org.taqtir.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a study's YAML into a tree that keeps every key's line, applies the {@code -P path=value}
 * overrides, and hands out the whole study as a {@link ConfigSection} whose errors name the file,
 * the line (or the override) and the field.
 */
public final class StudyYaml {

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final ObjectMapper TREE = new ObjectMapper(FACTORY);
  private static final ObjectMapper BIND = bindMapper();

  /**
   * The largest study file read, in bytes (and characters): a study is a page of YAML; a bigger
   * file is the wrong file, and refusing it before parsing spares a minute of SnakeYAML.
   */
  public static final int MAX_CHARS = 1 << 20;

  private StudyYaml() {}

  private static ObjectMapper bindMapper() {
    YAMLMapper m =
        YAMLMapper.builder(FACTORY)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // "name: 2024" is a fine name: let whole numbers stand for strings, nothing else
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /**
   * Reads a study given as text.
   *
   * @param yamlText the study YAML
   * @param fileForMessages the file the text came from, named in messages and used to resolve
   *     relative paths; {@code null} for none (paths then resolve against the working directory)
   * @param overrides {@code path -> value} pairs, applied in iteration order; {@code null} for none
   * @return the whole study as a section with path {@code ""}
   * @throws ConfigException when the text is not valid YAML, is empty or is not a mapping, or an
   *     override is malformed
   */
  public static ConfigSection read(
      String yamlText, Path fileForMessages, Map<String, String> overrides) {
    Objects.requireNonNull(yamlText, "yamlText");
    String file = fileForMessages == null ? "<study>" : fileName(fileForMessages);
    JsonNode root;
    LineMap lines;
    if (yamlText.length() > MAX_CHARS) {
      throw new ConfigException(
          file,
          0,
          "",
          String.format(
              java.util.Locale.ROOT,
              "the study is %.1f MB of text; a study file is at most %d KB (is it the right"
                  + " file?)",
              yamlText.length() / (double) (1 << 20),
              MAX_CHARS / 1024));
    }
    try {
      lines = LineMap.scan(FACTORY, yamlText, file);
      root = lines.root();
    } catch (JacksonException e) {
      throw syntaxError(file, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(
          file,
          0,
          "",
          "the study file is empty; it needs at least name, teacher, students and strategies");
    }
    if (!(root instanceof ObjectNode obj)) {
      throw new ConfigException(
          file,
          0,
          "",
          "the top level must be a mapping of study fields (name, data, teacher, students,"
              + " strategies, training, ...), found "
              + ConfigException.show(TREE.convertValue(root, Object.class)));
    }
    List<Overrides.Override> applied = Overrides.parse(overrides, file, TREE);
    for (Overrides.Override o : applied) {
      Overrides.apply(obj, o, file);
    }
    Path baseDir =
        fileForMessages == null
            ? Path.of("").toAbsolutePath()
            : fileForMessages.toAbsolutePath().normalize().getParent();
    var where = new ConfigSection.Located(file, lines, applied, obj, baseDir, BIND, TREE);
    return new ConfigSection(where, "", obj);
  }

  /**
   * Returns the name a file is called by in messages.
   *
   * @param file the file
   * @return its last path element
   */
  public static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  private static ConfigException syntaxError(String file, JacksonException e) {
    JsonLocation loc = e.getLocation();
    int line = loc == null ? 0 : loc.getLineNr();
    String problem = e.getOriginalMessage();
    if (e.getCause() instanceof MarkedYAMLException m) {
      problem = m.getProblem();
      if (m.getContext() != null) {
        problem = m.getContext() + ": " + problem;
      }
      if (m.getProblemMark() != null) {
        line = m.getProblemMark().getLine() + 1;
      }
    }
    return new ConfigException(
        file, line, "", "invalid YAML: " + Overrides.oneLine(problem), null, e);
  }
}
