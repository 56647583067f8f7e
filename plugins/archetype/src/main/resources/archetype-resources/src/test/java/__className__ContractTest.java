package ${package};

import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

/**
 * Taqtir's contract for strategies: registration, parameter round trip, a finite non-negative loss
 * reaching the student, zero loss when the student equals the teacher, finite-difference gradients,
 * bitwise-equal gradients with a garbage collection before backward, and no stray arrays. Add golden
 * values from an independent implementation of your formula next to it (see docs/plugins.md).
 */
class ${className}ContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new ${className}Provider();
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return provider().params().defaults();
  }
}
