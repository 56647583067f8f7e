/** The {@code taqtir} command line (picocli); the only module that picks a logging binding. */
package org.taqtir.cli;
