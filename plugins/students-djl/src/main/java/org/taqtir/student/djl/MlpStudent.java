package org.taqtir.student.djl;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.taqtir.api.Student;

/** A multilayer perceptron student with one tap per hidden layer. */
final class MlpStudent implements Student {

  private final TappedMlpBlock block;
  private final List<String> taps;
  private final String description;

  MlpStudent(int inputSize, List<Integer> widths, int classes, String activation, float dropout) {
    this.block = new TappedMlpBlock(widths, classes, activation, dropout);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= widths.size(); i++) {
      names.add("hidden" + i);
    }
    this.taps = List.copyOf(names);
    this.description =
        "mlp "
            + inputSize
            + "-"
            + widths.stream().map(String::valueOf).collect(Collectors.joining("-"))
            + (widths.isEmpty() ? "" : "-")
            + classes
            + (dropout > 0 ? " dropout " + dropout : "")
            + ("relu".equals(activation) ? "" : " " + activation);
  }

  @Override
  public Block block() {
    return block;
  }

  @Override
  public List<String> taps() {
    return taps;
  }

  @Override
  public String describe() {
    return description;
  }
}
