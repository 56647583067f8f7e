package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.taqtir.api.Generation;
import org.taqtir.core.train.BatchRewriter;
import org.taqtir.text.model.Generator;

/**
 * On-policy batches (GKD, Agarwal et al. 2024): a seeded share of the batches is replaced by the
 * student's own continuations of their prompts. Each window keeps its first {@code P} tokens; the
 * student (inference mode, no gradient) samples the other {@code T + 1 − P}; the new window reads
 * tokens {@code [0, T)} and predicts {@code [1, T]}, and the positions that predict prompt tokens
 * are padding (label −1), so the divergence is taken on the generated tokens only.
 *
 * <p>Whether a batch is rewritten, and the sampling stream, come from (run seed, generation seed,
 * epoch, step): a resumed run generates what an uninterrupted one does.
 */
final class OnPolicyRewriter implements BatchRewriter {

  private final Generation generation;
  private final long seed;
  private double seconds;
  private long rewritten;

  OnPolicyRewriter(Generation generation, long seed) {
    this.generation = generation;
    this.seed = seed;
  }

  @Override
  public Batch rewrite(
      int epoch,
      int step,
      NDArray input,
      NDArray labels,
      Function<NDArray, NDArray> student,
      NDManager manager) {
    SplittableRandom r =
        new SplittableRandom(
            ((seed * 1_000_003L + generation.seed()) * 1_000_033L + epoch) * 1_000_037L + step);
    if (r.nextDouble() >= generation.share()) {
      return null;
    }
    int b = (int) input.getShape().get(0);
    int t = (int) input.getShape().get(1);
    int p = Math.min(generation.promptTokens(), t);
    int[] ids = input.toType(DataType.INT32, false).toIntArray();
    int[][] prompts = new int[b][p];
    for (int i = 0; i < b; i++) {
      System.arraycopy(ids, i * t, prompts[i], 0, p);
    }
    Generator.Generated g =
        new Generator(student, t)
            .generate(
                prompts,
                t + 1 - p,
                new Generator.Decoding(
                    generation.temperature(), generation.topK(), generation.topP(), r.nextLong()),
                manager);
    seconds += g.seconds();
    rewritten++;
    int[] x = new int[b * t];
    int[] y = new int[b * t];
    for (int i = 0; i < b; i++) {
      int[] seq = new int[t + 1];
      System.arraycopy(prompts[i], 0, seq, 0, p);
      System.arraycopy(g.tokens()[i], 0, seq, p, t + 1 - p);
      System.arraycopy(seq, 0, x, i * t, t);
      for (int j = 0; j < t; j++) {
        // position j predicts token j + 1: a prompt token for j < p - 1
        y[i * t + j] = j < p - 1 ? -1 : seq[j + 1];
      }
    }
    Shape shape = new Shape(b, t);
    return new Batch(
        manager.create(x, shape).toType(input.getDataType(), false),
        manager.create(y, shape).toType(labels.getDataType(), false));
  }

  @Override
  public double seconds() {
    return seconds;
  }

  @Override
  public long rewritten() {
    return rewritten;
  }
}
