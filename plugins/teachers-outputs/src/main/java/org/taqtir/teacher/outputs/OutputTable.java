package org.taqtir.teacher.outputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One file of per-sample outputs, row {@code i} for sample {@code i}, read from {@code .npy} or
 * CSV.
 *
 * <p>CSV: comma-separated numbers, one row per sample, blank lines ignored. An optional first line
 * whose first field is not a number is a header; when that header's first column is {@code index},
 * the column gives each row's sample index (rows may then come in any order, and every index must
 * appear exactly once); otherwise row order is sample order and every column is an output.
 *
 * @param file the file read
 * @param rows number of samples
 * @param cols number of outputs per sample
 * @param values row-major {@code rows × cols}
 */
record OutputTable(Path file, int rows, int cols, float[] values) {

  static OutputTable read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " not found");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      NpyReader.Matrix m = NpyReader.read(file);
      return new OutputTable(file, m.rows(), m.cols(), m.values());
    }
    if (name.endsWith(".csv")) {
      return readCsv(file);
    }
    throw new IllegalArgumentException(
        file + ": unknown file type; allowed: .npy (NumPy) or .csv (comma-separated)");
  }

  private static OutputTable readCsv(Path file) {
    List<float[]> rows = new ArrayList<>();
    List<Integer> keys = null;
    int cols = -1;
    int lineNo = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        if (cols < 0 && rows.isEmpty() && keys == null && !isNumber(f[0])) {
          if (f[0].trim().equalsIgnoreCase("index")) {
            keys = new ArrayList<>();
          }
          continue;
        }
        int skip = keys == null ? 0 : 1;
        if (cols < 0) {
          cols = f.length - skip;
        }
        if (f.length - skip != cols) {
          throw new IllegalArgumentException(
              file + " line " + lineNo + ": " + (f.length - skip) + " outputs, expected " + cols);
        }
        if (keys != null) {
          keys.add(parseIndex(f[0], file, lineNo));
        }
        float[] row = new float[cols];
        for (int c = 0; c < cols; c++) {
          try {
            row[c] = Float.parseFloat(f[c + skip].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                file
                    + " line "
                    + lineNo
                    + " column "
                    + (c + skip + 1)
                    + ": '"
                    + f[c + skip].trim()
                    + "' is not a number");
          }
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(file + ": no rows of outputs");
    }
    float[] values = new float[rows.size() * cols];
    boolean[] seen = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      int at = i;
      if (keys != null) {
        at = keys.get(i);
        if (at < 0 || at >= rows.size()) {
          throw new IllegalArgumentException(
              file
                  + ": index "
                  + at
                  + " is outside [0, "
                  + rows.size()
                  + ") for a file of "
                  + rows.size()
                  + " rows; the index column must number the samples 0..N-1");
        }
        if (seen[at]) {
          throw new IllegalArgumentException(file + ": index " + at + " appears twice");
        }
        seen[at] = true;
      }
      System.arraycopy(rows.get(i), 0, values, at * cols, cols);
    }
    return new OutputTable(file, rows.size(), cols, values);
  }

  private static int parseIndex(String s, Path file, int lineNo) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          file + " line " + lineNo + ": index '" + s.trim() + "' is not a whole number");
    }
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return file.getFileName() + " (" + rows + " x " + cols + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputTable t
        && t.file.equals(file)
        && t.rows == rows
        && t.cols == cols
        && Arrays.equals(t.values, values);
  }

  @Override
  public int hashCode() {
    return file.hashCode() * 31 + Arrays.hashCode(values);
  }
}
