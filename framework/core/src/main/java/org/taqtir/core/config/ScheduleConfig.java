package org.taqtir.core.config;

import java.util.Objects;

/**
 * How the learning rate changes per epoch. Fields the type does not use are 0.
 *
 * <p>Epochs are zero-based. The first {@code warmupEpochs} epochs ramp linearly: epoch {@code e}
 * uses {@code base * (e + 1) / (warmupEpochs + 1)}. The remaining {@code E = total - warmupEpochs}
 * epochs, counted from {@code e' = 0}, use:
 *
 * <ul>
 *   <li>{@code constant}: {@code base};
 *   <li>{@code step}: {@code base * gamma^floor(e' / stepSize)};
 *   <li>{@code cosine}: {@code minLr + (base - minLr) * (1 + cos(pi * e' / E)) / 2}, as PyTorch's
 *       {@code CosineAnnealingLR} with {@code T_max = E} (the last epoch stays above {@code
 *       minLr}).
 * </ul>
 *
 * @param type {@code "constant"}, {@code "step"} or {@code "cosine"}
 * @param stepSize step: epochs between decays, &gt;= 1
 * @param gamma step: decay factor in (0, 1], default 0.1
 * @param minLr cosine: the floor, &gt;= 0, default 0
 * @param warmupEpochs epochs of linear warm-up, &gt;= 0, default 0
 */
public record ScheduleConfig(
    String type, int stepSize, double gamma, double minLr, int warmupEpochs) {

  /** The learning rate never changes (after warm-up). */
  public static final String CONSTANT = "constant";

  /** The learning rate is multiplied by gamma every stepSize epochs. */
  public static final String STEP = "step";

  /** The learning rate follows a half cosine down to minLr. */
  public static final String COSINE = "cosine";

  /** Checks the type. */
  public ScheduleConfig {
    Objects.requireNonNull(type, "type");
    if (!type.equals(CONSTANT) && !type.equals(STEP) && !type.equals(COSINE)) {
      throw new IllegalArgumentException(
          "schedule type must be constant, step or cosine, found " + type);
    }
    if (type.equals(STEP) && stepSize < 1) {
      throw new IllegalArgumentException("step schedule needs step_size >= 1, found " + stepSize);
    }
  }

  /**
   * A constant learning rate without warm-up.
   *
   * @return the schedule
   */
  public static ScheduleConfig constant() {
    return new ScheduleConfig(CONSTANT, 0, 0, 0, 0);
  }

  /**
   * Step decay without warm-up.
   *
   * @param stepSize epochs between decays
   * @param gamma decay factor
   * @return the schedule
   */
  public static ScheduleConfig step(int stepSize, double gamma) {
    return new ScheduleConfig(STEP, stepSize, gamma, 0, 0);
  }

  /**
   * Cosine annealing without warm-up.
   *
   * @param minLr the floor
   * @return the schedule
   */
  public static ScheduleConfig cosine(double minLr) {
    return new ScheduleConfig(COSINE, 0, 0, minLr, 0);
  }

  /**
   * Returns the learning rate of an epoch.
   *
   * @param baseLr the optimiser's learning rate
   * @param epoch zero-based epoch, {@code 0 <= epoch < totalEpochs}
   * @param totalEpochs the number of epochs of the phase, &gt;= 1
   * @return the learning rate to use throughout that epoch
   * @throws IllegalArgumentException when the epoch is out of range
   */
  public double lr(double baseLr, int epoch, int totalEpochs) {
    if (totalEpochs < 1 || epoch < 0 || epoch >= totalEpochs) {
      throw new IllegalArgumentException(
          "epoch must be in [0, " + totalEpochs + "), found " + epoch + " of " + totalEpochs);
    }
    if (epoch < warmupEpochs) {
      return baseLr * (epoch + 1) / (warmupEpochs + 1);
    }
    int e = epoch - warmupEpochs;
    int span = totalEpochs - warmupEpochs;
    return switch (type) {
      case STEP -> baseLr * Math.pow(gamma, e / stepSize);
      case COSINE -> minLr + (baseLr - minLr) * (1 + Math.cos(Math.PI * e / span)) / 2;
      default -> baseLr;
    };
  }
}
