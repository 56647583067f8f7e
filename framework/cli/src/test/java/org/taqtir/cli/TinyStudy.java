package org.taqtir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.taqtir.core.data.Synthetic;

/** A small, learnable Fashion-MNIST-shaped dataset and study files for end-to-end tests. */
final class TinyStudy {

  private TinyStudy() {}

  /** Writes synthetic IDX files (800 train, 300 test) into {@code dir/data}. */
  static Path data(Path dir) throws IOException {
    Path data = dir.resolve("data");
    Synthetic.writeTinyFashionLike(data, 800, 300, 5);
    return data;
  }

  static String yaml(Path dir, Path data, String extra) {
    return """
        name: tiny
        data:
          dir: %s
          validation: 200
          split_seed: 3
        teacher:
          train:
            architecture: {id: mlp, params: {hidden: [64]}}
            training: {epochs: 4}
        students:
          - name: small
            architecture: {id: mlp, params: {hidden: [16]}}
        strategies:
          - id: labels-only
          - name: kd
            id: hinton-kd
            params: {temperature: 4, alpha: 0.9}
        training:
          epochs: 3
          batch_size: 32
          optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
        seeds: [1, 2]
        output:
          dir: %s
        %s
        """
        .formatted(data, dir.resolve("runs"), extra);
  }

  static Path write(Path dir, String text) throws IOException {
    Path f = dir.resolve("study.yaml");
    Files.writeString(f, text);
    return f;
  }

  /** Runs the CLI in-process and captures its output. */
  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  record Result(int code, String out, String err) {}
}
