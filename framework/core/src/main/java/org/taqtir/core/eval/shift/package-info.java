/**
 * Data shift for robustness evaluation: a deterministic, seeded corruption suite for grayscale byte
 * images (issue 7, "robustness under shift").
 */
package org.taqtir.core.eval.shift;
