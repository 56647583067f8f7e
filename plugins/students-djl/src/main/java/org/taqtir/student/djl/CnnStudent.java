package org.taqtir.student.djl;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.taqtir.api.Student;

/** A LeNet-style convolutional student with taps {@code block1..N}, {@code flatten}, hidden. */
final class CnnStudent implements Student {

  private final TappedCnnBlock block;
  private final List<String> taps;
  private final String description;

  CnnStudent(
      long[] image,
      List<Integer> channels,
      int kernel,
      List<Integer> widths,
      int classes,
      float dropout) {
    this.block = new TappedCnnBlock(image, channels, kernel, widths, classes, dropout);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= channels.size(); i++) {
      names.add("block" + i);
    }
    names.add("flatten");
    for (int i = 1; i <= widths.size(); i++) {
      names.add("hidden" + i);
    }
    this.taps = List.copyOf(names);
    StringBuilder d = new StringBuilder("cnn ");
    d.append(image[0]).append('x').append(image[1]).append('x').append(image[2]);
    for (int c : channels) {
      d.append("-c").append(c);
    }
    for (int w : widths) {
      d.append('-').append(w);
    }
    d.append('-').append(classes).append(" k").append(kernel);
    if (dropout > 0) {
      d.append(" dropout ").append(dropout);
    }
    this.description = d.toString();
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
