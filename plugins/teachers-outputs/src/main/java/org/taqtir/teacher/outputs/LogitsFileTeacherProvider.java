package org.taqtir.teacher.outputs;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.AbstractPlugin;
import org.taqtir.api.AbstractTeacher;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.PluginInfo;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;

/**
 * {@code logits-file}: a teacher whose outputs were computed elsewhere, by any stack, and saved per
 * sample as CSV or NumPy {@code .npy} ({@code numpy.save("train.npy", logits)}).
 *
 * <p>Keys: row {@code i} of {@code train} holds the outputs for sample {@code i} of the study's
 * training <em>file</em> in file order (for Fashion-MNIST, {@code train-images-idx3-ubyte}: 60 000
 * rows), before Taqtir's shuffle, validation split or {@code train_limit}; both the training and
 * the validation split are looked up there ({@link SampleRefs}). Row {@code i} of {@code test} is
 * sample {@code i} of the test file (10 000 rows). A CSV may instead carry an {@code index} column
 * (see the docs). So a teacher from any stack plugs in by predicting the files in their own order.
 *
 * <p>Validated when the study starts, in one line naming the file: the row count must equal the
 * number of samples of that file, the column count the number of classes, every value finite, and
 * with {@code values: probabilities} every row must lie in [0, 1] and sum to 1 within 1e-3.
 * Probabilities are turned into log-probabilities, which serve as logits: {@code softmax(log p) =
 * p}, so a KD loss at temperature 1 sees exactly {@code p}; at temperature T it sees {@code
 * p^(1/T)} renormalised, the usual temperature-scaled distribution.
 *
 * <p>Fingerprint: SHA-256 over both files' bytes and the {@code values} kind. The teacher exposes
 * logits only (no feature taps), cannot see augmented or corrupted inputs, and is therefore used
 * with cached outputs only.
 */
public final class LogitsFileTeacherProvider extends AbstractPlugin implements TeacherProvider {

  /** Registers the provider. */
  public LogitsFileTeacherProvider() {
    super(
        PluginInfo.of("logits-file")
            .withParams(
                ParamDef.ofChoice(
                    "train",
                    "",
                    List.of(),
                    "outputs for the training file, one row per sample in file order (.npy or .csv)"),
                ParamDef.ofChoice(
                    "test",
                    "",
                    List.of(),
                    "outputs for the test file (empty: none; then set evaluation.test: false)"),
                ParamDef.ofChoice(
                    "values",
                    "logits",
                    List.of("logits", "probabilities"),
                    "what the rows hold; probabilities become log-probabilities"))
            .withDescription(
                "per-sample logits or probabilities computed by any stack (.npy or .csv), keyed by"
                    + " the sample's row in the original data file; logits only")
            .withFormula(
                "logits[i] = row i of the file (the i-th sample of the original file); with values:"
                    + " probabilities, logits[i] = log(max(p[i], 1e-30))"));
  }

  @Override
  public Teacher create(Params params, TeacherContext context) {
    String trainPath = params.getString("train");
    if (trainPath.isEmpty()) {
      throw new IllegalArgumentException(
          "logits-file: params.train is required: a .npy or .csv file with one row per sample of"
              + " the training file");
    }
    boolean probabilities = params.getString("values").equals("probabilities");
    Map<String, OutputTable> tables = new LinkedHashMap<>();
    tables.put(SampleRefs.TRAIN, load(context, trainPath, SampleRefs.TRAIN, probabilities));
    if (!params.getString("test").isEmpty()) {
      tables.put(
          SampleRefs.TEST, load(context, params.getString("test"), SampleRefs.TEST, probabilities));
    }
    StringBuilder describe = new StringBuilder("logits-file ");
    MessageDigest md = sha256();
    for (var e : tables.entrySet()) {
      describe.append(e.getKey().equals(SampleRefs.TRAIN) ? "" : " + ").append(e.getValue());
      md.update((e.getKey() + "=").getBytes(StandardCharsets.UTF_8));
      hashFile(md, e.getValue().file());
    }
    md.update(("\nvalues=" + params.getString("values")).getBytes(StandardCharsets.UTF_8));
    describe.append(probabilities ? ", log of probabilities" : ", logits");
    return new FileTeacher(
        tables,
        context.shape().numClasses(),
        HexFormat.of().formatHex(md.digest()),
        describe.toString());
  }

  private static OutputTable load(
      TeacherContext context, String path, String source, boolean probabilities) {
    Path file = context.resolve(path);
    OutputTable t;
    try {
      t = OutputTable.read(file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "logits-file: params." + source + ": " + e.getMessage(), e);
    }
    int classes = context.shape().numClasses();
    if (t.cols() != classes) {
      throw new IllegalArgumentException(
          "logits-file: "
              + file
              + " has "
              + t.cols()
              + " outputs per row, but the data has "
              + classes
              + " classes");
    }
    int expected = context.sourceSize(source);
    if (expected >= 0 && t.rows() != expected) {
      throw new IllegalArgumentException(
          "logits-file: "
              + file
              + " has "
              + t.rows()
              + " rows, but the "
              + source
              + " file has "
              + expected
              + " samples; row i must hold the outputs of sample i in file order");
    }
    float[] v = t.values();
    for (int r = 0; r < t.rows(); r++) {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        float x = v[r * classes + c];
        if (!Float.isFinite(x) || (probabilities && (x < 0 || x > 1))) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "logits-file: %s row %d column %d is %s; allowed: %s",
                  file,
                  r,
                  c,
                  x,
                  probabilities ? "a probability in [0, 1]" : "a finite number"));
        }
        sum += x;
      }
      if (probabilities && Math.abs(sum - 1) > 1e-3) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "logits-file: %s row %d sums to %.6f; probabilities must sum to 1 (or set"
                    + " values: logits)",
                file,
                r,
                sum));
      }
    }
    if (probabilities) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.log(Math.max(v[i], 1e-30));
      }
    }
    return t;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hashFile(MessageDigest md, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("logits-file: cannot read " + file + ": " + e, e);
    }
  }

  /** Outputs looked up by the samples' rows in the original files. */
  private static final class FileTeacher extends AbstractTeacher {

    private final Map<String, OutputTable> tables;
    private final int classes;

    FileTeacher(
        Map<String, OutputTable> tables, int classes, String fingerprint, String description) {
      super("logits-file", fingerprint, description);
      this.tables = Map.copyOf(tables);
      this.classes = classes;
    }

    @Override
    protected StepOutputs run(NDArray input, SampleRefs samples, Set<String> taps) {
      OutputTable t = tables.get(samples.source());
      if (t == null) {
        throw new IllegalArgumentException(
            "logits-file: no outputs for the "
                + samples.source()
                + " file; set params."
                + samples.source()
                + " to a file with one row per sample of it");
      }
      int batch = (int) input.getShape().get(0);
      if (samples.indices().length != batch) {
        throw new IllegalArgumentException(
            "logits-file: " + samples.indices().length + " sample rows for a batch of " + batch);
      }
      float[] out = new float[batch * classes];
      for (int i = 0; i < batch; i++) {
        int row = samples.indices()[i];
        if (row < 0 || row >= t.rows()) {
          throw new IllegalArgumentException(
              "logits-file: sample row " + row + " is outside " + t + " of " + samples.source());
        }
        System.arraycopy(t.values(), row * classes, out, i * classes, classes);
      }
      return logits(input, out, classes);
    }

    @Override
    public boolean indexed() {
      return true;
    }
  }
}
