/**
 * Taqtir on Apache Spark: the teacher-output precompute job ({@link
 * org.taqtir.spark.TeacherPrecompute}), the sweep runner ({@link org.taqtir.spark.StudySweep}) and
 * the {@code taqtir-spark} command ({@link org.taqtir.spark.Main}). Plain Spark 3.5 (Scala 2.12)
 * with DJL inside the partitions; no other module depends on this one.
 */
package org.taqtir.spark;
