package org.taqtir.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.taqtir.api.Plugin;
import org.taqtir.core.classification.ClassNames;
import org.taqtir.core.config.Study;
import org.taqtir.core.run.TeacherSummary;
import org.taqtir.core.study.StudyRenderer;
import org.taqtir.core.study.StudyResult;
import tech.tablesaw.api.Table;

/**
 * The report of a classification study: {@code results.md} and {@code results.csv} (the results
 * table), {@code learning-curves.png} and {@code test-accuracy.png}, and the Distillation Loss
 * Statement with its charts when the study evaluated what was lost.
 */
public final class ClassificationRenderer implements StudyRenderer {

  @Override
  public String task() {
    return Plugin.CLASSIFICATION;
  }

  @Override
  public Rendered render(StudyResult result, Consumer<String> out) {
    Study study = result.study();
    Path dir = result.outputDir();
    List<Path> files = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    Table table = ResultsTable.of(result);
    String markdown = ResultsTable.toMarkdown(table, teacherLine(result.teacher()));
    files.add(write(dir.resolve("results.md"), "# " + study.name() + "\n\n" + markdown));
    table.write().csv(dir.resolve("results.csv").toFile());
    files.add(dir.resolve("results.csv"));
    out.accept("");
    out.accept(markdown);
    if (study.output().plots()) {
      Path curves =
          StudyCharts.savePng(
              StudyCharts.learningCurves(result), dir.resolve("learning-curves.png"));
      Path bars =
          StudyCharts.savePng(
              StudyCharts.testAccuracy(result, table), dir.resolve("test-accuracy.png"));
      files.add(curves);
      files.add(bars);
      out.accept("plots: " + curves + "\n       " + bars);
    }
    out.accept("results: " + dir.resolve("results.md"));
    if (result.loss() != null) {
      Path statement = LossStatement.write(result, ClassNames.of(study, dir), dir);
      for (String f :
          new String[] {
            "loss-statement.md",
            "loss-statement.html",
            "loss-report.json",
            "reliability.png",
            "corruptions.png"
          }) {
        if (Files.exists(dir.resolve(f))) {
          files.add(dir.resolve(f));
        }
      }
      out.accept("Distillation Loss Statement: " + statement);
      for (var m : result.loss().methods()) {
        for (var t : m.targets()) {
          if (!t.met()) {
            String line =
                String.format(
                    Locale.ROOT,
                    "target not met: %s / %s: %s (value %.4f, bound %.4f)",
                    m.student(),
                    m.method(),
                    t.target().text(),
                    t.value(),
                    t.bound());
            missed.add(line);
            out.accept(line);
          }
        }
      }
    }
    return new Rendered(files, missed);
  }

  private static String teacherLine(TeacherSummary t) {
    if (t == null) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "teacher: %s — val acc %.2f %%, test acc %.2f %%%s",
        t.description(),
        100 * t.valAcc(),
        100 * t.testAcc(),
        t.trainedNow() ? String.format(Locale.ROOT, " (trained in %.1f s)", t.trainSeconds()) : "");
  }

  private static Path write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
