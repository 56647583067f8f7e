package org.taqtir.text.task;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.taqtir.api.Generation;
import org.taqtir.api.Teacher;
import org.taqtir.core.data.Hashes;
import org.taqtir.text.model.Generator;

/**
 * Sequence-level distillation's transfer set (Kim &amp; Rush 2016): for a seeded {@code share} of
 * the training windows, the teacher continues the window's first {@code P} tokens to a full window
 * of {@code T + 1} tokens, which replaces the real one; the other windows stay real text. Generated
 * once per (teacher, training windows, prompt length, decoding, share, seed) and kept under {@code
 * <cache>/generated/} as int32 tokens, so every run and seed of the study trains on the same text.
 */
final class GeneratedTransfer {

  /** Prompts continued per forward pass. */
  private static final int BATCH = 64;

  private GeneratedTransfer() {}

  static TokenWindows make(
      TokenWindows train,
      Generation g,
      Teacher teacher,
      Path cacheDir,
      String tokenizer,
      Consumer<String> log) {
    int t = train.window();
    int p = Math.min(g.promptTokens(), t);
    int n = train.size();
    String key =
        Hashes.sha256(
            String.join(
                "\n",
                "teacher=" + teacher.fingerprint(),
                "train=" + train.contentHash(),
                "tokenizer=" + tokenizer,
                "prompt=" + p,
                "decoding="
                    + g.temperature()
                    + "/"
                    + g.topK()
                    + "/"
                    + g.topP()
                    + (g.beam() > 1 ? "/beam=" + g.beam() : ""),
                "share=" + g.share(),
                "seed=" + g.seed()));
    Path file = cacheDir.resolve("generated").resolve(key.substring(0, 32) + ".tokens");
    int[] stream = read(file, n * (t + 1));
    if (stream != null) {
      log.accept("sequence-kd: teacher-generated transfer set read from " + file);
    } else {
      stream = generate(train, g, teacher, p, log);
      write(file, stream);
    }
    long chars = Math.round(stream.length * train.charsPerToken());
    return new TokenWindows("train", stream, t, t + 1, train.numClasses(), chars);
  }

  private static int[] generate(
      TokenWindows train, Generation g, Teacher teacher, int p, Consumer<String> log) {
    int t = train.window();
    int n = train.size();
    int[] real = train.stream();
    int stride = train.stride();
    // which windows are generated: a seeded draw per window
    boolean[] generated = new boolean[n];
    SplittableRandom pick = new SplittableRandom(g.seed() * 0x9E3779B97F4A7C15L + 17);
    int count = 0;
    for (int i = 0; i < n; i++) {
      generated[i] = g.share() >= 1 || pick.nextDouble() < g.share();
      count += generated[i] ? 1 : 0;
    }
    int[] out = new int[n * (t + 1)];
    int[] start = new int[n];
    for (int i = 0; i < n; i++) {
      start[i] = i * stride;
      System.arraycopy(real, start[i], out, i * (t + 1), t + 1);
    }
    Generator gen = new Generator(x -> teacher.forward(x, Set.of()).logits(), t);
    long begin = System.nanoTime();
    int[] rows = new int[count];
    for (int i = 0, k = 0; i < n; i++) {
      if (generated[i]) {
        rows[k++] = i;
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      for (int from = 0, batch = 0; from < count; from += BATCH, batch++) {
        int to = Math.min(count, from + BATCH);
        int[][] prompts = new int[to - from][p];
        for (int k = from; k < to; k++) {
          System.arraycopy(real, start[rows[k]], prompts[k - from], 0, p);
        }
        Generator.Generated done =
            g.beam() > 1
                ? gen.beam(prompts, t + 1 - p, g.beam(), m)
                : gen.generate(
                    prompts,
                    t + 1 - p,
                    new Generator.Decoding(
                        g.temperature(), g.topK(), g.topP(), g.seed() * 7919L + batch),
                    m);
        for (int k = from; k < to; k++) {
          System.arraycopy(done.tokens()[k - from], 0, out, rows[k] * (t + 1) + p, t + 1 - p);
        }
      }
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    long tokens = (long) count * (t + 1 - p);
    log.accept(
        String.format(
            Locale.ROOT,
            "sequence-kd: the teacher generated %,d of %,d training windows (%,d tokens, prompts of"
                + " %d) in %.1f s, %,.0f tokens/s (before training, not in its time)",
            count,
            n,
            tokens,
            p,
            seconds,
            tokens / Math.max(seconds, 1e-9)));
    return out;
  }

  private static int[] read(Path file, int expected) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length != expected * Integer.BYTES) {
        return null;
      }
      int[] out = new int[expected];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
      return out;
    } catch (IOException e) {
      return null;
    }
  }

  private static void write(Path file, int[] stream) {
    try {
      Files.createDirectories(file.getParent());
      ByteBuffer b =
          ByteBuffer.allocate(stream.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(stream);
      Path tmp = Files.createTempFile(file.getParent(), "tmp-", ".tokens");
      Files.write(tmp, b.array());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
