/**
 * Taqtir's plugin SPIs and the records they exchange.
 *
 * <p>Three plugin kinds are discovered with {@link java.util.ServiceLoader}: {@link
 * org.taqtir.api.TeacherProvider} (frozen models whose outputs a student imitates), {@link
 * org.taqtir.api.StudentProvider} (trainable DJL architectures with named feature taps) and {@link
 * org.taqtir.api.StrategyProvider} (distillation losses). Every provider has a validated id, a
 * {@link org.taqtir.api.ParamSpec} describing its typed parameters, and builds its product lazily
 * in {@code create}. This module depends on DJL's API only, never on an engine.
 */
package org.taqtir.api;
