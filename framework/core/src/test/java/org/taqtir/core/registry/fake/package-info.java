/**
 * Fake providers for registry and config tests. They are registered only in service files under
 * {@code src/test/resources/registry/<case>/}, never in the default {@code META-INF/services}, so
 * no other test of the module discovers them by accident.
 */
package org.taqtir.core.registry.fake;
