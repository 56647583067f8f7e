package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.data.IdxImages;
import org.taqtir.core.data.IdxWriter;
import org.taqtir.tracking.RunStore;

/**
 * A study that cannot run is refused before it is recorded (no run, no run directory); one that
 * fails after it started is recorded FAILED with its error, never left RUNNING.
 */
class FailedStudyTest {

  @TempDir Path dir;

  private Path studyWith(String from, String to) throws IOException {
    Path data = TinyStudy.data(dir);
    String yaml = TinyStudy.yaml(dir, data, "").replace("seeds: [1, 2]", "seeds: [1]");
    assertTrue(yaml.contains(from), from);
    return TinyStudy.write(dir, yaml.replace(from, to));
  }

  /** Runs the study and checks it left nothing behind: no run recorded, no run directory. */
  private TinyStudy.Result refusedBeforeRecording(Path study, int code) {
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(code, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("taqtir: ")).count());
    Path db = dir.resolve("runs/taqtir.db");
    if (Files.exists(db)) {
      try (RunStore s = RunStore.open(db)) {
        assertEquals(List.of(), s.runs(10), "nothing recorded");
      }
    }
    assertFalse(Files.exists(dir.resolve("runs/tiny")), "no run directory left behind");
    return r;
  }

  @Test
  void aTeacherThatCannotBeLoadedIsRefusedBeforeRecording() throws IOException {
    Path study =
        studyWith(
            "  train:\n    architecture: {id: mlp, params: {hidden: [64]}}\n"
                + "    training: {epochs: 4}\n",
            "  load: {id: djl-model, params: {path: no-such-teacher}}\n");
    TinyStudy.Result r = refusedBeforeRecording(study, 2);
    assertTrue(r.err().contains("no-such-teacher/teacher.json not found"), r.err());
  }

  @Test
  void aDivergingTeacherIsRefusedBeforeRecording() throws IOException {
    Path study = studyWith("training: {epochs: 4}", "training: {epochs: 4, optimizer: {lr: 1e30}}");
    TinyStudy.Result r = refusedBeforeRecording(study, 1);
    assertTrue(r.err().contains("teacher training failed: training diverged"), r.err());
  }

  @Test
  void testImagesOfAnotherShapeAreRefusedBeforeTheTeacherTrains() throws IOException {
    Path study = studyWith("seeds: [1]", "seeds: [1]");
    Path data = dir.resolve("data");
    IdxWriter.writeImages(
        data.resolve("t10k-images-idx3-ubyte.gz"),
        new IdxImages(300, 14, 14, new byte[300 * 196]),
        true);
    TinyStudy.Result r = refusedBeforeRecording(study, 2);
    assertFalse(r.out().contains("teacher: training"), r.out());
    assertEquals(
        "taqtir: study.yaml: t10k-images-idx3-ubyte.gz: the test images are 1×14×14 but the"
            + " training images (train-images-idx3-ubyte.gz) are 1×28×28; both files must hold"
            + " images of one shape",
        r.err().strip());
  }

  @Test
  void classesOutOfRangeAndTruncatedTeacherWeightsLeaveNothingBehind() throws IOException {
    Path study =
        studyWith("  split_seed: 3\n", "  split_seed: 3\n  transfer_exclude_classes: [12]\n");
    TinyStudy.Result r = refusedBeforeRecording(study, 2);
    assertTrue(
        r.err().contains("data.transfer_exclude_classes[0] must be a class index in [0, 9]"),
        r.err());

    Files.writeString(study, Files.readString(study).replace("transfer_exclude_classes: [12]", ""));
    TinyStudy.Result ok = TinyStudy.cli("run", study.toString());
    assertEquals(0, ok.code(), ok.out() + ok.err());
    Path teacher;
    try (Stream<Path> s = Files.list(dir.resolve("runs/teachers"))) {
      teacher = s.findFirst().orElseThrow();
    }
    Path weights = teacher.resolve("teacher-0000.params");
    byte[] b = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(b, b.length / 2));
    Files.delete(teacher.resolve("teacher-0000.params.sha256")); // as written before digests
    Files.walk(dir.resolve("runs/tiny"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    Files.delete(dir.resolve("runs/taqtir.db"));
    TinyStudy.Result truncated = refusedBeforeRecording(study, 2);
    assertTrue(truncated.err().contains(weights + ": cannot load these weights"), truncated.err());
  }
}
