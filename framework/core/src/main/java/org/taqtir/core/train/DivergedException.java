package org.taqtir.core.train;

/** Thrown when a training loss becomes NaN or infinite; no update is applied from that step. */
public final class DivergedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final long step;
  private final double lastFiniteLoss;

  /**
   * Creates the exception.
   *
   * @param epoch zero-based epoch of the bad step
   * @param step zero-based global step
   * @param badLoss the non-finite loss
   * @param lastFiniteLoss the last finite loss seen, NaN when none
   */
  public DivergedException(int epoch, long step, double badLoss, double lastFiniteLoss) {
    super(
        "training diverged at epoch "
            + (epoch + 1)
            + ", step "
            + step
            + ": loss "
            + badLoss
            + "; last finite loss "
            + lastFiniteLoss
            + " (try a lower learning rate)");
    this.epoch = epoch;
    this.step = step;
    this.lastFiniteLoss = lastFiniteLoss;
  }

  /**
   * Returns the zero-based epoch of the bad step.
   *
   * @return the epoch
   */
  public int epoch() {
    return epoch;
  }

  /**
   * Returns the zero-based global step at which the loss stopped being finite.
   *
   * @return the step
   */
  public long step() {
    return step;
  }

  /**
   * Returns the last finite loss.
   *
   * @return the loss, NaN when the first step already diverged
   */
  public double lastFiniteLoss() {
    return lastFiniteLoss;
  }
}
