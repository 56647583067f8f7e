package org.taqtir.core.task;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.taqtir.api.Plugin;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataSpec;
import org.taqtir.core.config.EvaluationSpec;
import org.taqtir.core.config.Study;

/**
 * A kind of problem Taqtir distils models for: classification, language modelling, ... A task owns
 * what is specific to its kind of problem, as Tribuo's task modules do over one core: the study
 * file's {@code data:} and {@code evaluation:} blocks, its data and batch shape, the student's own
 * loss (label cross-entropy, next-token cross-entropy), the per-epoch validation metrics, the
 * evaluation of teachers and students ("what did we lose") and, through a {@code StudyRenderer},
 * its report. The study pipeline, the training loop, the tracking and the registry are the same for
 * every task.
 *
 * <p>A study names its task by id ({@code task: language-modelling}; {@value
 * org.taqtir.api.Plugin#CLASSIFICATION} when absent). Register an implementation in {@code
 * META-INF/services/org.taqtir.core.task.Task}; it is constructed by {@link
 * java.util.ServiceLoader} and must be cheap to construct. Plugins (strategies, students, teachers)
 * say which tasks they work with ({@link Plugin#tasks()}); a study refuses the others.
 */
public interface Task extends Plugin {

  /**
   * Reads the study's {@code data:} block.
   *
   * @param data the block (possibly absent: defaults then apply)
   * @return the resolved data settings
   * @throws org.taqtir.core.config.ConfigException naming the field when a value is invalid
   */
  DataSpec data(ConfigSection data);

  /**
   * Reads the study's {@code evaluation:} block.
   *
   * @param evaluation the block (possibly absent)
   * @return the resolved evaluation settings
   * @throws org.taqtir.core.config.ConfigException naming the field when a value is invalid
   */
  EvaluationSpec evaluation(ConfigSection evaluation);

  /**
   * Returns the id of the strategy that trains a model from the data alone (label cross-entropy,
   * next-token cross-entropy): a teacher the study trains is trained with it, and a method made of
   * it alone is the label-only baseline.
   *
   * @return a strategy id
   */
  String labelStrategy();

  /**
   * Loads the study's data: the inputs phase.
   *
   * @param study the resolved study of this task
   * @param runDir the study run's directory (for files describing the data, e.g. a schema)
   * @param log receives one-line status messages
   * @return the splits and their evaluation
   * @throws IllegalArgumentException naming the file and what is wrong when the data is invalid
   */
  TaskData load(Study study, Path runDir, Consumer<String> log);
}
