/**
 * The task seam: what a kind of problem (classification, language modelling, ...) supplies to the
 * study pipeline, the same for every task: its study-file blocks, its data, its validation and its
 * evaluation. Implementations are plugins, found by {@code java.util.ServiceLoader}.
 */
package org.taqtir.core.task;
