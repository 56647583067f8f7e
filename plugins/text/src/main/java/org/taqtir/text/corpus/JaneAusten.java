package org.taqtir.text.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Jane Austen's six novels (public-domain text) from Debian's {@code r-cran-janeaustenr}, read from
 * the package's R data without R: one document per chapter ({@code emma/12}), the text before the
 * first chapter (title page) left out.
 */
public final class JaneAusten {

  /** The Debian package. */
  public static final String PACKAGE = "r-cran-janeaustenr";

  /** Where the package puts its data, under the extracted package's root. */
  public static final String DATA = "usr/lib/R/site-library/janeaustenr/data";

  /** The six novels, by the names the package gives them. */
  public static final List<String> NOVELS =
      List.of(
          "emma",
          "mansfieldpark",
          "northangerabbey",
          "persuasion",
          "prideprejudice",
          "sensesensibility");

  private static final Pattern CHAPTER =
      Pattern.compile("^\\s*chapter\\s+([0-9ivxlc]+)\\b.*", Pattern.CASE_INSENSITIVE);

  private JaneAusten() {}

  /**
   * Reads the novels' chapters.
   *
   * @param root the extracted package's root (holding {@code usr/lib/R/...}), or {@code /} when the
   *     package is installed
   * @return one document per chapter, novel by novel in the package's order
   * @throws IOException when the files cannot be read
   */
  public static List<Document> chapters(Path root) throws IOException {
    Path dir = root.resolve(DATA);
    Map<String, List<String>> novels =
        RData.characterVectors(dir.resolve("Rdata.rdx"), dir.resolve("Rdata.rdb"));
    List<Document> out = new ArrayList<>();
    for (var e : novels.entrySet()) {
      out.addAll(split(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** Tells whether the package's data is under a root. */
  static boolean present(Path root) {
    return Files.isRegularFile(root.resolve(DATA).resolve("Rdata.rdb"));
  }

  /** A novel's lines cut at its chapter headings; the heading lines are not part of the text. */
  static List<Document> split(String novel, List<String> lines) {
    List<Document> out = new ArrayList<>();
    StringBuilder text = null;
    int chapter = 0;
    for (String line : lines) {
      String l = line == null ? "" : line;
      if (CHAPTER.matcher(l).matches()) {
        if (text != null) {
          out.add(doc(novel, chapter, text));
        }
        chapter++;
        text = new StringBuilder();
      } else if (text != null) {
        text.append(l).append('\n');
      }
    }
    if (text != null) {
      out.add(doc(novel, chapter, text));
    }
    return out;
  }

  private static Document doc(String novel, int chapter, StringBuilder text) {
    String t = text.toString().strip().replaceAll("\n{3,}", "\n\n");
    return new Document(novel + "/" + String.format(Locale.ROOT, "%02d", chapter), novel, t);
  }
}
