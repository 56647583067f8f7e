/** Runs a parsed study: data, teacher, every student × method × seed, and their results. */
package org.taqtir.core.study;
