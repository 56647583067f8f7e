package org.taqtir.core.task.toy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.taqtir.core.study.StudyRenderer;
import org.taqtir.core.study.StudyResult;

/** The toy task's report: its metrics as a Markdown list, from the report's data alone. */
public final class ToyRenderer implements StudyRenderer {

  @Override
  public String task() {
    return ToySequenceTask.ID;
  }

  @Override
  public Rendered render(StudyResult result, Consumer<String> out) {
    StringBuilder sb = new StringBuilder("# " + result.study().name() + "\n\n");
    ((ToySequenceTask.Report) result.report())
        .metrics()
        .forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    Path file = result.outputDir().resolve("toy-report.md");
    try {
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.accept("toy report: " + file);
    return new Rendered(List.of(file), List.of());
  }
}
