package org.taqtir.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The study file as Jackson binds it: keys snake_case, every field nullable (absent or {@code null}
 * means "use the default"), unknown keys rejected. {@link StudyParser} validates and resolves these
 * into the public records; the {@code data} and {@code evaluation} blocks stay trees, for the
 * study's task to read.
 */
final class Raw {

  private Raw() {}

  record StudyRaw(
      String name,
      String description,
      String task,
      JsonNode data,
      TeacherRaw teacher,
      List<StudentRaw> students,
      List<MethodRaw> strategies,
      TrainingRaw training,
      List<Long> seeds,
      JsonNode evaluation,
      OutputRaw output) {}

  // topK_dtype: Jackson's snake_case makes it top_k_dtype (topKDtype would read top_kdtype)
  record TeacherRaw(TrainRaw train, RefRaw load, String outputs, Integer topK, String topK_dtype) {}

  record TrainRaw(RefRaw architecture, TrainingRaw training) {}

  record RefRaw(String id, Map<String, Object> params) {}

  record StudentRaw(String name, RefRaw architecture) {}

  record MethodRaw(
      String name, String id, Map<String, Object> params, Double weight, List<TermRaw> terms) {}

  record TermRaw(
      String id,
      Map<String, Object> params,
      Double weight,
      Integer fromEpoch,
      Integer untilEpoch) {}

  record TrainingRaw(
      Integer epochs,
      Integer batchSize,
      OptimizerRaw optimizer,
      ScheduleRaw schedule,
      Integer jitter) {}

  record OptimizerRaw(
      String type,
      Double lr,
      Double momentum,
      Double beta1,
      Double beta2,
      Double eps,
      Double weightDecay) {}

  record ScheduleRaw(
      String type, Integer stepSize, Double gamma, Double minLr, Integer warmupEpochs) {}

  record OutputRaw(String dir, Boolean plots) {}
}
