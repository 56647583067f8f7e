package org.taqtir.teacher.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
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
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;

/**
 * {@code djl-model}: loads a DJL model directory written by Taqtir when it trains a teacher (or by
 * anyone following the same layout): {@value #DESCRIPTOR} names the architecture (a registered
 * student id and its parameters), input shape and class count; {@code teacher-0000.params} holds
 * the weights in DJL's format. The fingerprint is the SHA-256 of the descriptor and the weights.
 */
public final class DjlModelTeacherProvider implements TeacherProvider {

  /** File name of the architecture descriptor inside a model directory. */
  public static final String DESCRIPTOR = "teacher.json";

  /** DJL model name used for the weights file ({@code teacher-0000.params}). */
  public static final String MODEL_NAME = "teacher";

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofChoice("path", ".", List.of(), "model directory, relative to the study file"));

  @Override
  public String id() {
    return "djl-model";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "a DJL model directory (teacher.json + teacher-0000.params), e.g. a teacher Taqtir"
        + " trained earlier";
  }

  /** A saved DJL model of any task: its descriptor says its input shape and output width. */
  @Override
  public java.util.Set<String> tasks() {
    return java.util.Set.of(ANY_TASK);
  }

  @Override
  public Teacher create(Params params, TeacherContext context) {
    Path dir = context.resolve(params.getString("path"));
    Path descriptor = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(descriptor)) {
      throw new IllegalArgumentException(
          "djl-model: " + descriptor + " not found; a teacher directory needs " + DESCRIPTOR);
    }
    JsonObject json;
    try {
      json = JsonUtils.GSON.fromJson(Files.readString(descriptor), JsonObject.class);
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException("djl-model: cannot read " + descriptor + ": " + e, e);
    }
    if (json == null || !json.has("architecture") || !json.has("params")) {
      throw new IllegalArgumentException(
          "djl-model: " + descriptor + " must have fields architecture and params");
    }
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
    Student student = context.architecture(arch, archParams);
    Model model = Model.newInstance(MODEL_NAME);
    model.setBlock(student.block());
    try {
      model.load(dir, MODEL_NAME);
    } catch (IOException | MalformedModelException e) {
      model.close();
      throw new IllegalArgumentException(
          "djl-model: cannot load weights from " + dir + ": " + e, e);
    }
    String fingerprint = fingerprint(dir, descriptor);
    return new BlockTeacher(model, student, fingerprint, student.describe() + " (" + dir + ")");
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
