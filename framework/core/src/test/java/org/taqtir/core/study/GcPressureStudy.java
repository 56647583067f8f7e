package org.taqtir.core.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.train.TrainingListener;

/**
 * Every strategy family through the normal study path on a tiny CNN pair: a CNN teacher trained in
 * the study, then one CNN student per strategy with cached teacher outputs, then a few strategies
 * with the teacher run per batch. {@link #bits} fingerprints every result bit for bit; {@link
 * #main} prints it so a child JVM under garbage-collection pressure can be compared with a normal
 * run ({@link GcPressureStudyTest}).
 */
final class GcPressureStudy {

  /**
   * Every registered strategy that fits a CNN pair, each next to the label loss as in the papers.
   */
  static final List<String> CACHED_METHODS =
      List.of(
          "{id: labels-only}",
          "{name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}",
          "{name: hinton-kd-std, id: hinton-kd, params: {temperature: 2, standardize: true}}",
          "{name: dkd, terms: [{id: labels-only}, {id: dkd}]}",
          "{name: dist, terms: [{id: labels-only}, {id: dist}]}",
          "{name: nkd, terms: [{id: labels-only}, {id: nkd}]}",
          "{name: fitnets, terms: [{id: labels-only}, {id: fitnets}]}",
          "{name: at, terms: [{id: labels-only}, {id: at}]}",
          "{name: nst, terms: [{id: labels-only}, {id: nst, params: {beta: 10}}]}",
          "{name: pkt, terms: [{id: labels-only}, {id: pkt}]}",
          "{name: vid, terms: [{id: labels-only}, {id: vid}]}",
          "{name: sp, terms: [{id: labels-only}, {id: sp}]}",
          "{name: rkd, terms: [{id: labels-only}, {id: rkd}]}",
          "{name: cc, terms: [{id: labels-only}, {id: cc}]}",
          "{name: crd, terms: [{id: labels-only}, {id: crd, params: {memory_mb: 1}, weight: 0.8}]}");

  /** One per family, with the teacher's forward pass inside every training step. */
  static final List<String> PER_BATCH_METHODS =
      List.of(
          "{name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}",
          "{name: at, terms: [{id: labels-only}, {id: at}]}",
          "{name: rkd, terms: [{id: labels-only}, {id: rkd}]}");

  private GcPressureStudy() {}

  static String yaml(Path data, Path runs, String outputs, List<String> methods) {
    StringBuilder s = new StringBuilder();
    s.append("name: gc-pressure-").append(outputs).append('\n');
    s.append("data: {dir: ").append(data).append(", validation: 200, split_seed: 3}\n");
    s.append("teacher:\n");
    s.append("  train:\n");
    s.append("    architecture: {id: cnn, params: {channels: [4, 8], hidden: [32]}}\n");
    s.append("    training: {epochs: 2}\n");
    s.append("  outputs: ").append(outputs).append('\n');
    s.append("students:\n");
    s.append("  - name: small\n");
    s.append("    architecture: {id: cnn, params: {channels: [4, 8], hidden: [16]}}\n");
    s.append("strategies:\n");
    for (String m : methods) {
      s.append("  - ").append(m).append('\n');
    }
    s.append("training: {epochs: 2, batch_size: 32, optimizer: {type: sgd, lr: 0.02,");
    s.append(" momentum: 0.9}}\n");
    s.append("seeds: [1]\n");
    s.append("evaluation: {test: true, loss_statement: false}\n");
    s.append("output: {dir: ").append(runs).append(", plots: false}\n");
    return s.toString();
  }

  /**
   * Runs the cached-outputs study and the per-batch study in {@code dir} (data written there) and
   * returns one line per teacher and run: its name and the raw bits of every metric.
   */
  static List<String> bits(Path dir) throws IOException {
    Path data = dir.resolve("data");
    org.taqtir.core.data.Synthetic.writeTinyFashionLike(data, 800, 300, 5);
    List<String> lines = new ArrayList<>();
    lines.addAll(run(dir, data, "cached", CACHED_METHODS));
    lines.addAll(run(dir, data, "per-batch", PER_BATCH_METHODS));
    return lines;
  }

  private static List<String> run(Path dir, Path data, String outputs, List<String> methods)
      throws IOException {
    Path file = dir.resolve("study-" + outputs + ".yaml");
    Files.writeString(file, yaml(data, dir.resolve("runs"), outputs, methods));
    StudyParser parser = new StudyParser(PluginRegistry.load(StudyRunner.class.getClassLoader()));
    Study study = parser.parse(file, java.util.Map.of());
    StudyResult result =
        new StudyRunner(
                PluginRegistry.load(StudyRunner.class.getClassLoader()),
                label -> TrainingListener.NONE,
                line -> {})
            .run(study);
    List<String> lines = new ArrayList<>();
    var t = result.teacher();
    lines.add(
        outputs
            + " teacher "
            + hex(t.valAcc())
            + ' '
            + hex(t.testAcc())
            + (t.trainedNow() ? " trained" : " reused"));
    for (RunSummary r : result.runs()) {
      lines.add(outputs + ' ' + r.method() + ' ' + r.result().bits());
    }
    return lines;
  }

  private static String hex(double v) {
    return Long.toHexString(Double.doubleToRawLongBits(v));
  }

  /**
   * Child-JVM entry: {@code GcPressureStudy DIR}; prints {@code BITS <line>} per result. Besides
   * the small young generation the child is started with, a daemon thread requests a collection
   * every millisecond, so collections land inside every training step (between a loss's forward ops
   * and its backward pass), not only where the study's own allocations trigger them.
   */
  public static void main(String[] args) throws IOException {
    Thread gc =
        new Thread(
            () -> {
              // Short-lived garbage fills the child's 4 MB young generation about every
              // millisecond: cheap young collections, all through every training step.
              long sink = 0;
              while (true) {
                byte[] junk = new byte[256 * 1024];
                sink += junk.length;
                if ((sink & ((1 << 22) - 1)) == 0) {
                  try {
                    Thread.sleep(1);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "gc-pressure");
    gc.setDaemon(true);
    gc.start();
    for (String line : bits(Path.of(args[0]))) {
      System.out.println("BITS " + line);
    }
  }
}
