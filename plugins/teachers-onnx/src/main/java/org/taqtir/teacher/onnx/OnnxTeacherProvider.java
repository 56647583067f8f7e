package org.taqtir.teacher.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taqtir.api.AbstractPlugin;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.PluginInfo;
import org.taqtir.api.Range;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;

/**
 * {@code onnx}: a teacher exported to ONNX by another stack (e.g. {@code torch.onnx.export}), run
 * by ONNX Runtime's Java API ({@code com.microsoft.onnxruntime:onnxruntime}) on the CPU.
 *
 * <p>Why the ONNX Runtime API rather than DJL's {@code onnxruntime-engine}: DJL's engine wraps the
 * same runtime but would put a second DJL engine on the classpath, where it competes with PyTorch
 * for the default engine and its arrays need copying between engines anyway; the plain API needs no
 * engine selection, leaves PyTorch the default engine for training, and exposes the model's input
 * and output metadata that the shape checks below read. Both run offline: the native library ships
 * inside the jar.
 *
 * <p>Input: Taqtir's features ({@code pixel / 255} for images) are mapped to {@code (x - mean) /
 * std} with the declared {@code mean} and {@code std}, then passed as float32 of shape {@code (B,
 * ...)}: the data's own sample shape when the model's input matches it (a dynamic dimension matches
 * anything), else reshaped row-major when the model declares fixed dimensions with the same number
 * of values (e.g. {@code (1, 28, 28)} to {@code (784)}). The model must have one float input and
 * its first output must be {@code (B, classes)}; mismatches fail at configuration time naming the
 * file, what the model expects and what the data has. With {@code outputs: probabilities} the
 * output is taken as class probabilities and turned into log-probabilities, which serve as logits
 * (softmax of log p is p).
 *
 * <p>Fingerprint: SHA-256 over the model file's bytes and the declared preprocessing ({@code mean},
 * {@code std}, {@code outputs}). The teacher exposes logits only: no feature taps, so feature and
 * relation strategies that need teacher features are refused at configuration time.
 */
public final class OnnxTeacherProvider extends AbstractPlugin implements TeacherProvider {

  /** Registers the provider. */
  public OnnxTeacherProvider() {
    super(
        PluginInfo.of("onnx")
            .withParams(
                ParamDef.ofChoice(
                    "path", "model.onnx", List.of(), "ONNX file, relative to the study"),
                ParamDef.ofDouble("mean", 0.0, Range.ANY, "subtracted from each input feature"),
                ParamDef.ofDouble("std", 1.0, Range.greaterThan(0), "divides each input feature"),
                ParamDef.ofChoice(
                    "outputs",
                    "logits",
                    List.of("logits", "probabilities"),
                    "what the model's first output is; probabilities are turned into log-probabilities"),
                ParamDef.ofInt(
                    "threads", 1, Range.atLeast(1), "ONNX Runtime intra-op threads (inter-op: 1)"))
            .withDescription(
                "an ONNX model from another stack (e.g. torch.onnx.export), run by ONNX Runtime; logits"
                    + " only, no feature taps")
            .withFormula(
                "logits = model((x - mean) / std); with outputs: probabilities, logits = log(max(p,"
                    + " 1e-30))")
            .withPaper("ONNX Runtime, https://onnxruntime.ai (Microsoft)"));
  }

  @Override
  public Teacher create(Params params, TeacherContext context) {
    Path file = context.resolve(params.getString("path"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "onnx: model file " + file + " not found (params.path, relative to the study file)");
    }
    double mean = params.getDouble("mean");
    double std = params.getDouble("std");
    boolean probabilities = params.getString("outputs").equals("probabilities");
    String preprocessing =
        String.format(
            Locale.ROOT, "mean=%s;std=%s;outputs=%s", mean, std, params.getString("outputs"));
    String fingerprint = fingerprint(file, preprocessing);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(params.getInt("threads"));
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      session = env.createSession(file.toString(), options);
      Io io = checkShapes(file, session, context.shape());
      OnnxTeacher teacher =
          new OnnxTeacher(
              env,
              session,
              io.input,
              io.modelInput,
              (float) mean,
              (float) std,
              probabilities,
              context.shape().numClasses(),
              fingerprint,
              describe(file, io, mean, std, params.getString("outputs")));
      session = null;
      return teacher;
    } catch (OrtException e) {
      throw new IllegalArgumentException("onnx: cannot load " + file + ": " + e.getMessage(), e);
    } finally {
      if (session != null) {
        try {
          session.close();
        } catch (OrtException e) {
          // the load already failed; that error is the one to report
        }
      }
    }
  }

  /** The model's single input: its name and the per-sample shape it will be fed. */
  private record Io(String input, long[] modelInput, String output, long[] modelOutput) {}

  private static Io checkShapes(Path file, OrtSession session, ModelShape data)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "onnx: "
              + file
              + " has "
              + inputs.size()
              + " inputs "
              + inputs.keySet()
              + "; expected exactly one (the image or feature batch)");
    }
    var in = inputs.entrySet().iterator().next();
    if (!(in.getValue().getInfo() instanceof TensorInfo tin)
        || tin.type != OnnxJavaType.FLOAT
        || tin.getShape().length < 2) {
      throw new IllegalArgumentException(
          "onnx: "
              + file
              + " input '"
              + in.getKey()
              + "' must be a float32 tensor (batch, ...), found "
              + in.getValue().getInfo());
    }
    long[] expected = Arrays.copyOfRange(tin.getShape(), 1, tin.getShape().length);
    long[] sample = data.input().getShape();
    long[] feed = feedShape(expected, sample);
    if (feed == null) {
      throw new IllegalArgumentException(
          "onnx: "
              + file
              + " input '"
              + in.getKey()
              + "' expects samples of shape "
              + dims(expected)
              + " (batch dimension left out), but the data has samples of shape "
              + dims(sample)
              + " = "
              + data.flatInputSize()
              + " values");
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    var out = outputs.entrySet().iterator().next();
    if (!(out.getValue().getInfo() instanceof TensorInfo tout)
        || tout.type != OnnxJavaType.FLOAT
        || tout.getShape().length != 2) {
      throw new IllegalArgumentException(
          "onnx: "
              + file
              + " output '"
              + out.getKey()
              + "' must be a float32 tensor (batch, classes), found "
              + out.getValue().getInfo());
    }
    long classes = tout.getShape()[1];
    if (classes >= 0 && classes != data.numClasses()) {
      throw new IllegalArgumentException(
          "onnx: "
              + file
              + " output '"
              + out.getKey()
              + "' has "
              + classes
              + " classes, but the data has "
              + data.numClasses());
    }
    return new Io(in.getKey(), feed, out.getKey(), tout.getShape());
  }

  /**
   * The per-sample shape to feed: the data's own when it matches the model's (dynamic dimensions,
   * written -1, match anything), else the model's fixed dimensions when they hold as many values;
   * {@code null} when neither fits.
   */
  static long[] feedShape(long[] model, long[] sample) {
    if (model.length == sample.length) {
      boolean same = true;
      for (int i = 0; i < model.length; i++) {
        same &= model[i] < 0 || model[i] == sample[i];
      }
      if (same) {
        return sample.clone();
      }
    }
    long modelSize = 1;
    long sampleSize = 1;
    for (long d : model) {
      if (d < 0) {
        return null;
      }
      modelSize *= d;
    }
    for (long d : sample) {
      sampleSize *= d;
    }
    return modelSize == sampleSize ? model.clone() : null;
  }

  private static String describe(Path file, Io io, double mean, double std, String outputs) {
    StringBuilder sb = new StringBuilder("onnx ").append(file.getFileName());
    sb.append(" (").append(io.input).append(' ').append(dims(io.modelInput));
    sb.append(" -> ").append(io.output).append(' ').append(dims(io.modelOutput));
    if (mean != 0 || std != 1) {
      sb.append(String.format(Locale.ROOT, "; (x - %s) / %s", mean, std));
    }
    if (outputs.equals("probabilities")) {
      sb.append("; log of probabilities");
    }
    return sb.append(')').toString();
  }

  private static String dims(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
    }
    return sb.append(')').toString();
  }

  static String fingerprint(Path file, String preprocessing) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      md.update(("\npreprocessing=" + preprocessing).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new IllegalArgumentException("onnx: cannot read " + file + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
