package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks that the numbers quoted in the course's prose match the notebooks' committed outputs, so
 * that neither a re-run that changes an output nor an edit of the prose leaves them disagreeing.
 * The quotes are in {@code notebooks/tools/quoted-numbers.json}: for each, the markdown cell
 * containing {@code prose_cell} must match the regular expression {@code prose}, the code cell
 * whose source contains {@code output_cell} must have outputs matching {@code output}, and the
 * output's number (group 1) times {@code scale}, rounded half-up to as many decimals as the quoted
 * number has, must equal the quoted number (group 1, commas dropped). It reads JSON only, so it
 * needs neither Jupyter nor the data set; {@code notebooks/tools/check_quoted_numbers.py} is the
 * same check in Python, for editing the course without a build.
 */
class NotebookQuotedNumbersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> quotedNumbersMatchTheOutputs() throws IOException {
    Path notebooks = Path.of("../../notebooks").toAbsolutePath().normalize();
    Path list = notebooks.resolve("tools").resolve("quoted-numbers.json");
    JsonNode quotes = JSON.readTree(list.toFile()).path("quotes");
    assertTrue(quotes.size() > 0, "no quotes in " + list);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode q : quotes) {
      String name = q.path("notebook").asText() + ": " + q.path("what").asText();
      tests.add(DynamicTest.dynamicTest(name, () -> check(q, notebooks)));
    }
    return tests.stream();
  }

  private static void check(JsonNode quote, Path notebooks) throws IOException {
    String name = quote.path("notebook").asText();
    JsonNode cells = JSON.readTree(notebooks.resolve(name).toFile()).path("cells");

    String proseCell = quote.path("prose_cell").asText();
    String prose = text(onlyCell(cells, "markdown", proseCell, name).path("source"));
    String proseRegex = quote.path("prose").asText();
    Matcher m = Pattern.compile(proseRegex).matcher(prose);
    assertTrue(m.find(), name + ": the prose no longer matches /" + proseRegex + "/");
    BigDecimal expected = new BigDecimal(m.group(1).replace(",", ""));

    String outputCell = quote.path("output_cell").asText();
    String outputs = outputsText(onlyCell(cells, "code", outputCell, name));
    String outputRegex = quote.path("output").asText();
    Matcher n = Pattern.compile(outputRegex).matcher(outputs);
    assertTrue(n.find(), name + ": the outputs no longer match /" + outputRegex + "/");
    BigDecimal scale = new BigDecimal(quote.path("scale").asText());
    BigDecimal scaled = new BigDecimal(n.group(1)).multiply(scale);
    BigDecimal value = scaled.setScale(expected.scale(), RoundingMode.HALF_UP);

    String says = name + ": the prose says " + m.group(1) + ", the outputs say " + n.group(1);
    assertEquals(expected, value, says);
  }

  /** The one cell of the given type whose source contains {@code snippet}. */
  private static JsonNode onlyCell(JsonNode cells, String kind, String snippet, String name) {
    List<JsonNode> hits = new ArrayList<>();
    for (JsonNode c : cells) {
      if (c.path("cell_type").asText().equals(kind) && text(c.path("source")).contains(snippet)) {
        hits.add(c);
      }
    }
    assertEquals(1, hits.size(), name + ": " + kind + " cells containing '" + snippet + "'");
    return hits.get(0);
  }

  /** The text of a cell's stream and {@code text/plain} outputs, one output a line. */
  private static String outputsText(JsonNode cell) {
    List<String> parts = new ArrayList<>();
    for (JsonNode o : cell.path("outputs")) {
      if (o.has("text")) {
        parts.add(text(o.path("text")));
      } else if (o.path("data").has("text/plain")) {
        parts.add(text(o.path("data").path("text/plain")));
      }
    }
    return String.join("\n", parts);
  }

  /** A notebook field that is a string or an array of strings (nbformat writes both). */
  private static String text(JsonNode value) {
    if (!value.isArray()) {
      return value.asText();
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode line : value) {
      s.append(line.asText());
    }
    return s.toString();
  }
}
