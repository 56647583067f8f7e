/**
 * Plugin discovery and parameter resolution.
 *
 * <p>{@link org.taqtir.core.registry.PluginRegistry} finds every {@code StrategyProvider}, {@code
 * StudentProvider} and {@code TeacherProvider} with {@link java.util.ServiceLoader}, validates
 * their ids, fails fast on duplicate ids and records providers that cannot be loaded as {@link
 * org.taqtir.core.registry.LoadProblem}s instead of failing. {@link
 * org.taqtir.core.registry.ParamResolver} turns the raw parameter map of a study file into typed,
 * range-checked {@link org.taqtir.api.Params} with defaults filled in.
 */
package org.taqtir.core.registry;
