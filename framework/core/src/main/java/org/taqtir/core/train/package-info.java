/**
 * The distillation training loop on DJL: resident data gathered per epoch, one sub-manager per
 * batch, the student's own optimiser step, NaN/Inf guard and best-epoch selection on validation.
 */
package org.taqtir.core.train;
