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
 */
public record TrainTerm(
    String id, DistillationStrategy strategy, double weight, Set<Capability> capabilities) {

  /**
   * Tells whether this term reads teacher outputs.
   *
   * @return {@code true} when the strategy declares {@link Capability#NEEDS_TEACHER}
   */
  public boolean needsTeacher() {
    return capabilities.contains(Capability.NEEDS_TEACHER);
  }
}
