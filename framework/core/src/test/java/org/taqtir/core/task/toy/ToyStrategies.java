package org.taqtir.core.task.toy;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Params;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/** The toy task's two strategies: next-token cross-entropy, and per-token forward KL. */
public final class ToyStrategies {

  static final String NEXT_TOKEN = "toy-next-token";
  static final String TOKEN_KL = "toy-token-kl";

  private ToyStrategies() {}

  /** {@code -1/(B·T) Σ log softmax(s)[y]}, over every position. */
  public static final class NextToken implements StrategyProvider {
    @Override
    public String id() {
      return NEXT_TOKEN;
    }

    @Override
    public Set<String> tasks() {
      return Set.of(ToySequenceTask.ID);
    }

    @Override
    public Family family() {
      return Family.LABELS;
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public DistillationStrategy create(Params params) {
      return new DistillationStrategy() {
        private Scalars scalars;
        private int vocabulary;

        @Override
        public void prepare(StrategyContext context) {
          scalars = new Scalars(context.manager());
          vocabulary = context.numClasses();
        }

        @Override
        public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
          NDArray y = batch.labels().oneHot(vocabulary);
          NDArray logp = student.logits().logSoftmax(2);
          return logp.mul(y).sum().mul(scalars.of(-1f / batch.labels().size()));
        }
      };
    }
  }

  /** {@code 1/(B·T) Σ_positions KL(softmax(t) ‖ softmax(s))}: forward KL per token. */
  public static final class TokenKl implements StrategyProvider {
    @Override
    public String id() {
      return TOKEN_KL;
    }

    @Override
    public Set<String> tasks() {
      return Set.of(ToySequenceTask.ID);
    }

    @Override
    public Family family() {
      return Family.RESPONSE;
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.NEEDS_TEACHER);
    }

    @Override
    public DistillationStrategy create(Params params) {
      return new DistillationStrategy() {
        private Scalars scalars;

        @Override
        public void prepare(StrategyContext context) {
          scalars = new Scalars(context.manager());
        }

        @Override
        public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
          NDArray logq = student.logits().logSoftmax(2);
          NDArray logp = teacher.logits().logSoftmax(2);
          NDArray kl = logp.exp().mul(logp.sub(logq)).sum();
          return kl.mul(scalars.of(1f / batch.labels().size()));
        }
      };
    }
  }
}
