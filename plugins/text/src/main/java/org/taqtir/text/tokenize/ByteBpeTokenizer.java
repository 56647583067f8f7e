package org.taqtir.text.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.taqtir.core.data.Hashes;

/**
 * A byte-level BPE vocabulary trained by {@link ByteBpe}, written as {@code vocab.json} and {@code
 * merges.txt} (and the {@code tokenizer.json} that wraps them with the byte-level pre-tokenizer and
 * decoder) and applied by Hugging Face's tokenizers library through DJL ({@code
 * ai.djl.huggingface:tokenizers}, which bundles its native library and runs offline). The base
 * vocabulary is the 256 bytes, so every character is represented: none is dropped, as a
 * character-level base vocabulary missing a character would silently do.
 */
public final class ByteBpeTokenizer implements Tokenizer, AutoCloseable {

  private final ByteBpe model;
  private final HuggingFaceTokenizer hf;
  private final String fingerprint;

  /**
   * Writes a trained model's files and loads them.
   *
   * @param model the trained merges
   * @param dir where {@code vocab.json}, {@code merges.txt} and {@code tokenizer.json} go
   */
  public ByteBpeTokenizer(ByteBpe model, Path dir) {
    this.model = model;
    ObjectMapper json = new ObjectMapper();
    ObjectNode vocab = json.createObjectNode();
    model.ids().forEach(vocab::put);
    StringBuilder merges = new StringBuilder("#version: 0.2\n");
    ArrayNode mergeList = json.createArrayNode();
    for (String[] m : model.merges()) {
      merges.append(m[0]).append(' ').append(m[1]).append('\n');
      mergeList.add(m[0] + " " + m[1]);
    }
    ObjectNode byteLevel = json.createObjectNode();
    byteLevel.put("type", "ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", true);
    byteLevel.put("use_regex", true);
    ObjectNode bpe = json.createObjectNode();
    bpe.put("type", "BPE");
    bpe.putNull("dropout");
    bpe.putNull("unk_token");
    bpe.putNull("continuing_subword_prefix");
    bpe.putNull("end_of_word_suffix");
    bpe.put("fuse_unk", false);
    bpe.put("byte_fallback", false);
    bpe.set("vocab", vocab);
    bpe.set("merges", mergeList);
    ObjectNode tokenizer = json.createObjectNode();
    tokenizer.put("version", "1.0");
    tokenizer.putNull("truncation");
    tokenizer.putNull("padding");
    tokenizer.set("added_tokens", json.createArrayNode());
    tokenizer.putNull("normalizer");
    tokenizer.set("pre_tokenizer", byteLevel);
    tokenizer.putNull("post_processor");
    tokenizer.set("decoder", byteLevel.deepCopy());
    tokenizer.set("model", bpe);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("vocab.json"), json.writeValueAsString(vocab));
      Files.writeString(dir.resolve("merges.txt"), merges.toString(), StandardCharsets.UTF_8);
      Path file = dir.resolve("tokenizer.json");
      Files.writeString(file, json.writeValueAsString(tokenizer), StandardCharsets.UTF_8);
      this.hf =
          HuggingFaceTokenizer.newInstance(
              file, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
      this.fingerprint = Hashes.sha256("byte-bpe\n" + json.writeValueAsString(tokenizer));
    } catch (IOException e) {
      throw new UncheckedIOException("byte-bpe: cannot write or load " + dir + ": " + e, e);
    }
  }

  @Override
  public int[] encode(String text) {
    long[] ids = hf.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return hf.decode(l, false);
  }

  @Override
  public byte[] bytes(int id) {
    return model.tokenBytes(id);
  }

  @Override
  public int vocabularySize() {
    return model.size();
  }

  @Override
  public int unknownId() {
    return -1;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String describe() {
    return "byte-bpe, "
        + model.size()
        + " tokens (256 bytes + "
        + model.merges().size()
        + " merges)";
  }

  /**
   * Returns the trained merges (the Java reference encoder included).
   *
   * @return the model
   */
  public ByteBpe model() {
    return model;
  }

  @Override
  public void close() {
    hf.close();
  }
}
