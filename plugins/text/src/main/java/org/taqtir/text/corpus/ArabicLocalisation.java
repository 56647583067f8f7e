package org.taqtir.text.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Secular Arabic running text: the user-interface strings of Mozilla's Arabic language packs
 * ({@code firefox-esr-l10n-ar}, {@code thunderbird-l10n-ar}; MPL-2.0), read from the Fluent ({@code
 * .ftl}) files inside their {@code .xpi} archives. Each message value and attribute value becomes a
 * line; placeables ({@code { $name }}) and markup ({@code <a>}) are dropped, and only lines with
 * Arabic letters are kept. One document per {@code .ftl} file; its group is the application.
 */
public final class ArabicLocalisation {

  /** Firefox's Arabic language pack. */
  public static final String FIREFOX = "firefox-esr-l10n-ar";

  /** Thunderbird's Arabic language pack. */
  public static final String THUNDERBIRD = "thunderbird-l10n-ar";

  private static final Pattern PLACEABLE = Pattern.compile("\\{[^{}]*\\}");
  private static final Pattern MARKUP = Pattern.compile("<[^<>]*>");
  private static final Pattern ARABIC = Pattern.compile("[\\u0621-\\u064A]");
  private static final Pattern MESSAGE = Pattern.compile("^-?[A-Za-z][A-Za-z0-9_-]*\\s*=\\s*(.*)$");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("^\\s+\\.[A-Za-z][A-Za-z0-9_-]*\\s*=\\s*(.*)$");

  private ArabicLocalisation() {}

  /**
   * Reads the Fluent files of a language pack.
   *
   * @param root the extracted package's root, or {@code /} when installed
   * @param application {@code firefox} or {@code thunderbird}, the documents' group
   * @return one document per file with Arabic text, in archive order
   * @throws IOException when no {@code .xpi} is found or it cannot be read
   */
  public static List<Document> files(Path root, String application) throws IOException {
    Path xpi = find(root);
    List<Document> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(xpi.toFile(), StandardCharsets.UTF_8)) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      for (ZipEntry e : Collections.list(entries)) {
        if (!e.getName().endsWith(".ftl")) {
          continue;
        }
        String text =
            text(new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
        if (!text.isEmpty()) {
          String name = e.getName().replaceFirst("^localization/ar/", "");
          out.add(new Document(application + "/" + name, application, text));
        }
      }
    }
    return out;
  }

  /** The Arabic lines of a Fluent file: values and attribute values, placeables dropped. */
  static String text(String ftl) {
    StringBuilder out = new StringBuilder();
    for (String line : ftl.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      var m = MESSAGE.matcher(line);
      var a = ATTRIBUTE.matcher(line);
      String value = m.matches() ? m.group(1) : a.matches() ? a.group(1) : line.strip();
      value = MARKUP.matcher(PLACEABLE.matcher(value).replaceAll("")).replaceAll("");
      value = value.replaceAll("\\s+", " ").strip();
      if (ARABIC.matcher(value).find()) {
        out.append(value).append('\n');
      }
    }
    return out.toString().strip();
  }

  /** The language pack's {@code .xpi} under a package root. */
  static Path find(Path root) throws IOException {
    Path dir = root.resolve("usr/lib");
    if (!Files.isDirectory(dir)) {
      throw new IOException("no usr/lib under " + root);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".xpi"))
          .filter(p -> p.getFileName().toString().contains("-ar@"))
          .findFirst()
          .orElseThrow(() -> new IOException("no Arabic .xpi under " + dir));
    }
  }
}
