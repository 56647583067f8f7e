/**
 * "What did we lose?": the evaluation of every student against its teacher and its label-only
 * baseline (fidelity, calibration, per-class harm, inherited errors, robustness under shift,
 * cascade with teacher fallback, efficiency, preservation targets), as plain numbers that reports
 * and the Distillation Loss Statement are written from.
 */
package org.taqtir.core.eval.loss;
