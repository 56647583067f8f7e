package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.tracking.RunStore;

/** {@code taqtir runs export} and {@code runs plot} on a store written here (no training). */
class RunsExportPlotTest {

  @TempDir Path dir;

  private Path store() {
    Path db = dir.resolve("t.db");
    try (RunStore s = RunStore.open(db)) {
      long e = s.experiment("s");
      String study = s.startRun(e, null, "s run");
      for (int seed = 1; seed <= 2; seed++) {
        String id = s.startRun(e, study, "mlp/kd/seed" + seed);
        s.params(id, Map.of("student", "mlp", "method", "kd", "seed", String.valueOf(seed)));
        for (int step = 1; step <= 2; step++) {
          s.metrics(id, Map.of("val/acc", 0.5 + step / 10.0 + seed / 100.0), step);
        }
        s.metrics(id, Map.of("test/acc", 0.7 + seed / 100.0, "best/val_acc", 0.7), 2);
        s.finish(id, "FINISHED");
      }
      s.finish(study, "FINISHED");
    }
    return db;
  }

  @Test
  void exportWritesOneRowPerRunOrEveryStepAsCsvMarkdownOrHtml() throws Exception {
    Path db = store();
    var csv = TinyStudy.cli("runs", "export", "--store", db.toString(), "--study", "s");
    assertEquals(0, csv.code(), csv.err());
    var lines = csv.out().lines().toList();
    assertEquals(3, lines.size(), csv.out());
    assertTrue(lines.get(0).startsWith("study_run,run_id,name,status,method,seed,student,"));
    assertTrue(lines.get(2).contains(",mlp/kd/seed2,FINISHED,kd,2,mlp,"), lines.get(2));
    assertTrue(lines.get(2).contains(",0.72,"), lines.get(2));

    var hist =
        TinyStudy.cli("runs", "export", "--store", db.toString(), "--study", "s", "--history");
    assertEquals(1 + 2 * (2 + 2), hist.out().lines().count(), hist.out());

    var md =
        TinyStudy.cli("runs", "export", "--store", db.toString(), "--study", "s", "--format", "md");
    assertTrue(md.out().startsWith("| study_run | run_id | name |"), md.out());
    Path html = dir.resolve("runs.html");
    var h =
        TinyStudy.cli(
            "runs",
            "export",
            "--store",
            db.toString(),
            "--study",
            "s",
            "--format",
            "html",
            "--out",
            html.toString());
    assertEquals(0, h.code(), h.err());
    assertTrue(Files.readString(html).contains("<table"), Files.readString(html));

    var bad = TinyStudy.cli("runs", "export", "--store", db.toString(), "--format", "xls");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--format must be csv, md or html, found xls"), bad.err());
  }

  @Test
  void resumingAnUnknownRunListsRecentRuns() {
    Path db = store();
    var r = TinyStudy.cli("run", "--resume", "abcdef", "--store", db.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no run 'abcdef' in " + db + "; recent: "), r.err());
    assertTrue(r.err().contains("mlp/kd/seed2"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void plotWritesLearningCurvesAndTheComparisonAsPng() throws Exception {
    Path db = store();
    Path out = dir.resolve("plots");
    var r =
        TinyStudy.cli(
            "runs", "plot", "--store", db.toString(), "--study", "s", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"learning-curves-val-acc.png", "comparison-test_acc.png"}) {
      BufferedImage img = ImageIO.read(out.resolve(f).toFile());
      assertTrue(img != null && img.getWidth() > 500, f);
    }
  }
}
