package org.taqtir.kernel;

/** Carries an {@link Error} thrown by a cell (e.g. a stack overflow) through {@code eval}. */
final class CellException extends Exception {
  private static final long serialVersionUID = 1L;

  CellException(Throwable cause) {
    super(cause.toString(), cause);
  }
}
