package org.taqtir.core.parse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.StudyYaml;
import org.taqtir.core.config.TextFiles;
import org.taqtir.core.registry.PluginRegistry;

/**
 * Reads a study file into a resolved {@link Study}.
 *
 * <p>Steps: read the YAML tree and the line of every key; apply the {@code -P path=value} overrides
 * to the tree; bind it to records with unknown keys rejected; then check every value, look every
 * plugin id up in the registry, resolve its parameters and fill every default. A config names
 * plugins by registry id only, never by Java class.
 *
 * <p>Every error is a {@link ConfigException} with a one-line message such as {@code study.yaml:14:
 * strategies[1].params.temperature must be > 0, found -1}; the first error stops the parse.
 *
 * <p>Absent keys and keys written with an empty ({@code null}) value take their defaults. The
 * teacher's {@code train.training} takes each missing field from the top-level {@code training}; an
 * optimizer or schedule of a different type than the top-level one starts from that type's defaults
 * instead.
 */
public final class StudyParser {

  private final PluginRegistry registry;

  /**
   * Creates a parser that resolves plugin ids against a registry.
   *
   * @param registry the plugins a study may name
   */
  public StudyParser(PluginRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Reads and resolves a study file.
   *
   * @param file the study file; relative {@code data.dir} paths resolve against its directory
   * @param overrides {@code path -> value} pairs such as {@code training.epochs -> 2}, applied in
   *     iteration order; {@code null} or empty for none
   * @return the resolved study
   * @throws ConfigException when the file cannot be read or is invalid
   */
  public Study parse(Path file, Map<String, String> overrides) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = TextFiles.readUtf8(file, StudyYaml.MAX_CHARS, "study file");
    } catch (TextFiles.BadTextFile e) {
      throw new ConfigException(fileName(file), e.line(), "", e.detail(), null, e);
    }
    return parse(text, file, overrides);
  }

  /**
   * Resolves a study given as text.
   *
   * @param yamlText the study YAML
   * @param fileForMessages the file the text came from, named in messages and used to resolve
   *     relative paths; {@code null} for none (paths then resolve against the working directory)
   * @param overrides {@code path -> value} pairs, applied in iteration order; {@code null} for none
   * @return the resolved study
   * @throws ConfigException when the text is invalid
   */
  public Study parse(String yamlText, Path fileForMessages, Map<String, String> overrides) {
    Objects.requireNonNull(yamlText, "yamlText");
    ConfigSection root = StudyYaml.read(yamlText, fileForMessages, overrides);
    return new StudyResolver(registry, root).study(fileForMessages);
  }

  static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }
}
