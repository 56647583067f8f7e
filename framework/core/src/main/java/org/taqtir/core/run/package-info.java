/**
 * What runs produce, as plain records every module reads: per-epoch metrics, a run's result, a
 * student run's summary, the teacher's. No behaviour, so the evaluation and the reports depend on
 * these and not on the training loop or the pipeline.
 */
package org.taqtir.core.run;
