package org.taqtir.text.tokenize;

/**
 * Turns text into token ids and back. A tokenizer is fitted to a study's training text when the
 * data is loaded (a character vocabulary, BPE merges); its {@link #fingerprint()} then identifies
 * it in the run's provenance, the data's content hash and so the teacher's identity.
 */
public interface Tokenizer {

  /**
   * Encodes text.
   *
   * @param text any text
   * @return token ids in {@code [0, vocabularySize())}; nothing is dropped: a character the
   *     tokenizer cannot represent becomes its unknown token ({@link #unknownId()})
   */
  int[] encode(String text);

  /**
   * Decodes ids to text.
   *
   * @param ids token ids
   * @return the text (an unknown token decodes as {@code U+FFFD})
   */
  String decode(int[] ids);

  /**
   * Returns the bytes one token stands for, in UTF-8: what concatenating the tokens of an encoding
   * gives back (a byte-level token may be part of a character).
   *
   * @param id a token id
   * @return its bytes ({@code U+FFFD}'s for an unknown token)
   */
  default byte[] bytes(int id) {
    return decode(new int[] {id}).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Returns the number of token ids.
   *
   * @return the vocabulary size, the width of a language model's output
   */
  int vocabularySize();

  /**
   * Returns the id unknown input maps to.
   *
   * @return the id, or -1 when the tokenizer represents every input (a byte-level tokenizer)
   */
  int unknownId();

  /**
   * Returns a hash of everything that decides the ids (kind, parameters, vocabulary, merges).
   *
   * @return hex SHA-256
   */
  String fingerprint();

  /**
   * Returns a short description for logs and tables.
   *
   * @return e.g. {@code char, 84 symbols}
   */
  String describe();
}
