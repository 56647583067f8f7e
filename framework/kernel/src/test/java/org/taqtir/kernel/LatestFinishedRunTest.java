package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatestFinishedRunTest {

  @TempDir Path dir;

  @Test
  void noStudyDirectoryMeansNoRun() {
    assertTrue(Notebook.latestFinishedRun(dir, "nb05-what-we-lose").isEmpty());
  }

  @Test
  void picksTheNewestRunThatFinished() throws IOException {
    Path study = dir.resolve("nb05-what-we-lose");
    Path old = finished(study.resolve("20261201-101010"));
    Path newer = finished(study.resolve("20261203-090000"));
    // the newest started but did not finish (interrupted): no report yet
    Files.createDirectories(study.resolve("20261204-120000").resolve("runs"));
    // another study's later run is not this study's
    finished(dir.resolve("nb05-omitted-class").resolve("20261205-000000"));

    assertEquals(Optional.of(newer), Notebook.latestFinishedRun(dir, "nb05-what-we-lose"));
    Files.delete(newer.resolve("loss-report.json"));
    assertEquals(Optional.of(old), Notebook.latestFinishedRun(dir, "nb05-what-we-lose"));
  }

  private static Path finished(Path run) throws IOException {
    Files.createDirectories(run);
    Files.writeString(run.resolve("loss-report.json"), "{}");
    return run;
  }
}
