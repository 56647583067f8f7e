package org.taqtir.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.Study;
import org.taqtir.core.registry.fake.Fakes;

/**
 * A study file that is not what it should be (aliases, non-finite numbers, the wrong file, bytes
 * that are not UTF-8) is refused in one line naming the file, the line and the field.
 */
class StudyFileInputsTest {

  private static final String STUDY =
      """
      name: %s
      teacher:
        load: {id: djl-model, params: {path: teacher-dir}}
      students:
        - architecture: {id: mlp}
      strategies:
        - id: hinton-kd
      training:
        optimizer: {type: sgd, lr: %s}
      """;

  private final StudyParser parser = new StudyParser(Fakes.registry());

  @TempDir Path tmp;

  private String refused(String yaml) throws Exception {
    Path f = tmp.resolve("study.yaml");
    Files.writeString(f, yaml);
    return assertThrows(ConfigException.class, () -> parser.parse(f, Map.of())).getMessage();
  }

  @Test
  void anAliasIsRefusedAtItsLineInsteadOfReadAsTheAnchorsName() throws Exception {
    String yaml = "description: &nm my study\n" + STUDY.formatted("*nm", "0.1");
    assertEquals(
        "study.yaml:2: name: YAML aliases (*nm) are not supported; write the value out instead of"
            + " referring to an anchor",
        refused(yaml));
    String merged =
        "base: &b {epochs: 2}\n"
            + STUDY.formatted("s", "0.1").replace("training:\n", "training:\n  <<: *b\n");
    String m = refused(merged);
    assertTrue(m.startsWith("study.yaml:10: training.<<: "), m);
    assertTrue(m.contains("YAML aliases (*b) are not supported"), m);
  }

  @Test
  void nanInfinityAndOverflowingNumbersNameTheFieldAndWhatIsAllowed() throws Exception {
    for (String bad : new String[] {".nan", ".inf", "-.Inf", "1e999"}) {
      assertEquals(
          "study.yaml:9: training.optimizer.lr must be a finite number > 0, found " + bad,
          refused(STUDY.formatted("s", bad)),
          bad);
    }
    String param =
        STUDY
            .formatted("s", "0.1")
            .replace("- id: hinton-kd", "- {id: hinton-kd," + " params: {temperature: .nan}}");
    String m = refused(param);
    assertTrue(m.startsWith("study.yaml:7: strategies[0].params.temperature must be a finite"), m);
  }

  @Test
  void aHugeFileIsRefusedBeforeParsing() throws Exception {
    Path f = tmp.resolve("study.yaml");
    byte[] big = new byte[10 << 20];
    java.util.Arrays.fill(big, (byte) '#');
    Files.write(f, big);
    long start = System.nanoTime();
    String m = assertThrows(ConfigException.class, () -> parser.parse(f, Map.of())).getMessage();
    assertTrue((System.nanoTime() - start) / 1e9 < 5, "refused by size, not by parsing");
    assertTrue(m.startsWith("study.yaml: "), m);
    assertTrue(m.contains("is 10.0 MB; a study file is at most 1.0 MB"), m);
  }

  @Test
  void bytesThatAreNotUtf8NameTheirLine() throws Exception {
    Path f = tmp.resolve("study.yaml");
    String yaml = "description: caf\u00e9\n" + STUDY.formatted("s", "0.1");
    Files.write(f, yaml.getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(
        "study.yaml:1: not UTF-8 text (byte 0xe9 at column 17); save the study file as UTF-8",
        assertThrows(ConfigException.class, () -> parser.parse(f, Map.of())).getMessage());
    Files.writeString(f, yaml);
    Study ok = parser.parse(f, Map.of());
    assertEquals("caf\u00e9", ok.description());
  }

  @Test
  void aDirectoryIsNotAMissingFile() throws Exception {
    Path d = Files.createDirectory(tmp.resolve("studies"));
    String m = assertThrows(ConfigException.class, () -> parser.parse(d, Map.of())).getMessage();
    assertTrue(m.contains("is a directory; give the study file itself"), m);
  }
}
