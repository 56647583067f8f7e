package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code cnn} teacher trained in the study, its 4-D taps cached (and, on the second run, read
 * back from the cache and then computed per batch), distilled into a {@code cnn} student with AT
 * and NST across different channel counts.
 */
class CnnStudyTest {

  @TempDir Path dir;

  private String yaml(Path data, String outputs) {
    return """
        name: tiny-cnn
        data:
          dir: %s
          validation: 200
          split_seed: 3
        teacher:
          train:
            architecture: {id: cnn, params: {channels: [4, 8], kernel: 3, hidden: [32]}}
            training: {epochs: 2}
          outputs: %s
        students:
          - name: small
            architecture: {id: cnn, params: {channels: [2, 4], kernel: 3, hidden: [16]}}
        strategies:
          - name: at
            terms: [{id: labels-only}, {id: at, params: {student_layer: block1, teacher_layer: block1}}]
          - name: nst
            terms: [{id: labels-only}, {id: nst, params: {beta: 10}}]
        training:
          epochs: 2
          batch_size: 32
          optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
        seeds: [1]
        evaluation: {test: true, loss_statement: false}
        output:
          dir: %s
          plots: false
        """
        .formatted(data, outputs, dir.resolve("runs"));
  }

  @Test
  void cnnTeacherTrainsAndItsFeatureMapsDistilIntoACnnStudent() throws IOException {
    Path data = TinyStudy.data(dir);
    TinyStudy.Result first =
        TinyStudy.cli("run", TinyStudy.write(dir, yaml(data, "cached")).toString());
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("teacher: training cnn 1x28x28-c4-c8-32-10 k3"), first.out());
    assertTrue(first.out().contains("computed and cached"), first.out());
    assertTrue(
        first.out().contains("| small | cnn 1x28x28-c2-c4-16-10 k3 | at | 1 |"), first.out());
    assertTrue(
        first.out().contains("| small | cnn 1x28x28-c2-c4-16-10 k3 | nst | 1 |"), first.out());

    TinyStudy.Result again =
        TinyStudy.cli("run", TinyStudy.write(dir, yaml(data, "cached")).toString());
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("read from cache"), again.out());
    assertEquals(table(first.out()), table(again.out()), "4-D taps read back from the cache");

    TinyStudy.Result live =
        TinyStudy.cli("run", TinyStudy.write(dir, yaml(data, "per-batch")).toString());
    assertEquals(0, live.code(), live.out() + live.err());
    assertTrue(live.out().contains("| small | cnn 1x28x28-c2-c4-16-10 k3 | nst | 1 |"), live.out());
  }

  /** The results table's rows up to the parameter count (accuracies included, times not). */
  private static String table(String out) {
    StringBuilder rows = new StringBuilder();
    for (String line : out.split("\n")) {
      if (line.startsWith("| small |")) {
        String[] cells = line.split("\\|");
        rows.append(String.join("|", java.util.Arrays.copyOf(cells, 9))).append('\n');
      }
    }
    return rows.toString();
  }
}
