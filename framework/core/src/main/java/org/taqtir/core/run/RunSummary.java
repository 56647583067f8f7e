package org.taqtir.core.run;

import java.nio.file.Path;

/**
 * One trained student: one architecture × method × seed.
 *
 * @param student the student's name in the study
 * @param architecture the student's architecture description
 * @param method the method (strategy set) name
 * @param seed the run's seed
 * @param result training and evaluation metrics
 * @param wallSeconds wall time of the whole run, evaluation included
 * @param dir where the run's weights and history were written
 * @param labelsOnly whether every term of the method is label supervision only (a baseline)
 */
public record RunSummary(
    String student,
    String architecture,
    String method,
    long seed,
    TrainResult result,
    double wallSeconds,
    Path dir,
    boolean labelsOnly) {}
