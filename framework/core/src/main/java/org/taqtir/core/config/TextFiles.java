package org.taqtir.core.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the text files a study names (the study itself, CSV tables) strictly: a file that is
 * missing, a directory, larger than its limit or not UTF-8 is refused in one line that names it
 * (and the line of the first byte that is not UTF-8), before any parser sees it.
 */
public final class TextFiles {

  private TextFiles() {}

  /** A text file that cannot be read as what it should be; the message is one line. */
  public static final class BadTextFile extends IllegalArgumentException {
    private final int line;
    private final String detail;

    BadTextFile(String name, int line, String detail, Throwable cause) {
      super(name + (line > 0 ? ":" + line : "") + ": " + detail, cause);
      this.line = line;
      this.detail = detail;
    }

    /**
     * Returns where the problem is.
     *
     * @return the 1-based line, 0 for the whole file
     */
    public int line() {
      return line;
    }

    /**
     * Returns the problem without the file name and line.
     *
     * @return one sentence
     */
    public String detail() {
      return detail;
    }
  }

  /**
   * Reads a UTF-8 text file.
   *
   * @param file the file
   * @param maxBytes the largest size accepted
   * @param what what the file should be, for messages (e.g. {@code "study file"})
   * @return its text
   * @throws BadTextFile when the file is missing, a directory, too large or not UTF-8; the message
   *     starts with the file's name (and {@code :<line>} for bad bytes)
   */
  public static String readUtf8(Path file, long maxBytes, String what) {
    String name = StudyYaml.fileName(file);
    if (Files.isDirectory(file)) {
      throw new BadTextFile(
          name, 0, file.toAbsolutePath() + " is a directory; give the " + what + " itself", null);
    }
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new BadTextFile(
            name,
            0,
            String.format(
                Locale.ROOT,
                "%s is %s; a %s is at most %s (is it the right file?)",
                file.toAbsolutePath(),
                size(size),
                what,
                size(maxBytes)),
            null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadTextFile(
          name, 0, "cannot read the " + what + " " + file.toAbsolutePath() + ": no such file", e);
    } catch (IOException e) {
      throw new BadTextFile(
          name, 0, "cannot read the " + what + " " + file.toAbsolutePath() + ": " + e, e);
    }
    return utf8(bytes, name, what);
  }

  /**
   * Decodes UTF-8, refusing malformed bytes instead of replacing them.
   *
   * @param bytes the bytes
   * @param name the file name for messages
   * @param what what the file should be, for messages
   * @return the text (a leading byte-order mark removed)
   * @throws BadTextFile naming the line and column of the first byte that is not UTF-8
   */
  public static String utf8(byte[] bytes, String name, String what) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new BadTextFile(
          name,
          line,
          String.format(
              Locale.ROOT,
              "not UTF-8 text (byte 0x%02x at column %d); save the %s as UTF-8",
              bytes[at] & 0xff,
              at - lineStart + 1,
              what),
          new CharacterCodingException());
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static String size(long bytes) {
    if (bytes >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
    }
    return String.format(Locale.ROOT, "%.0f KB", Math.ceil(bytes / 1024.0));
  }
}
