package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on synthetic data: {@code data.labelled} keeps the labels of 50 of the 600 training
 * samples. A label-only method learns from the 50 alone (cycled to 600 per epoch, never an
 * unlabelled one); a method that reads the teacher learns from all 600, 550 of them without a
 * label.
 */
class PartlyLabelledStudyTest {

  @TempDir Path dir;

  @Test
  void labelOnlyMethodsSeeTheLabelledSamplesAndTeacherMethodsSeeAll() throws IOException {
    Path data = TinyStudy.data(dir);
    String base =
        TinyStudy.yaml(dir, data, "")
            .replace("  split_seed: 3\n", "  split_seed: 3\n  labelled: 50\n")
            .replace("seeds: [1, 2]", "seeds: [1]")
            .replace("  epochs: 3\n", "  epochs: 2\n");
    withRecorder(
        () -> {
          List<Integer> labels = run(base, "terms: [{id: labels-only}, {id: record-labels}]");
          assertEquals(2 * 600, labels.size(), "two epochs of 600 samples");
          assertEquals(
              0, Collections.frequency(labels, -1), "label-only never sees an unlabelled one");
          for (int c = 0; c < 10; c++) {
            // 5 labelled samples per class, each repeated 12 times an epoch
            assertEquals(2 * 60, Collections.frequency(labels, c), "class " + c);
          }

          List<Integer> kd =
              run(
                  base,
                  "terms: [{id: hinton-kd, params: {temperature: 4, alpha: 0.9}},"
                      + " {id: record-labels}]");
          assertEquals(2 * 600, kd.size());
          assertEquals(2 * 550, Collections.frequency(kd, -1), "550 unlabelled samples an epoch");
          for (int c = 0; c < 10; c++) {
            assertEquals(2 * 5, Collections.frequency(kd, c), "class " + c);
          }
        });
  }

  @Test
  void aTransferLimitCutsWhatEveryMethodLearnsFrom() throws IOException {
    Path data = TinyStudy.data(dir);
    String base =
        TinyStudy.yaml(dir, data, "")
            .replace("  split_seed: 3\n", "  split_seed: 3\n  transfer_limit: 100\n")
            .replace("seeds: [1, 2]", "seeds: [1]")
            .replace("  epochs: 3\n", "  epochs: 2\n");
    withRecorder(
        () -> {
          for (String method :
              List.of(
                  "terms: [{id: labels-only}, {id: record-labels}]",
                  "terms: [{id: hinton-kd, params: {temperature: 4, alpha: 0.9}},"
                      + " {id: record-labels}]")) {
            List<Integer> labels =
                run(
                    base,
                    method,
                    "transfer set: the students learn from 100 of 600 training samples");
            assertEquals(2 * 100, labels.size(), method);
            for (int c = 0; c < 10; c++) {
              assertEquals(2 * 10, Collections.frequency(labels, c), method + " class " + c);
            }
          }
        });
  }

  @Test
  void tooManyLabelsIsAOneLineError() throws IOException {
    Path data = TinyStudy.data(dir);
    Path study =
        TinyStudy.write(
            dir,
            TinyStudy.yaml(dir, data, "")
                .replace("  split_seed: 3\n", "  split_seed: 3\n  labelled: 600\n"));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("data.labelled must be less than the 600 training samples")
            && r.err().contains("found 600"),
        r.err());
  }

  /** A body that may throw. */
  private interface Body {
    void run() throws IOException;
  }

  /** Runs a body with the test-only {@code record-labels} strategy on the class path. */
  private void withRecorder(Body body) throws IOException {
    Path services = dir.resolve("services/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve("org.taqtir.api.StrategyProvider"), LabelRecorder.class.getName());
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.resolve("services").toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      body.run();
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  private List<Integer> run(String base, String method) throws IOException {
    return run(base, method, "labels: the students have labels for 50 of 600 training samples");
  }

  private List<Integer> run(String base, String method, String logged) throws IOException {
    String yaml =
        base.replace(
            "  - id: labels-only\n  - name: kd\n    id: hinton-kd\n"
                + "    params: {temperature: 4, alpha: 0.9}",
            "  - name: m\n    " + method);
    Path study = TinyStudy.write(dir, yaml);
    LabelRecorder.ALL.clear();
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(logged), r.out());
    return List.copyOf(LabelRecorder.ALL);
  }
}
