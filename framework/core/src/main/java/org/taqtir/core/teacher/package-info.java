/**
 * Teachers in a study: training an architecture on labels to serve as teacher, loading it back
 * through a teacher plugin, and the on-disk cache of teacher outputs keyed by teacher fingerprint
 * and dataset hash.
 */
package org.taqtir.core.teacher;
