package org.taqtir.core.config;

import java.util.Objects;

/**
 * The optimiser of a training phase. Fields the type does not use are 0.
 *
 * <p>Defaults: sgd with {@code lr 0.05, momentum 0.9, weight_decay 0}; adam with {@code lr 0.001,
 * beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0} (Kingma and Ba 2015).
 *
 * @param type {@code "sgd"} or {@code "adam"}
 * @param lr base learning rate, &gt; 0
 * @param momentum sgd momentum in [0, 1)
 * @param beta1 adam first-moment decay in [0, 1)
 * @param beta2 adam second-moment decay in [0, 1)
 * @param eps adam denominator term, &gt; 0
 * @param weightDecay L2 penalty factor, &gt;= 0
 */
public record OptimizerConfig(
    String type,
    double lr,
    double momentum,
    double beta1,
    double beta2,
    double eps,
    double weightDecay) {

  /** Stochastic gradient descent with momentum. */
  public static final String SGD = "sgd";

  /** Adam. */
  public static final String ADAM = "adam";

  /** Checks the type. */
  public OptimizerConfig {
    Objects.requireNonNull(type, "type");
    if (!type.equals(SGD) && !type.equals(ADAM)) {
      throw new IllegalArgumentException("optimizer type must be sgd or adam, found " + type);
    }
  }

  /**
   * SGD with momentum.
   *
   * @param lr learning rate
   * @param momentum momentum
   * @param weightDecay L2 penalty factor
   * @return the config
   */
  public static OptimizerConfig sgd(double lr, double momentum, double weightDecay) {
    return new OptimizerConfig(SGD, lr, momentum, 0, 0, 0, weightDecay);
  }

  /**
   * Adam.
   *
   * @param lr learning rate
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps denominator term
   * @param weightDecay L2 penalty factor
   * @return the config
   */
  public static OptimizerConfig adam(
      double lr, double beta1, double beta2, double eps, double weightDecay) {
    return new OptimizerConfig(ADAM, lr, 0, beta1, beta2, eps, weightDecay);
  }

  /**
   * The defaults of a type.
   *
   * @param type {@code "sgd"} or {@code "adam"}
   * @return the default config of that type
   */
  public static OptimizerConfig defaults(String type) {
    return ADAM.equals(type) ? adam(0.001, 0.9, 0.999, 1e-8, 0.0) : sgd(0.05, 0.9, 0.0);
  }
}
