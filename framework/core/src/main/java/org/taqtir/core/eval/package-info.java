/** Evaluation metrics, each computed in exactly one place for CLI, reports and notebooks. */
package org.taqtir.core.eval;
