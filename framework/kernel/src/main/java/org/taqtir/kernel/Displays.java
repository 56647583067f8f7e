package org.taqtir.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.Chart;
import org.taqtir.core.config.Study;
import org.taqtir.core.eval.MarkdownView;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Turns cell values into MIME bundles: charts and images ({@link RenderedImage}) as PNG, tables as
 * HTML, wrappers as they say.
 */
final class Displays {

  private static final int MAX_TABLE_ROWS = 200;

  private Displays() {}

  /**
   * Renders a value; {@code text/plain} is always present.
   *
   * @param value any object, may be null
   * @return a new bundle
   */
  static DisplayData render(Object value) {
    if (value instanceof DisplayData d) {
      return d;
    }
    if (value instanceof Html h) {
      DisplayData d = new DisplayData(h.source());
      d.putHTML(h.source());
      return d;
    }
    if (value instanceof Markdown m) {
      DisplayData d = new DisplayData(m.source());
      d.putMarkdown(m.source());
      return d;
    }
    DisplayData d =
        new DisplayData(
            value instanceof RenderedImage i
                ? "image " + i.getWidth() + "x" + i.getHeight()
                : String.valueOf(value));
    if (value instanceof Study s) {
      d.putMarkdown("**study " + s.name() + "**\n\n```yaml\n" + s.toYaml().strip() + "\n```");
    } else if (value instanceof MarkdownView v) {
      d.putMarkdown(v.markdown());
    } else if (value instanceof ContractResults r) {
      d.putHTML(html(r.table()));
    } else if (value instanceof Table t) {
      d.putHTML(html(t));
    } else if (value instanceof Chart<?, ?> c) {
      d.putData("image/png", png(c));
    } else if (value instanceof RenderedImage image) {
      d.putData("image/png", png(image));
    }
    return d;
  }

  static String png(Chart<?, ?> chart) {
    BufferedImage image =
        new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      chart.paint(g, chart.getWidth(), chart.getHeight());
    } finally {
      g.dispose();
    }
    return png(image);
  }

  static String png(RenderedImage image) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
      return Base64.getEncoder().encodeToString(png.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode the image as PNG", e);
    }
  }

  static String html(Table t) {
    StringBuilder b = new StringBuilder("<table>\n");
    if (t.name() != null && !t.name().isEmpty()) {
      b.append("<caption>").append(escape(t.name())).append("</caption>\n");
    }
    b.append("<thead><tr>");
    for (Column<?> c : t.columns()) {
      b.append("<th>").append(escape(c.name())).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    int rows = Math.min(t.rowCount(), MAX_TABLE_ROWS);
    for (int r = 0; r < rows; r++) {
      b.append("<tr>");
      for (Column<?> c : t.columns()) {
        b.append("<td>").append(escape(cell(c, r))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n");
    if (rows < t.rowCount()) {
      b.append("<p>").append(t.rowCount() - rows).append(" more rows</p>\n");
    }
    return b.toString();
  }

  /**
   * A cell as text; floating-point values with 4 significant digits (all integer digits kept), so a
   * mean of 0.88345 or a std of 0.000707106781 reads as 0.8835 and 0.0007071.
   */
  static String cell(Column<?> c, int row) {
    if (c.isMissing(row)) {
      return "";
    }
    Object v = c.get(row);
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
        return d == 0 ? "0" : Double.toString(d);
      }
      int intDigits = Math.max(0, (int) Math.floor(Math.log10(Math.abs(d))) + 1);
      return BigDecimal.valueOf(d)
          .round(new MathContext(Math.max(4, intDigits)))
          .stripTrailingZeros()
          .toPlainString();
    }
    return c.getString(row);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
