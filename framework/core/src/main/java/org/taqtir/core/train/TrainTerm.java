package org.taqtir.core.train;

import java.util.Set;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;

/**
 * One weighted term of a student's loss.
 *
 * @param id the strategy's plugin id, for messages and metric keys
 * @param strategy the strategy instance (the trainer prepares it; the caller closes it)
 * @param weight the term's weight in the summed loss
 * @param capabilities what the strategy needs
 * @param fromEpoch first epoch (1-based) in which the term is added
 * @param untilEpoch last epoch (1-based) in which it is added, 0 for the last epoch
 */
public record TrainTerm(
    String id,
    DistillationStrategy strategy,
    double weight,
    Set<Capability> capabilities,
    int fromEpoch,
    int untilEpoch) {

  /**
   * A term active in every epoch.
   *
   * @param id the strategy's plugin id
   * @param strategy the strategy instance
   * @param weight the term's weight
   * @param capabilities what the strategy needs
   */
  public TrainTerm(
      String id, DistillationStrategy strategy, double weight, Set<Capability> capabilities) {
    this(id, strategy, weight, capabilities, 1, 0);
  }

  /**
   * Tells whether the term is added in an epoch.
   *
   * @param epoch zero-based epoch, as the trainer counts
   * @return whether it is active
   */
  public boolean activeIn(int epoch) {
    int e = epoch + 1;
    return e >= fromEpoch && (untilEpoch == 0 || e <= untilEpoch);
  }

  /**
   * Tells whether this term reads teacher outputs.
   *
   * @return {@code true} when the strategy declares {@link Capability#NEEDS_TEACHER}
   */
  public boolean needsTeacher() {
    return capabilities.contains(Capability.NEEDS_TEACHER);
  }
}
