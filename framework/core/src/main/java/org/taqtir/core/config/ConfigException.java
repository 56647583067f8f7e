package org.taqtir.core.config;

import java.util.Objects;

/**
 * A study file (or a parameter map) is invalid. The message is one line: {@code <file>:<line>:
 * <field> <problem>, found <bad value>}, e.g. {@code study.yaml:14:
 * strategies[1].params.temperature must be > 0, found -1}. A value set by a command-line override
 * says {@code (from -P training.epochs=0)} instead of a line number.
 *
 * <p>An exception thrown without a location (by the registry's {@code ParamResolver}, which sees no
 * file) is located by the parser with {@link #at(String, int)} or {@link #fromOverride(String,
 * String)}.
 */
public final class ConfigException extends IllegalArgumentException {

  private final String file;
  private final int line;
  private final String field;
  private final String detail;
  private final String override;

  /**
   * An error not yet tied to a file.
   *
   * @param field the config path, e.g. {@code strategies[1].params.temperature}; empty for the
   *     whole file
   * @param detail the sentence that explains it, starting with the field, e.g. {@code
   *     strategies[1].params.temperature must be > 0, found -1}
   */
  public ConfigException(String field, String detail) {
    this(null, 0, field, detail, null, null);
  }

  /**
   * An error at a place in a file.
   *
   * @param file the file name shown, or {@code null} when unknown
   * @param line the 1-based line, 0 when unknown
   * @param field the config path; empty for the whole file
   * @param detail the sentence that explains it, starting with the field
   */
  public ConfigException(String file, int line, String field, String detail) {
    this(file, line, field, detail, null, null);
  }

  /**
   * An error at a place in a file, set by an override or caused by another exception.
   *
   * @param file the file name shown, or {@code null} when unknown
   * @param line the 1-based line, 0 when unknown
   * @param field the config path; empty for the whole file
   * @param detail the sentence that explains it, starting with the field
   * @param override the {@code -P} override that set the field, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public ConfigException(
      String file, int line, String field, String detail, String override, Throwable cause) {
    super(detail, cause);
    this.file = file;
    this.line = Math.max(0, line);
    this.field = Objects.requireNonNullElse(field, "");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.override = override;
  }

  /**
   * Returns a copy located at a line of a file.
   *
   * @param file the file name shown
   * @param line the 1-based line, 0 when unknown
   * @return the located exception, with this one as its cause
   */
  public ConfigException at(String file, int line) {
    return new ConfigException(file, line, field, detail, null, this);
  }

  /**
   * Returns a copy that blames a command-line override instead of a line.
   *
   * @param file the file name shown
   * @param override the override as given, e.g. {@code training.epochs=0}
   * @return the located exception, with this one as its cause
   */
  public ConfigException fromOverride(String file, String override) {
    return new ConfigException(file, 0, field, detail, override, this);
  }

  /**
   * Returns the file name shown in the message.
   *
   * @return the file name, or {@code null} when unknown
   */
  public String file() {
    return file;
  }

  /**
   * Returns the line of the offending value.
   *
   * @return the 1-based line, 0 when unknown or when the value came from an override
   */
  public int line() {
    return line;
  }

  /**
   * Returns the path of the offending field.
   *
   * @return e.g. {@code training.epochs}; empty when the whole file is at fault
   */
  public String field() {
    return field;
  }

  /**
   * Returns the explanation without the location.
   *
   * @return e.g. {@code training.epochs must be >= 1, found 0}
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the override that set the offending value.
   *
   * @return e.g. {@code training.epochs=0}, or {@code null} when it came from the file
   */
  public String override() {
    return override;
  }

  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (line > 0) {
        sb.append(':').append(line);
      }
      sb.append(": ");
    }
    sb.append(detail);
    if (override != null) {
      sb.append(" (from -P ").append(override).append(')');
    }
    return sb.toString();
  }

  /**
   * Shows a value the way the user wrote it: numbers and booleans bare, strings in double quotes,
   * lists and maps in flow style, long values shortened.
   *
   * @param value a value read from YAML ({@code null}, scalar, list or map)
   * @return a short one-line rendering
   */
  public static String show(Object value) {
    return org.taqtir.api.ParamException.show(value);
  }
}
