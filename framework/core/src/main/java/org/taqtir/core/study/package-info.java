/**
 * The study pipeline, in phases that the CLI, the kernel and the Spark jobs all call: resolve
 * ({@link org.taqtir.core.study.ResolvedStudy}), inputs, teacher stage, one student run,
 * evaluation, recording, rendering ({@link org.taqtir.core.study.StudyPipeline}). {@link
 * org.taqtir.core.study.StudyRunner} runs them all in order.
 */
package org.taqtir.core.study;
