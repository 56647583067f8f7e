package org.taqtir.text.task;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataSpec;
import org.taqtir.core.config.EvaluationSpec;
import org.taqtir.core.config.Study;
import org.taqtir.core.task.Task;
import org.taqtir.core.task.TaskData;

/**
 * {@code language-modelling}: causal next-token prediction on text. Samples are windows of a
 * tokenized corpus; the student's own loss is next-token cross-entropy ({@code next-token}); epochs
 * are selected by validation loss; the evaluation reports bits per character (cross-entropy in bits
 * divided by characters per token, so character and subword tokenizers compare fairly) on the
 * validation, test, held-out and out-of-domain sets, with generated samples.
 */
public final class LanguageModellingTask implements Task {

  /** The task's id. */
  public static final String ID = "language-modelling";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "causal next-token prediction on text; bits per character, generated samples";
  }

  @Override
  public DataSpec data(ConfigSection data) {
    return TextConfig.data(data);
  }

  @Override
  public EvaluationSpec evaluation(ConfigSection evaluation) {
    return TextConfig.Evaluation.parse(evaluation);
  }

  @Override
  public String labelStrategy() {
    return "next-token";
  }

  @Override
  public TaskData load(Study study, Path runDir, Consumer<String> log) {
    return TextData.load(study, runDir, log);
  }
}
