package org.taqtir.text.tokenize;

import java.nio.file.Path;
import org.taqtir.api.Params;
import org.taqtir.api.Plugin;

/**
 * Discovers a tokenizer, as strategies and students are discovered: register an implementation in
 * {@code META-INF/services/org.taqtir.text.tokenize.TokenizerProvider}; a language-modelling study
 * names it by id ({@code data.tokenizer: {id: byte-bpe, params: {vocabulary: 512}}}).
 */
public interface TokenizerProvider extends Plugin {

  /**
   * Fits a tokenizer to a study's training text.
   *
   * @param params validated parameters with defaults filled in
   * @param training the training split's text (the validation and test text are never read here)
   * @param workDir a directory for files the tokenizer writes (e.g. {@code vocab.json}, {@code
   *     merges.txt}), kept with the study's cache
   * @return the tokenizer
   */
  Tokenizer fit(Params params, String training, Path workDir);

  @Override
  default java.util.Set<String> tasks() {
    return java.util.Set.of("language-modelling");
  }
}
