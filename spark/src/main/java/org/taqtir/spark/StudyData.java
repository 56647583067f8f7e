package org.taqtir.spark;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.data.Samples;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.study.ResolvedStudy;
import org.taqtir.core.study.StudyPipeline;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.teacher.DefaultTeacherContext;

/**
 * A study resolved and its data loaded by the study pipeline's own phases ({@link
 * StudyPipeline#resolve}, {@link StudyPipeline#inputs}), on the driver or once per executor JVM
 * ({@link #on}), and the teacher loaded once per executor ({@link #teacher}). Both sides load the
 * same files (the study's data and teacher must be on a file system every node sees) and the driver
 * checks the executors' data hash against its own.
 */
final class StudyData implements AutoCloseable {

  private static final Map<String, StudyData> LOADED = new ConcurrentHashMap<>();

  final PluginRegistry registry;
  final Study study;
  final ResolvedStudy resolved;
  final StudyPipeline pipeline;
  final TaskData data;
  private volatile Teacher teacher;
  private NDManager manager;
  private Map<String, Target> targets;

  private StudyData(PluginRegistry registry, Study study) {
    this.registry = registry;
    this.study = study;
    this.pipeline = new StudyPipeline(registry, label -> null, line -> {});
    this.resolved = pipeline.resolve(study);
    this.data = pipeline.inputs(resolved, null);
  }

  /**
   * Loads a study's data on the driver.
   *
   * @param registry the plugins
   * @param study the parsed study
   * @return the loaded study
   */
  static StudyData driver(PluginRegistry registry, Study study) {
    return new StudyData(registry, study);
  }

  /**
   * Returns the study loaded in this JVM, loading it the first time (an executor serves many tasks
   * of a job: the data and the teacher are read once).
   *
   * @param yaml the resolved study ({@link Study#toYaml()}), as the driver parsed it
   * @param file the study file the driver read, for relative paths and messages (may be null)
   * @return the loaded study
   */
  static StudyData on(String yaml, String file) {
    return LOADED.computeIfAbsent(
        file + "\n" + yaml,
        k -> {
          PluginRegistry registry = PluginRegistry.load();
          Path f = file == null ? null : Path.of(file);
          return new StudyData(registry, new StudyParser(registry).parse(yaml, f, Map.of()));
        });
  }

  /**
   * The data sets a study looks up in its teacher-output cache, in the order the pipeline looks
   * them up, keyed by a name: {@code train} (the transfer set, with the strategies' taps), then the
   * task's evaluation sets ({@link TaskData#teacherSets()}: {@code validation}, {@code test},
   * {@code shifted/<corruption>}, ...).
   *
   * @param taps the teacher taps the study's strategies need
   * @return name to data set and taps
   */
  synchronized Map<String, Target> targets(Set<String> taps) {
    if (targets != null && targets.get("train").taps().equals(taps)) {
      return targets;
    }
    Map<String, Target> out = new LinkedHashMap<>();
    out.put("train", new Target(data.train(), taps));
    data.teacherSets().forEach((name, set) -> out.put(name, new Target(set, Set.of())));
    targets = out;
    return out;
  }

  /** A data set whose teacher outputs are cached, and the taps stored with the logits. */
  record Target(Samples data, Set<String> taps) {}

  /**
   * Returns the study's teacher, created on first use in this JVM in the pipeline's context; a
   * teacher the study trains must already be trained ({@link StudyPipeline#trainTeacher}).
   *
   * @return the frozen teacher, kept for the life of the JVM
   * @throws IllegalStateException when the study's teacher is not trained yet
   */
  Teacher teacher() {
    Teacher t = teacher;
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (teacher == null) {
        manager = NDManager.newBaseManager();
        PluginRef load = teacherRef();
        teacher =
            registry
                .teachers()
                .get(load.id())
                .create(
                    load.params(), DefaultTeacherContext.forStudy(study, data, manager, registry));
      }
      return teacher;
    }
  }

  /**
   * The teacher plugin the study's runs load: its own {@code teacher.load}, or the {@value
   * StudyPipeline#TEACHER_LOADER} plugin on the directory of the teacher it trains.
   *
   * @throws IllegalStateException when the study trains its teacher and it is not trained yet
   */
  PluginRef teacherRef() {
    if (study.teacher().load() != null) {
      return study.teacher().load();
    }
    Path dir = StudyPipeline.teacherDir(study, data.hash());
    if (!Files.isRegularFile(dir.resolve("teacher.json"))) {
      throw new IllegalStateException(
          "teacher.train: no trained teacher at "
              + dir
              + " (train it first: the driver does before it starts the job)");
    }
    return new PluginRef(
        StudyPipeline.TEACHER_LOADER, new Params(Map.of("path", dir.toAbsolutePath().toString())));
  }

  /** Trains the teacher the study trains, unless it is trained already. */
  void trainTeacher() {
    pipeline.trainTeacher(resolved, data);
  }

  /** Every (student, method, seed) of the study, in the order the study runs them. */
  List<SweepRun> grid() {
    List<SweepRun> out = new ArrayList<>();
    for (int s = 0; s < study.students().size(); s++) {
      for (int m = 0; m < study.strategies().size(); m++) {
        for (long seed : study.seeds()) {
          out.add(SweepRun.of(study, data.hash(), s, m, seed));
        }
      }
    }
    return out;
  }

  /**
   * Gives each run the study it runs. A teacher the study trains, and that is trained by now, is
   * given to each run as a loaded teacher (a one-seed study would otherwise look for a teacher
   * trained with its own seed).
   *
   * @param runs grid points
   * @return the same runs with their YAML
   */
  List<SweepRun> ready(List<SweepRun> runs) {
    TeacherConfig tc = study.teacher();
    TeacherConfig given =
        tc.load() == null
                && Files.isRegularFile(
                    StudyPipeline.teacherDir(study, data.hash()).resolve("teacher.json"))
            ? new TeacherConfig(null, null, teacherRef(), tc.outputs(), tc.topK())
            : tc;
    return runs.stream().map(r -> r.withTeacher(study, given)).toList();
  }

  /** Closes the teacher, if one was created (executors keep theirs for the life of the JVM). */
  @Override
  public synchronized void close() {
    if (teacher != null) {
      teacher.close();
      teacher = null;
    }
    if (manager != null) {
      manager.close();
      manager = null;
    }
  }
}
