/**
 * The study file as resolved, validated records ({@link org.taqtir.core.config.Study} and its
 * blocks), and what reading one needs: {@link org.taqtir.core.config.StudyYaml} reads the YAML and
 * applies {@code -P path=value} overrides, {@link org.taqtir.core.config.ConfigSection} binds a
 * block with unknown keys rejected and locates every error at its file, line and field, and {@link
 * org.taqtir.core.config.ConfigException} is that one-line error. {@link
 * org.taqtir.core.config.Study#toYaml()} writes the resolved study back; parsing that text gives an
 * equal study. This package depends on no other of the core's.
 */
package org.taqtir.core.config;
