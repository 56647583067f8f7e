package org.taqtir.core.classification;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.taqtir.api.Plugin;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataSpec;
import org.taqtir.core.config.EvaluationSpec;
import org.taqtir.core.config.Study;
import org.taqtir.core.task.Task;
import org.taqtir.core.task.TaskData;

/**
 * {@code classification}: one class per sample, from images (Fashion-MNIST-style IDX files) or a
 * table (CSV with a declared schema). The student's own loss is label cross-entropy ({@code
 * labels-only}); epochs are selected by validation accuracy; the "what did we lose" evaluation is
 * the Distillation Loss Statement of {@code docs/evaluation.md}.
 */
public final class ClassificationTask implements Task {

  @Override
  public String id() {
    return Plugin.CLASSIFICATION;
  }

  @Override
  public String description() {
    return "one class per sample (images or tables); label cross-entropy, accuracy, Loss Statement";
  }

  @Override
  public DataSpec data(ConfigSection data) {
    return ClassificationConfig.data(data);
  }

  @Override
  public EvaluationSpec evaluation(ConfigSection evaluation) {
    return ClassificationConfig.evaluation(evaluation);
  }

  @Override
  public String labelStrategy() {
    return "labels-only";
  }

  @Override
  public TaskData load(Study study, Path runDir, Consumer<String> log) {
    return ClassificationData.load(study, runDir, log);
  }
}
