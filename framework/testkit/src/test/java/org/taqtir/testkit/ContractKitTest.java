package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.Detached;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.StrategyProvider;

/**
 * The contract kit fails strategies that break the contract, with messages that say what to fix,
 * and passes a correct one: a term detached on purpose and declared, a leak through a run-long
 * constant on the left of an operation, an undeclared detached term, a default outside its range.
 */
class ContractKitTest {

  /** WSLD's weighting (Zhou et al. 2021): w = 1 − exp(−CE_s/CE_t), no gradient through w. */
  static final class Weighted extends AbstractStrategy {
    private final boolean declared;

    Weighted(boolean declared) {
      this.declared = declared;
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray y = batch.oneHot();
      NDArray ceS = student.logits().logSoftmax(1).mul(y).sum(new int[] {1}).neg();
      NDArray ceT = teacher.logits().logSoftmax(1).mul(y).sum(new int[] {1}).neg();
      NDArray ratio = ceS.div(ceT.add(constant(1e-7))).neg().exp().neg().add(constant(1));
      NDArray w = declared ? Detached.term("weight", ratio) : ratio.stopGradient();
      NDArray logQ = student.logits().logSoftmax(1);
      NDArray logP = teacher.logits().logSoftmax(1);
      NDArray kl = logP.exp().mul(logP.sub(logQ)).sum(new int[] {1});
      return kl.mul(w).sum().mul(constant(1.0 / batch.size()));
    }
  }

  /** Writes 1 − mean(p) as one.sub(...): each step attaches a result to the run's manager. */
  static final class Leaky implements DistillationStrategy {
    private NDArray one;

    @Override
    public void prepare(StrategyContext context) {
      one = context.manager().create(1f);
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray p = student.logits().softmax(1).mul(batch.oneHot()).sum(new int[] {1});
      return one.sub(p).sum().mul(batch.manager().create(1f / batch.size()));
    }
  }

  /** The same leak in a strategy on the base class. */
  static final class LeakyBase extends AbstractStrategy {
    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray p = student.logits().softmax(1).mul(batch.oneHot()).sum(new int[] {1});
      return constant(1).sub(p).sum().mul(constant(1.0 / batch.size()));
    }
  }

  static StrategyProvider provider(String id, double temperatureDefault, DistillationStrategy s) {
    return new AbstractStrategyProvider(
        StrategyInfo.of(id, Family.RESPONSE, Capability.NEEDS_TEACHER)
            .withParams(ParamDef.ofDouble("t", temperatureDefault, Range.greaterThan(0), "T"))
            .withDescription("a test strategy")
            .withFormula("L = ...")) {
      @Override
      protected DistillationStrategy newStrategy(Params params) {
        return s instanceof Weighted w ? new Weighted(w.declared) : s;
      }
    };
  }

  /** Runs one check of the kit against a provider, the way JUnit would. */
  static void check(StrategyProvider p, Consumer<StrategyContractTest> test) {
    StrategyContractTest kit =
        new StrategyContractTest() {
          @Override
          protected StrategyProvider provider() {
            return p;
          }
        };
    kit.openManager();
    try {
      test.accept(kit);
    } finally {
      kit.closeManager();
    }
  }

  @Test
  void aTermDeclaredDetachedPassesTheGradientCheck() {
    check(
        provider("wsld", 1.0, new Weighted(true)),
        StrategyContractTest::gradientMatchesCentralFiniteDifferences);
  }

  @Test
  void anUndeclaredDetachedTermFailsNamingBothGradientsAndTheInput() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () ->
                check(
                    provider("wsld", 1.0, new Weighted(false)),
                    StrategyContractTest::gradientMatchesCentralFiniteDifferences));
    String m = e.getMessage();
    assertTrue(m.contains("finite difference") && m.contains("autograd"), m);
    assertTrue(
        m.matches("(?s).*d loss / d logits\\[\\d+\\] \\(flat index \\d+ of 30 values\\).*"), m);
    assertTrue(m.contains("Detached.term"), m);
  }

  @Test
  void aRunLongConstantOnTheLeftFailsTheLeakCheck() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () ->
                check(
                    provider("leaky", 1.0, new Leaky()),
                    StrategyContractTest::noLongLivedManagerGrowsOverSteps));
    assertTrue(e.getMessage().contains("left operand's manager"), e.getMessage());
  }

  @Test
  void theBaseClassRefusesTheSameLeakNamingTheStrategy() {
    StrategyProvider p = provider("leaky-base", 1.0, new LeakyBase());
    DistillationStrategy s = p.create(p.params().defaults());
    try (NDManager root = NDManager.newBaseManager();
        NDManager run = root.newSubManager()) {
      s.prepare(new StrategyContext(run, 3, 2, 1));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> {
                for (int step = 0; step < 3; step++) {
                  try (NDManager batch = root.newSubManager()) {
                    NDArray y = batch.create(new int[] {0, 2});
                    NDArray logits = batch.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
                    BatchContext ctx =
                        new BatchContext(batch, y, y.oneHot(3), batch.arange(0L, 2L), 0, step);
                    s.loss(new StepOutputs(logits, Map.of()), null, ctx);
                  }
                }
              });
      assertTrue(
          e.getMessage().startsWith("leaky-base: each call of loss() left arrays"), e.getMessage());
    }
  }

  @Test
  void aCorrectStrategyKeepsEveryManagerFlat() {
    check(
        provider("wsld", 1.0, new Weighted(true)),
        StrategyContractTest::noLongLivedManagerGrowsOverSteps);
  }

  @Test
  void aDefaultOutsideItsRangeDoesNotSurviveAStudyFile() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                check(
                    provider("bad-default", -1.0, new Weighted(true)),
                    StrategyContractTest::parametersRoundTripThroughAStudyFile));
    assertTrue(
        e.getMessage().contains("strategies[0].params.t must be > 0, found -1"), e.getMessage());
  }

  @Test
  void theGoldenScriptShipsInTheJar() throws Exception {
    try (var in = GoldenScript.class.getResourceAsStream(GoldenScript.RESOURCE)) {
      String module = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(module.contains("def write(path, cases, generator)"), module);
    }
  }

  @Test
  void detachedTermIsStopGradientOutsideTheKit() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2});
      x.setRequiresGradient(true);
      NDArray d = Detached.term("x", x);
      assertTrue(!d.hasGradient() && d.getManager() == m);
    }
  }
}
