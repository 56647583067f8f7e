/**
 * The study file: one YAML file per experiment, bound to resolved, validated records.
 *
 * <p>{@link org.taqtir.core.config.StudyParser} reads a study file, applies {@code -P path=value}
 * overrides, rejects unknown keys, checks plugin ids against the {@link
 * org.taqtir.core.registry.PluginRegistry} and every value against its range, and returns a {@link
 * org.taqtir.core.config.Study} with all defaults filled in. Every error is a one-line {@link
 * org.taqtir.core.config.ConfigException} naming the file, line, field, bad value and what is
 * allowed. {@link org.taqtir.core.config.Study#toYaml()} writes the resolved study back; parsing
 * that text gives an equal study.
 */
package org.taqtir.core.config;
