/**
 * The embedded run store: one SQLite file (WAL, busy timeout) holding MLflow's entities
 * (experiments, runs with parent/child links, params, metric histories, tags, artifacts), written
 * as a study runs so nothing already recorded is lost when a later step fails.
 */
package org.taqtir.tracking;
