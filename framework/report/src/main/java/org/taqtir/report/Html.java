package org.taqtir.report;

/**
 * A small Markdown-to-HTML converter for the reports Taqtir itself writes (headings, paragraphs,
 * bold, code spans, pipe tables, images); not a general Markdown implementation.
 */
public final class Html {

  private Html() {}

  /**
   * Converts a Taqtir Markdown report to a standalone HTML page.
   *
   * @param title the page title
   * @param markdown the report
   * @return the HTML document
   */
  public static String of(String title, String markdown) {
    StringBuilder out =
        new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
            .append(escape(title))
            .append(
                "</title><style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
                    + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
                    + "img{max-width:100%}</style></head><body>\n");
    boolean table = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("|")) {
        if (line.matches("\\|[-:| ]+\\|")) {
          continue;
        }
        if (!table) {
          out.append("<table>\n");
          table = true;
        }
        out.append("<tr>");
        String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
        for (String c : cells) {
          out.append("<td>").append(inline(c.trim())).append("</td>");
        }
        out.append("</tr>\n");
        continue;
      }
      if (table) {
        out.append("</table>\n");
        table = false;
      }
      if (line.startsWith("## ")) {
        out.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
      } else if (line.startsWith("# ")) {
        out.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
      } else if (line.startsWith("![")) {
        String src = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
        out.append("<p><img src=\"")
            .append(escape(src))
            .append("\" alt=\"")
            .append(escape(src))
            .append("\"></p>\n");
      } else if (!line.isBlank()) {
        out.append("<p>").append(inline(line)).append("</p>\n");
      }
    }
    if (table) {
      out.append("</table>\n");
    }
    return out.append("</body></html>\n").toString();
  }

  private static String inline(String s) {
    return escape(s)
        .replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>")
        .replaceAll("`(.+?)`", "<code>$1</code>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
