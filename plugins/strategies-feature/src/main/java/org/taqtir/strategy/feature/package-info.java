/**
 * Feature-based distillation strategies: the student imitates intermediate representations read
 * from named taps ({@code student_layer}, {@code teacher_layer}), through a trainable adapter when
 * the widths differ.
 */
package org.taqtir.strategy.feature;
