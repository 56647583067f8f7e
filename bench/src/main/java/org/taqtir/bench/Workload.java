package org.taqtir.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark workload: a single-run Taqtir study (one student, one method, seed 1) and the same
 * training described for the PyTorch peer.
 *
 * @param name the workload's name, e.g. {@code kd-cached}
 * @param title what it measures, for the report
 * @param hidden the trained MLP's hidden widths
 * @param method the study's method entry (YAML flow mapping)
 * @param teacherOutputs {@code cached}, {@code per-batch}, or null when no teacher is used
 * @param peerTerms the loss terms for {@code pytorch_peer.py}
 */
record Workload(
    String name,
    String title,
    List<Integer> hidden,
    String method,
    String teacherOutputs,
    List<Map<String, Object>> peerTerms) {

  /** The teacher every distillation workload uses: MLP 784-1200-1200-10 (the quickstart's). */
  static final List<Integer> TEACHER = List.of(1200, 1200);

  /** The student every distillation workload trains: MLP 784-128-10. */
  static final List<Integer> STUDENT = List.of(128);

  private static final Map<String, Object> CE = Map.of("id", "labels-only");

  /** The six workloads of issue 10 on the default pair, in the order they run. */
  static List<Workload> all() {
    return all(STUDENT, TEACHER);
  }

  /**
   * The six workloads of issue 10, in the order they run.
   *
   * @param student the distilled student's hidden widths (one layer or more)
   * @param teacher the teacher's hidden widths, at least two (the feature workloads read hidden2)
   * @return teacher training, labels, kd-batch, kd-cached, fitnets, sp
   */
  static List<Workload> all(List<Integer> student, List<Integer> teacher) {
    Map<String, Object> kd = Map.of("id", "hinton-kd", "temperature", 4.0, "alpha", 0.9);
    return List.of(
        new Workload(
            "teacher",
            "teacher training (the teacher's MLP from labels)",
            teacher,
            "{id: labels-only}",
            null,
            List.of(CE)),
        new Workload(
            "labels", "student from labels", student, "{id: labels-only}", null, List.of(CE)),
        new Workload(
            "kd-batch",
            "Hinton KD, teacher run every batch",
            student,
            "{name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}",
            "per-batch",
            List.of(kd)),
        new Workload(
            "kd-cached",
            "Hinton KD, cached teacher outputs",
            student,
            "{name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}",
            "cached",
            List.of(kd)),
        new Workload(
            "fitnets",
            "FitNets hidden1 -> teacher hidden2 (linear regressor) + CE, cached",
            student,
            "{name: fitnets, terms: [{id: labels-only}, {id: fitnets, params: {student_layer:"
                + " hidden1, teacher_layer: hidden2}, weight: 100}]}",
            "cached",
            List.of(
                CE,
                Map.of(
                    "id",
                    "fitnets",
                    "student_layer",
                    "hidden1",
                    "teacher_layer",
                    "hidden2",
                    "student_dim",
                    student.get(0),
                    "teacher_dim",
                    teacher.get(1),
                    "weight",
                    100.0))),
        new Workload(
            "sp",
            "similarity-preserving hidden1 -> teacher hidden2 + CE, cached",
            student,
            "{name: sp, terms: [{id: labels-only}, {id: sp, params: {student_layer: hidden1,"
                + " teacher_layer: hidden2}, weight: 3000}]}",
            "cached",
            List.of(
                CE,
                Map.of(
                    "id",
                    "sp",
                    "student_layer",
                    "hidden1",
                    "teacher_layer",
                    "hidden2",
                    "weight",
                    3000.0))));
  }

  /** Whether this workload distils from the teacher. */
  boolean needsTeacher() {
    return teacherOutputs != null;
  }
}
