package org.taqtir.teacher.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
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
import java.util.Map;
import org.taqtir.api.AbstractPlugin;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.PluginInfo;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;

/**
 * {@code djl-model}: loads a DJL model directory written by Taqtir when it trains a teacher (or by
 * anyone following the same layout): {@value #DESCRIPTOR} names the architecture (a registered
 * student id and its parameters), input shape and class count; {@code teacher-0000.params} holds
 * the weights in DJL's format, and {@code teacher-0000.params.sha256}, when present, their SHA-256
 * (checked before loading). The fingerprint is the SHA-256 of the descriptor and the weights.
 */
public final class DjlModelTeacherProvider extends AbstractPlugin implements TeacherProvider {

  /** Registers the provider. */
  public DjlModelTeacherProvider() {
    super(
        PluginInfo.of("djl-model")
            .withParams(
                ParamDef.ofChoice(
                    "path", ".", List.of(), "model directory, relative to the study file"))
            .withDescription(
                "a DJL model directory (teacher.json + teacher-0000.params), e.g. a teacher Taqtir"
                    + " trained earlier")
            .withTasks(ANY_TASK));
  }

  /** File name of the architecture descriptor inside a model directory. */
  public static final String DESCRIPTOR = "teacher.json";

  /** DJL model name used for the weights file ({@code teacher-0000.params}). */
  public static final String MODEL_NAME = "teacher";

  /** Suffix of the SHA-256 digest file next to the weights, checked when present. */
  public static final String DIGEST_SUFFIX = ".sha256";

  @Override
  public Teacher create(Params params, TeacherContext context) {
    Path dir = context.resolve(params.getString("path"));
    Path descriptor = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(descriptor)) {
      throw new IllegalArgumentException(
          "djl-model: " + descriptor + " not found; a teacher directory needs " + DESCRIPTOR);
    }
    JsonObject json = descriptor(descriptor);
    String arch = json.get("architecture").getAsString();
    Map<String, Object> archParams = toPlain(json.getAsJsonObject("params"));
    long[] inputShape = JsonUtils.GSON.fromJson(json.get("input_shape"), long[].class);
    int classes = json.get("classes").getAsInt();
    if (!new Shape(inputShape).equals(context.shape().input())
        || classes != context.shape().numClasses()) {
      throw new IllegalArgumentException(
          "djl-model: "
              + descriptor
              + " expects input "
              + new Shape(inputShape)
              + " and "
              + classes
              + " classes, but the data has input "
              + context.shape().input()
              + " and "
              + context.shape().numClasses()
              + " classes");
    }
    Path weights = dir.resolve(MODEL_NAME + "-0000.params");
    checkWeights(weights);
    Student student = context.architecture(arch, archParams);
    Model model = Model.newInstance(MODEL_NAME);
    model.setBlock(student.block());
    try {
      model.load(dir, MODEL_NAME);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException(
          "djl-model: "
              + weights
              + ": cannot load these weights into "
              + student.describe()
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          e);
    }
    String fingerprint = fingerprint(dir, descriptor);
    return new BlockTeacher(model, student, fingerprint, student.describe() + " (" + dir + ")");
  }

  /**
   * Reads the descriptor: a JSON object with a string {@code architecture}, an object {@code
   * params}, an integer array {@code input_shape} and an integer {@code classes}; anything else is
   * one line naming the file and the field.
   */
  private static JsonObject descriptor(Path descriptor) {
    String needs =
        "; a teacher directory's "
            + DESCRIPTOR
            + " is a JSON object with architecture (a student id), params (an object), input_shape"
            + " (a list of integers) and classes (an integer)";
    JsonElement root;
    try {
      root = JsonParser.parseString(Files.readString(descriptor, StandardCharsets.UTF_8));
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException(
          "djl-model: " + descriptor + ": not valid JSON" + needs, e);
    }
    if (root == null || !root.isJsonObject()) {
      throw new IllegalArgumentException(
          "djl-model: " + descriptor + ": not a JSON object" + needs);
    }
    JsonObject json = root.getAsJsonObject();
    String bad = null;
    if (!isString(json.get("architecture"))) {
      bad = "architecture";
    } else if (json.get("params") == null || !json.get("params").isJsonObject()) {
      bad = "params";
    } else if (!isIntArray(json.get("input_shape"))) {
      bad = "input_shape";
    } else if (!isInt(json.get("classes"))) {
      bad = "classes";
    }
    if (bad != null) {
      throw new IllegalArgumentException(
          "djl-model: "
              + descriptor
              + ": field "
              + bad
              + (json.has(bad) ? " is " + json.get(bad) : " is missing")
              + needs);
    }
    return json;
  }

  private static boolean isString(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static boolean isInt(JsonElement e) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return false;
    }
    double d = e.getAsDouble();
    return d == Math.rint(d) && d >= 1 && d <= Integer.MAX_VALUE;
  }

  private static boolean isIntArray(JsonElement e) {
    if (e == null || !e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
      return false;
    }
    for (JsonElement x : e.getAsJsonArray()) {
      if (!isInt(x)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Refuses weights DJL would load silently wrong: a file that is not DJL's parameter format (DJL
   * skips it and leaves the model uninitialised), and one whose SHA-256 differs from the digest
   * recorded next to it when it was written ({@value #DIGEST_SUFFIX}, {@code sha256sum} format;
   * Taqtir writes it for every teacher it trains).
   */
  private static void checkWeights(Path weights) {
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(weights)) {
      if (in.readNBytes(head, 0, 4) != 4
          || !"DJL@".equals(new String(head, StandardCharsets.US_ASCII))) {
        throw new IllegalArgumentException(
            "djl-model: " + weights + ": not a DJL parameter file (no DJL@ header)");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(
          "djl-model: "
              + weights
              + " not found; a teacher directory needs "
              + DESCRIPTOR
              + " and "
              + weights.getFileName(),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("djl-model: cannot read " + weights + ": " + e, e);
    }
    Path digest = weights.resolveSibling(weights.getFileName() + DIGEST_SUFFIX);
    if (!Files.isRegularFile(digest)) {
      return;
    }
    try {
      String recorded = Files.readString(digest, StandardCharsets.UTF_8).strip().split("\\s+")[0];
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Files.readAllBytes(weights));
      if (!recorded.equalsIgnoreCase(HexFormat.of().formatHex(md.digest()))) {
        throw new IllegalArgumentException(
            "djl-model: "
                + weights
                + ": the teacher's weights do not match the SHA-256 recorded in "
                + digest.getFileName()
                + " when they were written; the file was damaged or replaced since");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("djl-model: cannot read " + digest + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> toPlain(JsonObject obj) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : obj.entrySet()) {
      Object v = JsonUtils.GSON.fromJson(e.getValue(), Object.class);
      out.put(e.getKey(), integral(v));
    }
    return out;
  }

  /** Gson reads every number as Double; integer-valued ones become Integer again. */
  private static Object integral(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
      return d.intValue();
    }
    if (v instanceof List<?> list) {
      return list.stream().map(DjlModelTeacherProvider::integral).toList();
    }
    return v;
  }

  private static String fingerprint(Path dir, Path descriptor) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Files.readString(descriptor).getBytes(StandardCharsets.UTF_8));
      try (var files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.toString().endsWith(".params")).sorted().toList()) {
          try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
              md.update(buf, 0, n);
            }
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new IllegalArgumentException("djl-model: cannot read " + dir + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
