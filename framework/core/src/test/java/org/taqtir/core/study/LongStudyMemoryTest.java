package org.taqtir.core.study;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.Synthetic;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.train.ChildJvm;
import org.taqtir.core.train.JvmFlags;
import org.taqtir.core.train.TrainingListener;

/**
 * A long study must not grow without bound. CRD allocates and frees a 16.8 MB logits tensor (and
 * its gradients) every step; with glibc's malloc a single CRD epoch on Fashion-MNIST grew the
 * process to 7.5 GB by fragmentation, and the 39-run methods study to 9.6 GB. Training JVMs now
 * preload tcmalloc ({@link JvmFlags#environment}). This runs, in a child JVM started exactly as
 * {@code bin/taqtir} and the Spark sweep start one, several hundred CRD steps over three seeds plus
 * a FitNets run, and bounds the child's peak resident set.
 */
class LongStudyMemoryTest {

  /** Measured 0.56 GB with tcmalloc, 1.8 GB with glibc's malloc ({@code TAQTIR_MALLOC=glibc}). */
  static final long PEAK_MB = 1200;

  @TempDir Path dir;

  @Test
  void manyCrdStepsStayWithinABoundedResidentSet() throws Exception {
    Map<String, String> env = JvmFlags.environment(System.getenv());
    String out =
        ChildJvm.run(
            JvmFlags.forTraining(2, null),
            env,
            LongStudyMemoryTest.class,
            List.of(dir.toString()),
            dir.resolve("child.log"),
            600);
    long peakKb =
        out.lines()
            .filter(l -> l.startsWith("PEAK_KB "))
            .mapToLong(l -> Long.parseLong(l.substring(8).trim()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no PEAK_KB line in\n" + out));
    System.out.println("long study: peak RSS " + peakKb / 1024 + " MB");
    assertTrue(
        peakKb / 1024 < PEAK_MB,
        "peak RSS "
            + peakKb / 1024
            + " MB over "
            + PEAK_MB
            + " MB (allocator: "
            + env.getOrDefault("LD_PRELOAD", "glibc malloc; install libtcmalloc-minimal4")
            + ")\n"
            + out);
  }

  /** Child JVM: {@code LongStudyMemoryTest DIR}; runs the study, prints {@code PEAK_KB n}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path data = dir.resolve("data");
    Synthetic.writeTinyFashionLike(data, 3000, 300, 5);
    Path file = dir.resolve("study.yaml");
    Files.writeString(
        file,
        """
        name: long-memory
        data: {dir: %s, validation: 200, split_seed: 3}
        teacher:
          train:
            architecture: {id: mlp, params: {hidden: [256]}}
            training: {epochs: 2}
          outputs: cached
        students:
          - name: small
            architecture: {id: mlp, params: {hidden: [64]}}
        strategies:
          - {name: crd, terms: [{id: labels-only}, {id: crd}]}
          - {name: fitnets, terms: [{id: labels-only}, {id: fitnets}]}
        training: {epochs: 4, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}}
        seeds: [1, 2, 3]
        evaluation: {test: true, loss_statement: false}
        output: {dir: %s, plots: false}
        """
            .formatted(data, dir.resolve("runs")));
    Study study =
        new StudyParser(PluginRegistry.load(StudyRunner.class.getClassLoader()))
            .parse(file, Map.of());
    new StudyRunner(
            PluginRegistry.load(StudyRunner.class.getClassLoader()),
            label -> TrainingListener.NONE,
            System.out::println)
        .run(study);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        System.out.println("PEAK_KB " + line.replaceAll("[^0-9]", ""));
      }
    }
  }
}
