package org.taqtir.student.djl;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;

/**
 * {@code cnn}: a LeNet-style convolutional network (LeCun et al. 1998, Gradient-Based Learning
 * Applied to Document Recognition), usable as a student and (trained on labels) as a teacher.
 *
 * <p>Each entry of {@code channels} adds a block conv k×k (padding ⌊(k−1)/2⌋, so odd kernels keep
 * the size) → ReLU → 2×2 max pool, then the last map is flattened and passes through the {@code
 * hidden} fully connected ReLU layers to the logits. Dropout (training only) is applied to the
 * input of every fully connected layer. With the defaults on 28×28 Fashion-MNIST: 1×28×28 →
 * 16×14×14 → 32×7×7 → 1568 → 128 → 10, 215,370 parameters.
 *
 * <p>Taps: {@code block1..N} are the pooled maps {@code (B, C, H, W)} (what AT and NST read),
 * {@code flatten} is {@code (B, C·H·W)}, {@code hidden1..M} are the hidden activations. A sample of
 * shape {@code (C, H, W)}, {@code (H, W)} or a square {@code (H·H)} is accepted.
 */
public final class CnnStudentProvider implements StudentProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofIntList(
              "channels", List.of(16, 32), Range.atLeast(1), "output channels of each conv block"),
          ParamDef.ofInt("kernel", 5, Range.closed(1, 11), "square convolution kernel size"),
          ParamDef.ofIntList(
              "hidden", List.of(128), Range.atLeast(1), "fully connected widths after the flatten"),
          ParamDef.ofDouble(
              "dropout",
              0.0,
              new Range(0, true, 1, false),
              "dropout rate before each fully connected layer (training only)"));

  @Override
  public String id() {
    return "cnn";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "LeNet-style CNN with taps block1..N (B,C,H,W), flatten and hidden1..M";
  }

  @Override
  public String paper() {
    return "LeCun et al. 1998, Gradient-Based Learning Applied to Document Recognition, Proc. IEEE";
  }

  @Override
  public Student create(Params params, ModelShape shape) {
    List<Integer> channels = params.getIntList("channels");
    int kernel = params.getInt("kernel");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException(
          "cnn: params.channels must name at least one block, found []");
    }
    long[] image = image(shape.input());
    long h = image[1];
    long w = image[2];
    int pad = (kernel - 1) / 2;
    for (int i = 0; i < channels.size(); i++) {
      h = (h + 2L * pad - kernel + 1) / 2;
      w = (w + 2L * pad - kernel + 1) / 2;
      if (h < 1 || w < 1) {
        throw new IllegalArgumentException(
            "cnn: params.channels "
                + channels
                + " with kernel "
                + kernel
                + " shrink the "
                + image[1]
                + "x"
                + image[2]
                + " input to nothing at block "
                + (i + 1)
                + "; use at most "
                + i
                + " blocks or a smaller kernel");
      }
    }
    return new CnnStudent(
        image,
        channels,
        kernel,
        params.getIntList("hidden"),
        shape.numClasses(),
        (float) params.getDouble("dropout"));
  }

  /** The sample as {C, H, W}. */
  static long[] image(Shape input) {
    switch (input.dimension()) {
      case 3:
        return input.getShape();
      case 2:
        return new long[] {1, input.get(0), input.get(1)};
      case 1:
        long side = Math.round(Math.sqrt(input.get(0)));
        if (side * side == input.get(0)) {
          return new long[] {1, side, side};
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "cnn needs image samples (C, H, W), (H, W) or a square (H·H); the data has samples "
            + input);
  }
}
