/**
 * Reading a study file into a resolved {@link org.taqtir.core.config.Study}: every value checked,
 * every plugin looked up once, every default filled in; errors name the file, the line and the
 * field.
 */
package org.taqtir.core.parse;
