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
 * MLP student, label-only vs Hinton KD) on Fashion-MNIST; with {@code --text}, {@code
 * experiments/text-quickstart/study.yaml} (a character GPT teacher and a small GPT student on Jane
 * Austen's novels).
 */
@Command(
    name = "quickstart",
    description =
        "Run the quickstart study (experiments/quickstart/study.yaml), or with --text the"
            + " language-model one (experiments/text-quickstart/study.yaml).")
final class QuickstartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "-P", paramLabel = "PATH=VALUE", description = "override a study field")
  List<String> overrides = List.of();

  @Option(
      names = "--text",
      description =
          "the language-model quickstart: Jane Austen, char GPT teacher and student (bin/taqtir"
              + " fetches the corpus with bin/corpora first)")
  boolean text;

  @Override
  public Integer call() {
    Path home = Path.of(System.getProperty("taqtir.home", "."));
    Path file =
        home.resolve(
            text ? "experiments/text-quickstart/study.yaml" : "experiments/quickstart/study.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file + ": quickstart study not found; run bin/taqtir from a Taqtir checkout");
    }
    return StudyCli.run(file, RunCommand.parseOverrides(overrides), spec.commandLine().getOut());
  }
}
