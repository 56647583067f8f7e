package org.taqtir.text.tokenize;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;

/** The built-in tokenizers: {@code char} and {@code byte-bpe}. */
public final class Tokenizers {

  private Tokenizers() {}

  /** {@code char}: one token per code point of the training text, plus {@code <unk>}. */
  public static final class Char implements TokenizerProvider {
    @Override
    public String id() {
      return "char";
    }

    @Override
    public String description() {
      return "one token per character (code point) of the training text, <unk> for the others";
    }

    @Override
    public Tokenizer fit(Params params, String training, Path workDir) {
      return new CharTokenizer(training);
    }
  }

  /** {@code byte-bpe}: byte-level BPE trained on the training text. */
  public static final class ByteBpeProvider implements TokenizerProvider {
    private static final ParamSpec SPEC =
        ParamSpec.of(
            ParamDef.ofInt(
                "vocabulary",
                512,
                Range.closed(257, 65536),
                "tokens: the 256 bytes plus this many minus 256 merges"),
            ParamDef.ofInt(
                "train_chars",
                1_000_000,
                Range.atLeast(1000),
                "characters of the training text the merges are learnt from (its start)"));

    @Override
    public String id() {
      return "byte-bpe";
    }

    @Override
    public ParamSpec params() {
      return SPEC;
    }

    @Override
    public String description() {
      return "byte-level BPE trained on the training text, applied by Hugging Face tokenizers";
    }

    @Override
    public String paper() {
      return "Sennrich, Haddow, Birch 2016, Neural Machine Translation of Rare Words with Subword"
          + " Units; byte-level as in Radford et al. 2019 (GPT-2)";
    }

    @Override
    public Tokenizer fit(Params params, String training, Path workDir) {
      int n = Math.min(training.length(), params.getInt("train_chars"));
      ByteBpe model = ByteBpe.train(training.substring(0, n), params.getInt("vocabulary"));
      return new ByteBpeTokenizer(model, workDir);
    }
  }

  /** Every id for messages. */
  static List<String> ids(Set<String> ids) {
    return List.copyOf(new java.util.TreeSet<>(ids));
  }
}
