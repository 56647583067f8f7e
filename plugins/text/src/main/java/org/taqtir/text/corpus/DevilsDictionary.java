package org.taqtir.text.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Ambrose Bierce's <i>The Devil's Dictionary</i> (public domain) from Debian's {@code dict-devil}
 * (a dictzip file, readable as gzip): one document per entry. Out-of-domain text for models trained
 * on novels.
 */
public final class DevilsDictionary {

  /** The Debian package. */
  public static final String PACKAGE = "dict-devil";

  /** The dictionary file under the package's root. */
  public static final String FILE = "usr/share/dictd/devil.dict.dz";

  // An entry starts with its headword in capitals and a part of speech: "FORK, n.  An ..."
  private static final Pattern ENTRY = Pattern.compile("^[A-Z][A-Z0-9' .-]*, [a-z][a-z.]*.*");

  private DevilsDictionary() {}

  /**
   * Reads the dictionary's entries.
   *
   * @param root the extracted package's root, or {@code /} when installed
   * @return one document per entry
   * @throws IOException when the file cannot be read
   */
  public static List<Document> entries(Path root) throws IOException {
    String text;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve(FILE)))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Document> out = new ArrayList<>();
    StringBuilder entry = null;
    String head = null;
    for (String line : text.split("\n", -1)) {
      if (ENTRY.matcher(line).matches()) {
        if (entry != null) {
          out.add(new Document("devil/" + head, "devil", entry.toString().strip()));
        }
        head = line.substring(0, line.indexOf(','));
        entry = new StringBuilder();
      }
      if (entry != null) {
        entry.append(line).append('\n');
      }
    }
    if (entry != null) {
      out.add(new Document("devil/" + head, "devil", entry.toString().strip()));
    }
    return out;
  }

  /** Tells whether the dictionary is under a root. */
  static boolean present(Path root) {
    return Files.isRegularFile(root.resolve(FILE));
  }
}
