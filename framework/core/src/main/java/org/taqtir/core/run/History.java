package org.taqtir.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A run's {@code history.csv}: one row per epoch ({@code epoch,train_loss,val_loss,val_acc,lr,
 * seconds,samples_per_second}, then the task's extra validation metrics by name when it has any).
 */
public final class History {

  /** The file name in a run's directory. */
  public static final String FILE = "history.csv";

  private static final String COLUMNS =
      "epoch,train_loss,val_loss,val_acc,lr,seconds,samples_per_second";

  private History() {}

  /**
   * Writes a run's history into its directory.
   *
   * @param dir the run's directory (created when missing)
   * @param history the epochs
   */
  public static void write(Path dir, List<EpochMetrics> history) {
    TreeSet<String> extras = new TreeSet<>();
    history.forEach(m -> extras.addAll(m.extras().keySet()));
    StringBuilder sb = new StringBuilder(COLUMNS);
    extras.forEach(k -> sb.append(',').append(k));
    sb.append('\n');
    for (EpochMetrics m : history) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.6f,%.6g,%.3f,%.1f",
              m.epoch() + 1,
              m.trainLoss(),
              m.valLoss(),
              m.valAcc(),
              m.learningRate(),
              m.seconds(),
              m.samplesPerSecond()));
      for (String k : extras) {
        sb.append(String.format(Locale.ROOT, ",%.6f", m.extras().getOrDefault(k, Double.NaN)));
      }
      sb.append('\n');
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(FILE), sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @param file the history file
   * @return the epochs; empty when the file does not exist
   * @throws IllegalArgumentException naming the file when it cannot be read
   */
  public static List<EpochMetrics> read(Path file) {
    List<EpochMetrics> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String[] header = lines.isEmpty() ? new String[0] : lines.get(0).split(",");
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        Map<String, Double> extras = new LinkedHashMap<>();
        for (int i = 7; i < Math.min(f.length, header.length); i++) {
          extras.put(header[i], Double.parseDouble(f[i]));
        }
        out.add(
            new EpochMetrics(
                Integer.parseInt(f[0]) - 1,
                Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                extras));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": cannot read the run's history: " + e, e);
    }
    return out;
  }
}
