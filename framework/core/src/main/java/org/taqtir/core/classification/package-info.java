/**
 * The classification task: loading images and tables, per-epoch accuracy, the evaluation of
 * teachers and students, and students fitted by their own learner. Found through {@code
 * java.util.ServiceLoader} like any other task; nothing outside this package refers to it.
 */
package org.taqtir.core.classification;
