/**
 * Teachers that are not one model run by Taqtir: {@code logits-file} (per-sample outputs computed
 * by any stack, read from CSV or NumPy {@code .npy}) and {@code ensemble} (several teachers
 * combined by an explicit aggregation).
 */
package org.taqtir.teacher.outputs;
