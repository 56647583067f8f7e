package org.taqtir.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * A second home for what a {@link RunStore} records, e.g. an MLflow tracking server ({@link
 * MlflowSink}). The store calls it after each local write has been committed; runs are named by
 * their local ids. Implementations may throw: the store then warns once and stops mirroring.
 */
public interface RunSink {

  /**
   * Returns a short name for messages, e.g. {@code MLflow at http://host:5000}.
   *
   * @return the name
   */
  String name();

  /**
   * A run started.
   *
   * @param runId the local run id
   * @param experiment the experiment (study) name
   * @param parentId the local id of the parent run, or null
   * @param name the run's readable name
   * @param startTime epoch milliseconds
   */
  void startRun(String runId, String experiment, String parentId, String name, long startTime);

  /**
   * A run that ended or was interrupted is resumed; a sink that does not know the run (another
   * process started it) finds or creates its counterpart.
   *
   * @param runId the local run id
   * @param experiment the experiment name
   * @param parentId the local parent id, or null
   * @param name the run's name
   * @param startTime its original start, epoch milliseconds
   */
  void reopen(String runId, String experiment, String parentId, String name, long startTime);

  /**
   * Parameters were recorded.
   *
   * @param runId the local run id
   * @param params key to value
   */
  void params(String runId, Map<String, String> params);

  /**
   * Tags were set.
   *
   * @param runId the local run id
   * @param tags key to value
   */
  void tags(String runId, Map<String, String> tags);

  /**
   * Metrics were recorded at one step.
   *
   * @param runId the local run id
   * @param values key to value
   * @param step the step
   * @param timestamp epoch milliseconds
   */
  void metrics(String runId, Map<String, Double> values, long step, long timestamp);

  /**
   * A run wrote a file.
   *
   * @param runId the local run id
   * @param file the file
   */
  void artifact(String runId, Path file);

  /**
   * A run ended.
   *
   * @param runId the local run id
   * @param status FINISHED or FAILED
   * @param endTime epoch milliseconds
   */
  void finish(String runId, String status, long endTime);
}
