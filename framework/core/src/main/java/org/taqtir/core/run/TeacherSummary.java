package org.taqtir.core.run;

/**
 * The teacher of a study run.
 *
 * @param description architecture and location
 * @param fingerprint the teacher's fingerprint (keys the output cache)
 * @param trainedNow whether the teacher was trained in this run (false: loaded or reused)
 * @param trainSeconds training wall time, 0 when not trained now
 * @param valAcc validation accuracy
 * @param testAcc test accuracy, NaN when the study does not evaluate on test
 * @param cacheHit whether the training-set outputs came from the on-disk cache
 * @param cacheSeconds time to compute or read the cached outputs
 */
public record TeacherSummary(
    String description,
    String fingerprint,
    boolean trainedNow,
    double trainSeconds,
    double valAcc,
    double testAcc,
    boolean cacheHit,
    double cacheSeconds) {}
