package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplaysTest {

  @Test
  void wrappersShowAsTheirMimeType() {
    DisplayData h = Displays.render(new Html("<b>x</b>"));
    assertEquals("<b>x</b>", h.getData(MIMEType.TEXT_HTML));
    assertEquals("<b>x</b>", h.getData(MIMEType.TEXT_PLAIN));
    assertEquals("*m*", Displays.render(new Markdown("*m*")).getData(MIMEType.TEXT_MARKDOWN));
    assertEquals("null", Displays.render(null).getData(MIMEType.TEXT_PLAIN));
    org.taqtir.core.eval.MarkdownView view = () -> "| a |\n|---|\n| 1 |";
    assertEquals("| a |\n|---|\n| 1 |", Displays.render(view).getData(MIMEType.TEXT_MARKDOWN));
  }

  @Test
  void tablesAreEscapedHtml() {
    Table t = Table.create("t", StringColumn.create("a<b", "x&y"));
    String html = (String) Displays.render(t).getData(MIMEType.TEXT_HTML);
    assertTrue(html.contains("<th>a&lt;b</th>"), html);
    assertTrue(html.contains("<td>x&amp;y</td>"), html);
  }

  @Test
  void chartsArePng() {
    XYChart c = new XYChartBuilder().width(120).height(90).build();
    c.addSeries("s", new double[] {1, 2}, new double[] {2, 1});
    byte[] png =
        Base64.getDecoder().decode((String) Displays.render(c).getData(MIMEType.IMAGE_PNG));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  @Test
  void imagesArePngOfTheirOwnSize() throws Exception {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(7, 5, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(3, 2, 0, 200);
    byte[] png =
        Base64.getDecoder().decode((String) Displays.render(img).getData(MIMEType.IMAGE_PNG));
    java.awt.image.BufferedImage back =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
    assertEquals(7, back.getWidth());
    assertEquals(5, back.getHeight());
    assertEquals(200, back.getRaster().getSample(3, 2, 0));
    assertEquals(0, back.getRaster().getSample(2, 2, 0));
  }

  @Test
  void tableNumbersAreShortButKeepTheirIntegerDigits() {
    tech.tablesaw.api.Table t =
        tech.tablesaw.api.Table.create(
            "t",
            tech.tablesaw.api.DoubleColumn.create(
                "x", 0.88345, 0.0007071067811865482, 101770.0, 3.82011077, 0.0, Double.NaN),
            tech.tablesaw.api.IntColumn.create("n", 1, 2, 3, 4, 5, 6));
    String html = Displays.html(t);
    for (String cell :
        new String[] {
          "<td>0.8835</td>", "<td>0.0007071</td>", "<td>101770</td>", "<td>3.82</td>"
        }) {
      assertTrue(html.contains(cell), cell + " in " + html);
    }
    assertTrue(html.contains("<td>0</td><td>5</td>"), html);
    assertTrue(html.contains("<td></td><td>6</td>"), "NaN is a missing value: " + html);
  }
}
