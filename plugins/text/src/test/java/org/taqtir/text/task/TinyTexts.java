package org.taqtir.text.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small English text for the tests: sentences from a seeded grammar, one file per "chapter". */
final class TinyTexts {

  private TinyTexts() {}

  static List<Path> write(Path dir, int files) throws IOException {
    String[] who = {"the cat", "a farmer", "my sister", "the old man", "our teacher", "the dog"};
    String[] did = {"saw", "liked", "found", "carried", "painted", "followed"};
    String[] what = {"a red ball", "the garden", "a small boat", "the letter", "two apples"};
    String[] where = {"near the river", "in the morning", "at home", "after dinner", "by the sea"};
    SplittableRandom r = new SplittableRandom(11);
    List<Path> out = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      StringBuilder sb = new StringBuilder();
      for (int s = 0; s < 60; s++) {
        String sentence =
            who[r.nextInt(who.length)]
                + " "
                + did[r.nextInt(did.length)]
                + " "
                + what[r.nextInt(what.length)]
                + " "
                + where[r.nextInt(where.length)]
                + ". ";
        sb.append(Character.toUpperCase(sentence.charAt(0))).append(sentence.substring(1));
        if (s % 10 == 9) {
          sb.append("\n");
        }
      }
      Path p = dir.resolve("chapter" + f + ".txt");
      Files.writeString(p, sb.toString());
      out.add(p);
    }
    return out;
  }
}
