package org.taqtir.teacher.onnx;

import ai.djl.ndarray.NDArray;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.AbstractTeacher;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;

/**
 * An ONNX Runtime session used as a frozen teacher. The batch is copied out of DJL into a float
 * buffer, run, and the logits copied into a new array of the input's manager: the two runtimes
 * share no memory, so neither can free what the other still uses, and no gradient can reach the
 * ONNX model.
 */
final class OnnxTeacher extends AbstractTeacher {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final long[] sampleShape;
  private final float mean;
  private final float std;
  private final boolean probabilities;
  private final int classes;

  OnnxTeacher(
      OrtEnvironment env,
      OrtSession session,
      String inputName,
      long[] sampleShape,
      float mean,
      float std,
      boolean probabilities,
      int classes,
      String fingerprint,
      String description) {
    super("onnx", fingerprint, description);
    this.env = env;
    this.session = session;
    this.inputName = inputName;
    this.sampleShape = sampleShape.clone();
    this.mean = mean;
    this.std = std;
    this.probabilities = probabilities;
    this.classes = classes;
  }

  @Override
  protected StepOutputs run(NDArray input, SampleRefs samples, Set<String> taps) {
    int batch = (int) input.getShape().get(0);
    float[] x = input.toFloatArray();
    if (mean != 0f || std != 1f) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (x[i] - mean) / std;
      }
    }
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = batch;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    float[] logits;
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        OrtSession.Result r = session.run(Map.of(inputName, t))) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      long[] outShape = out.getInfo().getShape();
      if (outShape.length != 2 || outShape[0] != batch || outShape[1] != classes) {
        throw new IllegalStateException(
            "onnx teacher returned shape "
                + java.util.Arrays.toString(outShape)
                + " for a batch of "
                + batch
                + "; expected ["
                + batch
                + ", "
                + classes
                + "]");
      }
      FloatBuffer fb = out.getFloatBuffer();
      logits = new float[fb.remaining()];
      fb.get(logits);
    } catch (OrtException e) {
      throw new IllegalStateException("onnx teacher failed: " + e.getMessage(), e);
    }
    if (probabilities) {
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) Math.log(Math.max(logits[i], 1e-30));
      }
    }
    return logits(input, logits, classes);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("onnx teacher: cannot close session: " + e.getMessage(), e);
    }
  }
}
