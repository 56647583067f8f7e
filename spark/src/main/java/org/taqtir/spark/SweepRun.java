package org.taqtir.spark;

import java.io.Serializable;
import java.util.List;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.data.Hashes;

/**
 * One point of a study's grid: a student, a method and a seed, i.e. one normal Taqtir run.
 *
 * @param id deterministic id: the first 32 hex digits of SHA-256 over the one-run study's resolved
 *     YAML (name, data, teacher, training, evaluation, this student, method and seed) and the data
 *     hash, so the same run of the same study always has the same id and any change of its config
 *     or data gives a new one
 * @param label {@code <student>/<method>/seed<seed>}, the name {@code taqtir run} gives the run
 * @param student index into the study's students
 * @param method index into the study's methods
 * @param seed the seed
 * @param yaml the one-run study to run, resolved (its teacher section loads the teacher the driver
 *     prepared); null until {@link StudyData#ready} fills it in
 */
record SweepRun(String id, String label, int student, int method, long seed, String yaml)
    implements Serializable {

  /**
   * A grid point.
   *
   * @param study the whole study
   * @param dataHash its data's hash
   * @param student index into the students
   * @param method index into the methods
   * @param seed the seed
   * @return the run, without its YAML
   */
  static SweepRun of(Study study, String dataHash, int student, int method, long seed) {
    String identity = one(study, student, method, seed, study.teacher()).toYaml();
    String label =
        study.students().get(student).name()
            + "/"
            + study.strategies().get(method).name()
            + "/seed"
            + seed;
    return new SweepRun(
        Hashes.sha256(identity + "\ndata=" + dataHash).substring(0, 32),
        label,
        student,
        method,
        seed,
        null);
  }

  /**
   * Returns this run with the study it runs.
   *
   * @param study the whole study
   * @param teacher the teacher section the run is given
   * @return the run, with its YAML
   */
  SweepRun withTeacher(Study study, TeacherConfig teacher) {
    return new SweepRun(
        id, label, student, method, seed, one(study, student, method, seed, teacher).toYaml());
  }

  /** The study restricted to one student, method and seed, with the given teacher section. */
  static Study one(Study study, int student, int method, long seed, TeacherConfig teacher) {
    return new Study(
        study.file(),
        study.name(),
        study.description(),
        study.task(),
        study.data(),
        teacher,
        List.of(study.students().get(student)),
        List.of(study.strategies().get(method)),
        study.training(),
        List.of(seed),
        study.evaluation(),
        study.output());
  }
}
