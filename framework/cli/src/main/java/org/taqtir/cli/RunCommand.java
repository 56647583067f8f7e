package org.taqtir.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taqtir run study.yaml}: runs a study and prints its results table. */
@Command(name = "run", description = "Run a study file and print its results table.")
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "STUDY", arity = "0..1", description = "study YAML file")
  Path file;

  @Option(
      names = "--resume",
      paramLabel = "RUN",
      description =
          "continue an interrupted study run (id or prefix, see taqtir runs list) from its last"
              + " epoch checkpoints; finished student runs are not trained again")
  String resume;

  @Option(names = "--store", description = "run store for --resume (default ${DEFAULT-VALUE})")
  Path store = Path.of("runs", "taqtir.db");

  @Option(
      names = "-P",
      paramLabel = "PATH=VALUE",
      description = "override a study field, e.g. -P training.epochs=2 (repeatable)")
  List<String> overrides = List.of();

  @Override
  public Integer call() {
    if (resume != null) {
      if (file != null || !overrides.isEmpty()) {
        throw new IllegalArgumentException(
            "--resume takes no study file and no -P: the run continues with its recorded config");
      }
      return StudyCli.resume(resume, store, spec.commandLine().getOut());
    }
    if (file == null) {
      throw new IllegalArgumentException("give a study file, or --resume RUN");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          file + ": a directory, not a study file; give the study's YAML file");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + ": no such study file");
    }
    return StudyCli.run(file, parseOverrides(overrides), spec.commandLine().getOut());
  }

  static Map<String, String> parseOverrides(List<String> raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String o : raw) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "-P " + o + ": expected PATH=VALUE, e.g. -P training.epochs=2");
      }
      out.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
    }
    return out;
  }
}
