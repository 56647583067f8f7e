package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import org.taqtir.api.Params;
import org.taqtir.api.TokenAlignment;

/**
 * {@code uld}: universal logit distillation (Boizard et al. 2024), for a teacher and a student that
 * need not share a vocabulary. At every position both next-token distributions are sorted in
 * descending order, the shorter is padded with zeros, and their L1 distance is taken; under the
 * paper's uniform transport cost this is its closed form of the Wasserstein-1 distance. Comparing
 * sorted probabilities matches the shape of the two distributions (how peaked, how spread), not
 * which token gets which probability: it needs no mapping between vocabularies, and it cannot tell
 * the student which token is right (add {@code next-token} for that, as the paper does).
 *
 * <pre>
 *   L = 1/N Σ_{b,t counted} [ Σ_{i&lt;k} |sort(p_S)_i − sort(p_T)_i| + Σ_{i≥k} sort(p_S)_i
 *                            + (1 − Σ_{i&lt;k} sort(p_T)_i) ]
 * </pre>
 *
 * with k the number of teacher probabilities kept. With a teacher of the same vocabulary (dense
 * outputs) both are sorted here, at temperature τ. With a teacher that reads its own tokens ({@link
 * TokenAlignment}) the teacher's sorted probabilities over its own vocabulary arrive cached (τ = 1)
 * and count at the positions where a teacher token begins, the positions at which the two models
 * predict the same thing: the unit that starts there.
 */
public final class UldProvider extends TokenDivergenceProvider {

  @Override
  public String id() {
    return "uld";
  }

  @Override
  public String description() {
    return "universal logit distillation: L1 between sorted next-token probabilities, any"
        + " two vocabularies";
  }

  @Override
  public String formula() {
    return "L = mean_tokens Σ_i |sort(p_S)_i − sort(p_T)_i| (zero-padded; no τ² factor)";
  }

  @Override
  public String paper() {
    return "Boizard, El Haddad, Hudelot, Colombo 2024, Towards Cross-Tokenizer Distillation: the"
        + " Universal Logit Distillation Loss for LLMs, arXiv:2402.12030";
  }

  @Override
  boolean scalesWithTemperatureSquared() {
    return false;
  }

  /** Sorting k + 1 buckets is not sorting the distribution. */
  @Override
  boolean acceptsTopK() {
    return false;
  }

  /** With another tokenization, the positions where a teacher token begins. */
  @Override
  TokenDistributions select(TokenDistributions d) {
    return d.sorted() == null ? d : d.counting(d.sortedMask());
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    NDArray student = descending(d.student().exp());
    if (d.sorted() == null) {
      NDArray teacher = descending(d.teacher().exp());
      return student.sub(teacher).abs().sum(new int[] {2});
    }
    NDArray teacher = d.sorted();
    long k = teacher.getShape().get(2);
    long v = student.getShape().get(2);
    NDArray head = v > k ? student.get(new NDIndex(":, :, :{}", k)) : student;
    NDArray loss = head.sub(teacher).abs().sum(new int[] {2});
    if (v > k) {
      loss = loss.add(student.get(new NDIndex(":, :, {}:", k)).sum(new int[] {2}));
    }
    NDArray tail = c.of(1).sub(teacher.sum(new int[] {2})).maximum(c.of(0));
    return loss.add(tail);
  }

  private static NDArray descending(NDArray p) {
    return p.neg().sort(2).neg();
  }
}
