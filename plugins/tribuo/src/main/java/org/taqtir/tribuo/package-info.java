/**
 * Tribuo (Oracle Labs' Java ML library) inside Taqtir: the {@code tribuo} teacher, a classical
 * model fitted on the study's training split when the study starts, and the {@code tribuo-tree} and
 * {@code tribuo-linear} classical students, fitted to the teacher's labels or logits outside the
 * DJL training loop.
 */
package org.taqtir.tribuo;
