package org.taqtir.text.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpora a language-modelling study can name, read from Debian packages that {@code
 * bin/corpora} fetches ({@code apt-get download}) and unpacks ({@code dpkg-deb -x}) under a corpus
 * directory, one sub-directory per package; or from the installed package ({@code /}). Nothing is
 * downloaded at run time, and the texts are never committed.
 */
public final class Corpora {

  /** Jane Austen's six novels, one document per chapter, grouped by novel. */
  public static final String AUSTEN = "austen";

  /** The Devil's Dictionary, one document per entry. */
  public static final String DEVIL = "devil";

  /** Firefox's Arabic interface strings, one document per Fluent file. */
  public static final String ARABIC = "arabic-l10n";

  /** Thunderbird's Arabic interface strings (out-of-domain for Firefox's). */
  public static final String ARABIC_THUNDERBIRD = "arabic-l10n-thunderbird";

  /** The synthetic facts corpus, made in code. */
  public static final String FACTS = "facts";

  /** Plain UTF-8 text files named in the study, one document per file. */
  public static final String FILES = "files";

  /** Every corpus id. */
  public static final List<String> IDS =
      List.of(AUSTEN, DEVIL, ARABIC, ARABIC_THUNDERBIRD, FACTS, FILES);

  private Corpora() {}

  /** The Debian package a corpus needs, or null. */
  static String packageOf(String corpus) {
    return switch (corpus) {
      case AUSTEN -> JaneAusten.PACKAGE;
      case DEVIL -> DevilsDictionary.PACKAGE;
      case ARABIC -> ArabicLocalisation.FIREFOX;
      case ARABIC_THUNDERBIRD -> ArabicLocalisation.THUNDERBIRD;
      default -> null;
    };
  }

  /**
   * Reads a packaged corpus.
   *
   * @param corpus {@value #AUSTEN}, {@value #DEVIL}, {@value #ARABIC} or {@value
   *     #ARABIC_THUNDERBIRD}
   * @param dir the corpus directory ({@code <dir>/<package>/usr/...}); the installed package under
   *     {@code /} is used when it is not there
   * @return the documents
   * @throws IllegalArgumentException when the package is missing, naming it and the command that
   *     fetches it
   */
  public static List<Document> read(String corpus, Path dir) {
    String pkg = packageOf(corpus);
    if (pkg == null) {
      throw new IllegalArgumentException("corpus " + corpus + " is not read from a package");
    }
    Path root = dir.resolve(pkg);
    if (!present(corpus, root)) {
      root = Path.of("/");
    }
    if (!present(corpus, root)) {
      throw new IllegalArgumentException(
          "corpus "
              + corpus
              + " needs Debian's "
              + pkg
              + ", found neither under "
              + dir.resolve(pkg)
              + " nor installed; fetch it with: bin/corpora "
              + corpus
              + "   (apt-get download "
              + pkg
              + " && dpkg-deb -x "
              + pkg
              + "_*.deb "
              + dir.resolve(pkg)
              + ")");
    }
    try {
      return switch (corpus) {
        case AUSTEN -> JaneAusten.chapters(root);
        case DEVIL -> DevilsDictionary.entries(root);
        case ARABIC -> ArabicLocalisation.files(root, "firefox");
        default -> ArabicLocalisation.files(root, "thunderbird");
      };
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "corpus " + corpus + ": cannot read " + root + ": " + e.getMessage(), e);
    }
  }

  private static boolean present(String corpus, Path root) {
    try {
      return switch (corpus) {
        case AUSTEN -> JaneAusten.present(root);
        case DEVIL -> DevilsDictionary.present(root);
        default ->
            Files.isDirectory(root.resolve("usr/lib")) && ArabicLocalisation.find(root) != null;
      };
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads plain text files, one document each.
   *
   * @param files the files
   * @return the documents, grouped by file name
   */
  public static List<Document> files(List<Path> files) {
    List<Document> out = new ArrayList<>();
    for (Path f : files) {
      try {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        String name = f.getFileName().toString();
        out.add(new Document(name, name, text));
      } catch (java.nio.charset.MalformedInputException e) {
        throw new IllegalArgumentException(f + ": not UTF-8 text", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(f + ": cannot read: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
