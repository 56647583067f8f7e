/**
 * Response-based distillation strategies (imitate the teacher's outputs) and the label-only
 * baseline. Every constant that enters the gradient graph is an NDArray owned by the run (see
 * {@link org.taqtir.api.StrategyContext}).
 */
package org.taqtir.strategy.response;
