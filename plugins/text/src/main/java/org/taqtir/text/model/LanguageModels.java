package org.taqtir.text.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import java.util.List;
import java.util.Set;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;

/**
 * The language-model architectures, usable as students and (trained on the text by the study) as
 * teachers: {@code gpt} and {@code lstm-lm}. The model's input is a window of {@code (T)} token ids
 * (the study's {@code data.window}); its output width is the tokenizer's vocabulary.
 */
public final class LanguageModels {

  /** The language-modelling task's id. */
  public static final String TASK = "language-modelling";

  private LanguageModels() {}

  /** A built model: its block, taps and description. */
  private record Built(Block block, List<String> taps, String describe) implements Student {}

  /** {@code gpt}: a pre-LN causal transformer ({@link GptBlock}). */
  public static final class Gpt implements StudentProvider {
    private static final ParamSpec SPEC =
        ParamSpec.of(
            ParamDef.ofInt("layers", 2, Range.closed(1, 48), "transformer blocks"),
            ParamDef.ofInt("width", 64, Range.closed(8, 4096), "model width d"),
            ParamDef.ofInt("heads", 4, Range.closed(1, 64), "attention heads (divide width)"),
            ParamDef.ofInt("mlp", 4, Range.closed(1, 16), "MLP width as a multiple of d"),
            ParamDef.ofDouble(
                "dropout", 0.0, new Range(0, true, 1, false), "dropout (residual, attention)"),
            ParamDef.ofBoolean("tied", false, "head tied to the token embedding"));

    @Override
    public String id() {
      return "gpt";
    }

    @Override
    public Set<String> tasks() {
      return Set.of(TASK);
    }

    @Override
    public ParamSpec params() {
      return SPEC;
    }

    @Override
    public String description() {
      return "pre-LN causal transformer; taps hidden1..L, attention1..L";
    }

    @Override
    public String paper() {
      return "Radford et al. 2019, Language Models are Unsupervised Multitask Learners (GPT-2);"
          + " pre-LN: Xiong et al. 2020";
    }

    @Override
    public Student create(Params p, ModelShape shape) {
      int context = (int) shape.input().get(0);
      GptBlock block =
          new GptBlock(
              shape.numClasses(),
              context,
              p.getInt("width"),
              p.getInt("layers"),
              p.getInt("heads"),
              p.getInt("mlp"),
              (float) p.getDouble("dropout"),
              p.getBoolean("tied"));
      block.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
      return new Built(
          block,
          block.taps(),
          String.format(
              java.util.Locale.ROOT,
              "gpt %dL d%d h%d V%d T%d",
              p.getInt("layers"),
              p.getInt("width"),
              p.getInt("heads"),
              shape.numClasses(),
              context));
    }
  }

  /** {@code lstm-lm}: an LSTM language model ({@link LstmLmBlock}). */
  public static final class Lstm implements StudentProvider {
    private static final ParamSpec SPEC =
        ParamSpec.of(
            ParamDef.ofInt("layers", 1, Range.closed(1, 8), "LSTM layers"),
            ParamDef.ofInt("width", 64, Range.closed(4, 4096), "token embedding width"),
            ParamDef.ofInt("state", 256, Range.closed(4, 8192), "LSTM state size"),
            ParamDef.ofDouble(
                "dropout", 0.0, new Range(0, true, 1, false), "dropout between layers and heads"));

    @Override
    public String id() {
      return "lstm-lm";
    }

    @Override
    public Set<String> tasks() {
      return Set.of(TASK);
    }

    @Override
    public ParamSpec params() {
      return SPEC;
    }

    @Override
    public String description() {
      return "LSTM language model; tap hidden (top layer output)";
    }

    @Override
    public Student create(Params p, ModelShape shape) {
      LstmLmBlock block =
          new LstmLmBlock(
              shape.numClasses(),
              p.getInt("width"),
              p.getInt("state"),
              p.getInt("layers"),
              (float) p.getDouble("dropout"));
      return new Built(
          block,
          block.taps(),
          String.format(
              java.util.Locale.ROOT,
              "lstm-lm %dx%d e%d V%d",
              p.getInt("layers"),
              p.getInt("state"),
              p.getInt("width"),
              shape.numClasses()));
    }
  }
}
