/**
 * Relation-based distillation strategies: the student imitates relations between the samples of a
 * batch (similarities, distances, angles) computed on named feature taps, so widths may differ.
 */
package org.taqtir.strategy.relation;
