package org.taqtir.core.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.Capability;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Student;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.config.Term;
import org.taqtir.core.data.Hashes;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.History;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.train.Selection;
import org.taqtir.core.train.Trainer;
import org.taqtir.core.train.TrainingTrace;
import org.taqtir.core.train.WeightFiles;

/**
 * The teacher a study trains itself ({@code teacher.train}): where it is stored (a hash of what
 * defines it), training it once with the task's label strategy, and the check that every method's
 * teacher taps exist before anything trains.
 */
final class TeacherTraining {

  private final StudyPipeline pipeline;

  TeacherTraining(StudyPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * Trains the teacher into {@code dir} unless it is already there.
   *
   * @return whether it was trained now
   */
  boolean ensure(ResolvedStudy study, TaskData data, Path dir, boolean evaluateOnly) {
    Path descriptor = dir.resolve("teacher.json");
    Path weights = dir.resolve("teacher-0000.params");
    if (Files.isRegularFile(descriptor) && Files.isRegularFile(weights)) {
      if (WeightFiles.check(weights) != WeightFiles.Check.DIFFERS) {
        pipeline.log().accept("teacher: reusing " + dir);
        return false;
      }
      if (evaluateOnly) {
        throw new IllegalArgumentException(
            WeightFiles.differs(weights, "the teacher's weights")
                + "; the students were distilled from the original teacher");
      }
      pipeline
          .log()
          .accept(
              "teacher: "
                  + WeightFiles.differs(weights, "the saved weights")
                  + "; training the teacher again");
    }
    if (evaluateOnly) {
      throw new IllegalArgumentException(
          "the teacher the students were distilled from is no longer at "
              + dir
              + "; evaluating them needs it");
    }
    Study s = study.study();
    TeacherConfig tc = s.teacher();
    Student arch = pipeline.createStudent(tc.trainArchitecture(), data.teacherShape());
    String labelId = study.task().labelStrategy();
    StrategyProvider labels = pipeline.registry().strategies().get(labelId);
    Term.Bound term =
        new Term(new PluginRef(labelId, labels.params().defaults()), 1.0).bind(labels);
    long seed = s.seeds().get(0);
    pipeline.log().accept("teacher: training " + arch.describe() + " (seed " + seed + ")");
    Trainer trainer =
        new Trainer(tc.trainTraining(), seed, List.of(term), null)
            .select(Selection.of(s.evaluation().select()))
            .listeners(
                TrainingTrace.start("teacher", data.teacherTrain(), data.validation(), data.test()),
                pipeline.progress("teacher"));
    try (Trainer.Fit fit =
        trainer.fit(arch, "teacher", data.teacherTrain(), data.teacherValidator())) {
      var r = fit.result();
      if (!r.ok()) {
        throw new IllegalStateException("teacher training failed: " + r.error());
      }
      if (fit.run().bestWeights() != null) {
        fit.model().save(dir);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("architecture", tc.trainArchitecture().id());
      json.put("params", tc.trainArchitecture().params().values());
      json.put("input_shape", data.teacherShape().input().getShape());
      json.put("classes", data.teacherShape().numClasses());
      json.put("description", arch.describe());
      json.put("best_epoch", r.bestEpoch() + 1);
      json.put("val_acc", r.bestValAcc());
      json.put("seed", seed);
      json.put("data_hash", data.hash());
      try {
        Files.writeString(
            descriptor,
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      History.write(dir, r.history());
    }
    return true;
  }

  /** See {@link StudyPipeline#teacherDir}. */
  static Path dir(Study study, String dataHash) {
    TeacherConfig tc = study.teacher();
    String identity =
        "arch="
            + tc.trainArchitecture().id()
            + "\nparams="
            + tc.trainArchitecture().params().values()
            + "\ntraining="
            + tc.trainTraining()
            + "\nseed="
            + study.seeds().get(0)
            + "\ndata="
            + dataHash
            + (Selection.VAL_ACC.equals(study.evaluation().select())
                ? ""
                : "\nselect=" + study.evaluation().select());
    return study
        .output()
        .dir()
        .resolve("teachers")
        .resolve(Hashes.sha256(identity).substring(0, 16));
  }

  /**
   * Fails before any training when a method needs teacher taps the teacher does not expose (e.g.
   * FitNets with an ONNX or logits-file teacher), naming the method, the strategy, the missing taps
   * and the configured methods that do fit.
   */
  static void checkTaps(
      PluginRegistry registry, ResolvedStudy study, List<String> available, String teacher) {
    List<String> fit =
        study.methods().stream()
            .filter(m -> available.containsAll(m.teacherTaps()))
            .map(ResolvedStudy.Method::name)
            .toList();
    for (ResolvedStudy.Method m : study.methods()) {
      Set<String> missing = new LinkedHashSet<>(m.teacherTaps());
      missing.removeAll(available);
      if (!missing.isEmpty()) {
        Study s = study.study();
        String file = s.file() == null ? "study" : s.file().getFileName().toString();
        List<String> ids = m.terms().stream().map(Term.Bound::id).toList();
        throw new IllegalArgumentException(
            file
                + ": method '"
                + m.name()
                + "' ("
                + String.join(" + ", ids)
                + ") needs teacher feature taps "
                + missing
                + ", but teacher "
                + teacher
                + (available.isEmpty() ? " exposes logits only" : " exposes only taps " + available)
                + "; configured methods that fit this teacher: "
                + (fit.isEmpty() ? "(none)" : String.join(", ", fit))
                + "; strategies that need no teacher features: "
                + String.join(
                    ", ",
                    registry.strategies().all().stream()
                        .filter(
                            p ->
                                p.capabilities().contains(Capability.NEEDS_TEACHER)
                                    && !p.capabilities().contains(Capability.NEEDS_FEATURES)
                                    && p.worksWith(s.task()))
                        .map(StrategyProvider::id)
                        .toList()));
      }
    }
  }
}
