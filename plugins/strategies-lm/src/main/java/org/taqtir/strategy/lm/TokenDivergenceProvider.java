package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.TopK;

/**
 * A token-level divergence between the teacher's and the student's next-token distributions, for
 * language models that share a vocabulary: computed at every position, averaged over the positions
 * that count (padding, a negative label, does not), times τ² for the divergences whose gradient
 * scales as 1/τ² (Hinton et al. 2015). The distributions are softmax(logits / τ) over the
 * vocabulary, or k + 1 buckets when the teacher's outputs are cached as top-k ({@link
 * TokenDistributions}).
 *
 * <p>The reduction is per token: every counted position of the batch weighs the same, so a long
 * sequence weighs more than a short one. Averaging per sequence first (mean over its positions,
 * then over sequences) gives the same value only when all sequences have the same number of counted
 * positions, as Taqtir's training windows do.
 *
 * <p>None of these includes the next-token cross-entropy on the real text: add a {@code next-token}
 * term to the method for it.
 */
abstract class TokenDivergenceProvider implements StrategyProvider {

  /** The language-modelling task's id. */
  static final String TASK = "language-modelling";

  /** τ: the temperature applied to both models' logits. */
  static final ParamDef TEMPERATURE =
      ParamDef.ofDouble(
          "temperature", 1.0, Range.greaterThan(0), "τ: logits divided by it (both models)");

  private final ParamSpec spec;

  /**
   * Creates the provider.
   *
   * @param own the divergence's own parameters, after the temperature
   */
  TokenDivergenceProvider(ParamDef... own) {
    List<ParamDef> all = new ArrayList<>();
    all.add(TEMPERATURE);
    all.addAll(List.of(own));
    spec = ParamSpec.of(all.toArray(new ParamDef[0]));
  }

  @Override
  public final Set<String> tasks() {
    return Set.of(TASK);
  }

  @Override
  public final ParamSpec params() {
    return spec;
  }

  @Override
  public final Family family() {
    return Family.RESPONSE;
  }

  @Override
  public final Set<Capability> capabilities() {
    return Set.of(Capability.NEEDS_TEACHER);
  }

  /** Whether the loss is multiplied by τ² (the KL family; not total variation). */
  boolean scalesWithTemperatureSquared() {
    return true;
  }

  /**
   * Whether the divergence is defined on a top-k teacher's k + 1 buckets.
   *
   * @return true by default
   */
  boolean acceptsTopK() {
    return true;
  }

  /**
   * The distributions this divergence reads, and where it counts: by default as built.
   *
   * @param d the distributions of the batch
   * @return the distributions to pass to {@link #perPosition} and average with their mask
   */
  TokenDistributions select(TokenDistributions d) {
    return d;
  }

  /**
   * The divergence at every position.
   *
   * @param d the two distributions (log-probabilities on the last axis)
   * @param params the parameters
   * @param c the run's constants
   * @return {@code (B, T)}
   */
  abstract NDArray perPosition(TokenDistributions d, Params params, Constants c);

  /**
   * The run-long constants of a divergence: scalar arrays in the run's manager, made once.
   *
   * @param scalars the run's scalar arrays
   */
  record Constants(Scalars scalars) {
    /**
     * Returns log(v) as a scalar array (v in (0, 1]).
     *
     * @param v a weight
     * @return its logarithm
     */
    NDArray log(double v) {
      return scalars.of((float) Math.log(v));
    }

    /**
     * Returns v as a scalar array.
     *
     * @param v a value
     * @return the array
     */
    NDArray of(double v) {
      return scalars.of((float) v);
    }
  }

  @Override
  public final DistillationStrategy create(Params params) {
    double temperature = params.getDouble("temperature");
    double factor = scalesWithTemperatureSquared() ? temperature * temperature : 1;
    String name = id();
    return new DistillationStrategy() {
      private Constants constants;

      @Override
      public void prepare(StrategyContext context) {
        constants = new Constants(new Scalars(context.manager()));
      }

      @Override
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        if (!acceptsTopK() && teacher.features().containsKey(TopK.IDS)) {
          throw new IllegalArgumentException(
              name + " needs the teacher's whole distribution; set teacher.top_k: 0");
        }
        TokenDistributions d =
            select(
                TokenDistributions.of(
                    student, teacher, batch, temperature, constants.scalars(), name));
        NDArray mean = d.mean(perPosition(d, params, constants), constants.scalars());
        return factor == 1 ? mean : mean.mul(constants.of(factor));
      }

      @Override
      public String toString() {
        return name + params.values();
      }
    };
  }

  /** Σ_v p(v)·(log p(v) − log q(v)) over the last axis: KL(p ‖ q) at every position. */
  static NDArray kl(NDArray logP, NDArray logQ) {
    return logP.exp().mul(logP.sub(logQ)).sum(new int[] {2});
  }
}
