package org.taqtir.core.data;

import com.univocity.parsers.common.TextParsingException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.taqtir.core.config.TableSchema;
import org.taqtir.core.config.TextFiles;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Loads a CSV table with a declared {@link TableSchema} and splits it.
 *
 * <p>The file is read through Tablesaw with every column as text, then each cell is checked against
 * the schema, so an error names the file, the row (1-based data row; the header is line 1, so row
 * {@code r} is line {@code r + 1}), the column and the value: {@code wine.csv: row 17, column
 * "alcohol": "abc" is not a number}.
 *
 * <p>Split: by the split column ({@code train}, {@code validation}, {@code test}), or else the rows
 * {@code 0..N-1} are permuted by {@link Shuffle#permutation} with {@code new
 * SplittableRandom(splitSeed)}: the first {@code test} permuted rows are the test split, the next
 * {@code validation} rows the validation split, the rest the training split (0 means 20 % for
 * either).
 *
 * <p>Encoding, fitted on the training split only: a categorical column becomes one 0/1 feature per
 * category seen in the training split (sorted; a category seen only in validation or test encodes
 * as all zeros and is counted); a numeric column is standardised, {@code (x − mean) / std}, with
 * the training split's mean and population standard deviation (1 when it is 0). The classes are the
 * target's distinct values over the whole file, sorted (numerically when all are numbers), or two
 * classes {@code <= t} and {@code > t} when the target is binarised at {@code t}. {@link
 * Prepared#schema()} records all of it.
 */
public final class CsvTable {

  /** The largest CSV file read (the whole text is held in memory while it is parsed). */
  static final long MAX_BYTES = 1L << 30;

  /** The most characters one cell may hold. */
  static final int MAX_CELL = 4096;

  private CsvTable() {}

  /**
   * A loaded table.
   *
   * @param splits the encoded splits (feature names and, with a group column, groups attached)
   * @param classNames class names by label
   * @param schema what was fitted: feature names, categories, means, standard deviations, the
   *     binarisation threshold, class and group names, split sizes (for the run's records)
   */
  public record Prepared(DataSplits splits, List<String> classNames, Map<String, Object> schema) {}

  /**
   * Loads and splits a table.
   *
   * @param schema the declared schema
   * @param validation validation rows, 0 for 20 %; ignored with a split column
   * @param splitSeed seed of the row permutation
   * @return the splits and the fitted encoding
   * @throws IllegalArgumentException for a missing file or column, a bad cell or split size, in one
   *     line naming the file and the column (and the row for a cell)
   */
  public static Prepared load(TableSchema schema, int validation, long splitSeed) {
    Path file = schema.file();
    String name = file.getFileName().toString();
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(name + ": no such file (" + file + ")");
    }
    String csv = TextFiles.readUtf8(file, MAX_BYTES, "CSV table");
    List<String> header = header(name, csv);
    Table table = read(name, csv, header.size());
    int n = table.rowCount();
    List<String> columns = table.columnNames();
    check(name, columns, schema.target(), "data.target");
    if (schema.group() != null) {
      check(name, columns, schema.group(), "data.group");
    }
    if (schema.splitColumn() != null) {
      check(name, columns, schema.splitColumn(), "data.split_column");
    }
    List<String> features = new ArrayList<>(schema.features());
    if (features.isEmpty()) {
      for (String c : columns) {
        if (!c.equals(schema.target())
            && !c.equals(schema.group())
            && !c.equals(schema.splitColumn())) {
          features.add(c);
        }
      }
    }
    for (String f : features) {
      check(name, columns, f, "data.features");
      if (f.equals(schema.target())) {
        throw new IllegalArgumentException(
            name + ": data.features lists the target column \"" + f + "\"");
      }
    }
    for (String c : schema.categorical()) {
      if (!features.contains(c)) {
        throw new IllegalArgumentException(
            name
                + ": data.categorical names \""
                + c
                + "\", which is not a feature column; features: "
                + features);
      }
    }
    if (features.isEmpty()) {
      throw new IllegalArgumentException(name + ": no feature columns left");
    }

    // ---- split
    int[][] idx = split(name, table, n, schema, validation, splitSeed);
    int[] trainRows = idx[0];

    // ---- target
    String[] targetText = cells(name, table, schema.target());
    int[] labels = new int[n];
    List<String> classNames;
    Double threshold = null;
    if (schema.binarize() != null) {
      double[] v = numbers(name, targetText, schema.target());
      double t;
      if (schema.binarize().equals("median")) {
        double[] tr = new double[trainRows.length];
        for (int i = 0; i < tr.length; i++) {
          tr[i] = v[trainRows[i]];
        }
        Arrays.sort(tr);
        int m = tr.length / 2;
        t = tr.length % 2 == 1 ? tr[m] : (tr[m - 1] + tr[m]) / 2;
      } else {
        t = Double.parseDouble(schema.binarize());
      }
      threshold = t;
      for (int i = 0; i < n; i++) {
        labels[i] = v[i] > t ? 1 : 0;
      }
      String ts = fmt(t);
      classNames = List.of(schema.target() + " <= " + ts, schema.target() + " > " + ts);
    } else {
      classNames = sortedValues(targetText);
      if (classNames.size() < 2) {
        throw new IllegalArgumentException(
            name + ": column \"" + schema.target() + "\" (the target) has fewer than 2 classes");
      }
      Map<String, Integer> index = new LinkedHashMap<>();
      for (String c : classNames) {
        index.put(c, index.size());
      }
      for (int i = 0; i < n; i++) {
        labels[i] = index.get(targetText[i]);
      }
    }

    // ---- features
    List<String> featureNames = new ArrayList<>();
    List<float[]> columnsOut = new ArrayList<>();
    Map<String, Object> encoding = new LinkedHashMap<>();
    int unseen = 0;
    for (String f : features) {
      String[] text = cells(name, table, f);
      if (schema.categorical().contains(f)) {
        TreeSet<String> cats = new TreeSet<>();
        for (int r : trainRows) {
          cats.add(text[r]);
        }
        List<String> list = List.copyOf(cats);
        encoding.put(f, Map.of("categories", list));
        for (String c : list) {
          float[] col = new float[n];
          for (int i = 0; i < n; i++) {
            col[i] = text[i].equals(c) ? 1f : 0f;
          }
          featureNames.add(f + "=" + c);
          columnsOut.add(col);
        }
        for (int i = 0; i < n; i++) {
          if (!cats.contains(text[i])) {
            unseen++;
          }
        }
      } else {
        double[] v = numbers(name, text, f);
        double mean = 0;
        for (int r : trainRows) {
          mean += v[r];
        }
        mean /= trainRows.length;
        double var = 0;
        for (int r : trainRows) {
          var += (v[r] - mean) * (v[r] - mean);
        }
        double std = Math.sqrt(var / trainRows.length);
        if (std == 0) {
          std = 1;
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("mean", mean);
        st.put("std", std);
        encoding.put(f, st);
        float[] col = new float[n];
        for (int i = 0; i < n; i++) {
          col[i] = (float) ((v[i] - mean) / std);
        }
        featureNames.add(f);
        columnsOut.add(col);
      }
    }
    int width = columnsOut.size();
    float[] x = new float[n * width];
    for (int j = 0; j < width; j++) {
      float[] col = columnsOut.get(j);
      for (int i = 0; i < n; i++) {
        x[i * width + j] = col[i];
      }
    }
    Dataset all =
        new Dataset(x, labels, new int[] {width}, classNames.size()).withFeatureNames(featureNames);
    List<String> groupNames = List.of();
    if (schema.group() != null) {
      String[] g = cells(name, table, schema.group());
      groupNames = sortedValues(g);
      int[] gi = new int[n];
      for (int i = 0; i < n; i++) {
        gi[i] = groupNames.indexOf(g[i]);
      }
      all.withGroups(gi, groupNames);
    }
    Dataset train = all.subset(idx[0]);
    Dataset val = all.subset(idx[1]);
    Dataset test = all.subset(idx[2]);

    Map<String, Object> record = new LinkedHashMap<>();
    record.put("file", file.toString());
    record.put("rows", n);
    record.put(
        "split",
        Map.of("train", idx[0].length, "validation", idx[1].length, "test", idx[2].length));
    record.put("target", schema.target());
    if (threshold != null) {
      record.put("binarize_threshold", threshold);
    }
    record.put("classes", classNames);
    record.put("features", featureNames);
    record.put("encoding", encoding);
    if (schema.group() != null) {
      record.put("group", schema.group());
      record.put("groups", groupNames);
    }
    record.put("unseen_categories", unseen);
    String hash =
        Hashes.sha256(
            "train="
                + train.contentHash()
                + ";val="
                + val.contentHash()
                + ";test="
                + test.contentHash()
                + ";features="
                + featureNames
                + ";groups="
                + Arrays.toString(all.groups()));
    return new Prepared(new DataSplits(train, val, test, hash), classNames, record);
  }

  private static int[][] split(
      String name, Table table, int n, TableSchema schema, int validation, long splitSeed) {
    if (schema.splitColumn() != null) {
      String[] s = cells(name, table, schema.splitColumn());
      List<Integer> tr = new ArrayList<>();
      List<Integer> va = new ArrayList<>();
      List<Integer> te = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        switch (s[i]) {
          case "train" -> tr.add(i);
          case "validation" -> va.add(i);
          case "test" -> te.add(i);
          default ->
              throw new IllegalArgumentException(
                  cell(name, i, schema.splitColumn())
                      + "\""
                      + s[i]
                      + "\" is not a split; allowed: train, validation, test");
        }
      }
      int[][] out = {toArray(tr), toArray(va), toArray(te)};
      String[] what = {"train", "validation", "test"};
      for (int k = 0; k < 3; k++) {
        if (out[k].length == 0) {
          throw new IllegalArgumentException(
              name
                  + ": column \""
                  + schema.splitColumn()
                  + "\" (data.split_column) has no "
                  + what[k]
                  + " row");
        }
      }
      return out;
    }
    int test = schema.testSize() == 0 ? Math.max(1, n / 5) : schema.testSize();
    int val = validation == 0 ? Math.max(1, n / 5) : validation;
    if (test + val >= n) {
      throw new IllegalArgumentException(
          name
              + ": data.test ("
              + test
              + ") + data.validation ("
              + val
              + ") must leave training rows of the "
              + n
              + " in the file");
    }
    int[] perm = Shuffle.permutation(n, new SplittableRandom(splitSeed));
    return new int[][] {
      Arrays.copyOfRange(perm, test + val, n),
      Arrays.copyOfRange(perm, test, test + val),
      Arrays.copyOfRange(perm, 0, test)
    };
  }

  private static List<String> header(String name, String text) {
    int end = text.indexOf('\n');
    String first = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
    if (first.isBlank()) {
      throw new IllegalArgumentException(name + ": empty file (expected a header)");
    }
    return List.of(first.split(",", -1));
  }

  /**
   * Reads every cell as text. A CSV file has no comments: a row whose first cell starts with {@code
   * #} is data (univocity's default comment character is turned off). The reader's limits (cell
   * length, column count) are reported in one line naming the row.
   */
  private static Table read(String name, String text, int columns) {
    ColumnType[] types = new ColumnType[columns];
    Arrays.fill(types, ColumnType.STRING);
    try {
      return Table.read()
          .usingOptions(
              CsvReadOptions.builder(new StringReader(text))
                  .tableName(name)
                  .header(true)
                  .separator(',')
                  .commentPrefix('\0')
                  .maxCharsPerColumn(MAX_CELL)
                  .maxNumberOfColumns(columns)
                  .columnTypes(types)
                  .missingValueIndicator(""));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TextParsingException p) {
          String why = String.valueOf(p.getMessage()).lines().findFirst().orElse("");
          if (why.contains("exceeds the maximum number of characters")) {
            why =
                "a cell is longer than " + MAX_CELL + " characters, the most a table cell may hold";
          } else if (t.getCause() instanceof ArrayIndexOutOfBoundsException) {
            why = "the row has more cells than the " + columns + " columns of the header";
          }
          // univocity numbers the header record 0, so its record number is our data row
          throw new IllegalArgumentException(name + ": row " + p.getRecordNumber() + ": " + why, e);
        }
      }
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new IllegalArgumentException(name + ": not a readable CSV table: " + why, e);
    }
  }

  private static void check(String name, List<String> columns, String column, String field) {
    if (!columns.contains(column)) {
      throw new IllegalArgumentException(
          name + ": " + field + " names column \"" + column + "\", which is not in " + columns);
    }
  }

  private static String[] cells(String name, Table table, String column) {
    var col = table.stringColumn(column);
    String[] out = new String[table.rowCount()];
    for (int i = 0; i < out.length; i++) {
      String v = col.get(i);
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(cell(name, i, column) + "the value is missing");
      }
      out[i] = v.strip();
    }
    return out;
  }

  private static double[] numbers(String name, String[] text, String column) {
    double[] v = new double[text.length];
    for (int i = 0; i < text.length; i++) {
      try {
        v[i] = Double.parseDouble(text[i]);
      } catch (NumberFormatException e) {
        v[i] = Double.NaN;
      }
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(
            cell(name, i, column)
                + "\""
                + text[i]
                + "\" is not a number (list the column in data.categorical if it is a category)");
      }
      if (Math.abs(v[i]) > Float.MAX_VALUE) {
        throw new IllegalArgumentException(
            cell(name, i, column)
                + "\""
                + text[i]
                + "\" is out of range: a feature must be a finite 32-bit number, within ±3.4e38");
      }
    }
    return v;
  }

  private static String cell(String name, int row, String column) {
    return name + ": row " + (row + 1) + ", column \"" + column + "\": ";
  }

  private static List<String> sortedValues(String[] text) {
    TreeSet<String> set = new TreeSet<>(Arrays.asList(text));
    boolean numeric = set.stream().allMatch(CsvTable::isNumber);
    List<String> out = new ArrayList<>(set);
    if (numeric) {
      out.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
    }
    return out;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static int[] toArray(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }
}
