package org.taqtir.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taqtir quickstart}: runs {@code experiments/quickstart/study.yaml} (teacher MLP → small
 * MLP student, label-only vs Hinton KD) on Fashion-MNIST.
 */
@Command(
    name = "quickstart",
    description = "Run the quickstart study (experiments/quickstart/study.yaml).")
final class QuickstartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "-P", paramLabel = "PATH=VALUE", description = "override a study field")
  List<String> overrides = List.of();

  @Override
  public Integer call() {
    Path home = Path.of(System.getProperty("taqtir.home", "."));
    Path file = home.resolve("experiments/quickstart/study.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file + ": quickstart study not found; run bin/taqtir from a Taqtir checkout");
    }
    return StudyCli.run(file, RunCommand.parseOverrides(overrides), spec.commandLine().getOut());
  }
}
