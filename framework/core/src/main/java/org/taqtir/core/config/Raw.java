package org.taqtir.core.config;

import java.util.List;
import java.util.Map;

/**
 * The study file as Jackson binds it: keys snake_case, every field nullable (absent or {@code null}
 * means "use the default"), unknown keys rejected. {@link StudyParser} validates and resolves these
 * into the public records.
 */
final class Raw {

  private Raw() {}

  record StudyRaw(
      String name,
      String description,
      DataRaw data,
      TeacherRaw teacher,
      List<StudentRaw> students,
      List<MethodRaw> strategies,
      TrainingRaw training,
      List<Long> seeds,
      EvaluationRaw evaluation,
      OutputRaw output) {}

  record DataRaw(
      String source,
      String dir,
      Integer trainLimit,
      Integer testLimit,
      Integer validation,
      Long splitSeed,
      List<Integer> transferExcludeClasses,
      String file,
      String target,
      List<String> features,
      List<String> categorical,
      String group,
      String splitColumn,
      Integer test,
      Object binarizeTarget) {}

  record TeacherRaw(TrainRaw train, RefRaw load, String outputs) {}

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
      Integer epochs, Integer batchSize, OptimizerRaw optimizer, ScheduleRaw schedule) {}

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

  record EvaluationRaw(
      Boolean test,
      String select,
      Boolean lossStatement,
      Boolean corruptions,
      Long corruptionSeed,
      Integer bootstrap,
      String cascadeRule,
      Double targetAccuracy,
      List<String> targets,
      Boolean failOnTargets,
      Double cascadeBudget,
      Double cascadeMaxDeferral) {}

  record OutputRaw(String dir, Boolean plots) {}
}
