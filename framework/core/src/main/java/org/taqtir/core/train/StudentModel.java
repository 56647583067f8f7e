package org.taqtir.core.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.api.Student;
import org.taqtir.core.data.Samples;
import org.taqtir.core.eval.Latency;

/**
 * A student's DJL model and what the loop and the evaluation do with it: forward passes in training
 * or inference mode, logits over a whole split (chunk by chunk), snapshots of its weights, saving
 * and loading. Owns the DJL {@link Model} and every array it creates; {@link #close()} frees them.
 *
 * <p>Inputs stored as {@code uint8} are pixels, decoded here as {@code value / 255f} exactly as
 * {@code Dataset.rows} decodes them; other inputs reach the block as stored.
 */
public final class StudentModel implements AutoCloseable {

  /** Samples per inference chunk: each chunk's activations are freed before the next. */
  static final int EVAL_CHUNK = 1000;

  private final Student student;
  private final Model model;
  private final ParameterStore store;
  private final Shape sample;
  private final NDManager manager;
  private final NDArray pixelScale;
  private final List<Parameter> parameters = new ArrayList<>();
  private final Map<Samples, NDArray> resident = new IdentityHashMap<>();
  private final long parameterCount;

  private StudentModel(Student student, Model model, Shape sample) {
    this.student = student;
    this.model = model;
    this.sample = sample;
    this.store = new ParameterStore(model.getNDManager(), false);
    long count = 0;
    for (var p : student.block().getParameters().values()) {
      parameters.add(p);
      count += p.getArray().size();
    }
    this.parameterCount = count;
    this.manager = model.getNDManager().newSubManager();
    this.pixelScale = manager.create(255f);
  }

  /**
   * Builds a student's model with freshly initialised weights, drawn from the engine's generator
   * seeded with {@code seed}.
   *
   * @param student the architecture
   * @param name the DJL model name (the saved weights are {@code <name>-0000.params})
   * @param sampleDims one sample's input shape
   * @param seed the run's seed
   * @return the model, owned by the caller
   */
  public static StudentModel initialise(
      Student student, String name, long[] sampleDims, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    Model model = Model.newInstance(name);
    model.setBlock(student.block());
    Shape sample = new Shape(sampleDims);
    student.block().initialize(model.getNDManager(), DataType.FLOAT32, batchShape(1, sample));
    return new StudentModel(student, model, sample);
  }

  /**
   * Loads saved weights into a student's architecture.
   *
   * @param student the architecture the weights were saved from
   * @param dir the directory of the saved weights
   * @param name their DJL model name
   * @param sampleDims one sample's input shape
   * @param seed the run's seed (the engine's generator is seeded as for training)
   * @return the model, owned by the caller
   * @throws IllegalArgumentException when the weights cannot be loaded into this architecture, or
   *     differ from the SHA-256 recorded when they were saved ({@link WeightFiles})
   */
  public static StudentModel load(
      Student student, Path dir, String name, long[] sampleDims, long seed) {
    WeightFiles.verify(dir.resolve(name + "-0000.params"), "the saved weights");
    Engine.getInstance().setRandomSeed((int) seed);
    Model model = Model.newInstance(name);
    model.setBlock(student.block());
    try {
      model.load(dir, name);
      if (!student.block().isInitialized()) {
        // DJL skips a file without its "DJL@" header and leaves the parameters uninitialised
        throw new MalformedModelException("not a DJL parameter file");
      }
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException(
          "cannot load the student weights "
              + dir.resolve(name + "-0000.params")
              + " into "
              + student.describe()
              + ": "
              + e.getMessage(),
          e);
    }
    return new StudentModel(student, model, new Shape(sampleDims));
  }

  /**
   * Returns the architecture.
   *
   * @return the student
   */
  public Student student() {
    return student;
  }

  /**
   * Returns the number of trainable scalars.
   *
   * @return the parameter count
   */
  public long parameterCount() {
    return parameterCount;
  }

  /**
   * Returns one sample's input shape.
   *
   * @return the shape without the batch dimension
   */
  public Shape sampleShape() {
    return sample;
  }

  /**
   * Returns the block's parameters, in the block's order.
   *
   * @return the parameters
   */
  public List<Parameter> parameters() {
    return parameters;
  }

  /**
   * Returns the model's long-lived manager (a sub-manager of the model's), closed with the model.
   *
   * @return the manager
   */
  public NDManager manager() {
    return manager;
  }

  /**
   * Runs the block.
   *
   * @param input a batch, already decoded
   * @param training whether in training mode (dropout on, graph recorded inside a collector)
   * @return the block's outputs: logits, then the taps in {@link Student#taps()} order
   */
  public NDList forward(NDArray input, boolean training) {
    return student.block().forward(store, new NDList(input), training);
  }

  /**
   * Turns gathered input rows {@code (B, values)} into the block's input {@code (B, sample...)}:
   * pixels become floats in [0, 1].
   *
   * @param rows raw rows as stored
   * @return the batch; a new array for pixels (in place on the fresh float copy), else a view
   */
  public NDArray decode(NDArray rows) {
    Shape batch = batchShape(rows.getShape().get(0), sample);
    NDArray shaped = rows.getShape().equals(batch) ? rows : rows.reshape(batch);
    if (shaped.getDataType() != DataType.UINT8) {
      return shaped;
    }
    return shaped.toType(DataType.FLOAT32, false).divi(pixelScale);
  }

  /**
   * Returns a split's inputs as one resident native array, created on first use and kept until the
   * model closes.
   *
   * @param samples the split
   * @return {@code (N, values)} as stored
   */
  public NDArray resident(Samples samples) {
    return resident.computeIfAbsent(samples, s -> s.residentInputs(manager));
  }

  /**
   * Computes the logits of a whole split in inference mode, chunk by chunk.
   *
   * @param samples the split
   * @param keep whether to keep the split resident for later calls (the validation split, read
   *     every epoch); otherwise it is freed before this returns
   * @return row-major logits, {@code (N, classes)} (or {@code (N, T, vocabulary)} flattened)
   */
  public float[] logits(Samples samples, boolean keep) {
    if (keep || resident.containsKey(samples)) {
      return logits(resident(samples), samples.size());
    }
    try (NDManager m = manager.newSubManager()) {
      return logits(samples.residentInputs(m), samples.size());
    }
  }

  private float[] logits(NDArray x, int n) {
    float[] out = null;
    int width = 0;
    for (int from = 0; from < n; from += EVAL_CHUNK) {
      int to = Math.min(n, from + EVAL_CHUNK);
      try (NDManager m = manager.newSubManager()) {
        NDArray chunk = decode(select(x, NDIndex.sliceAxis(0, from, to), m));
        NDArray l = forward(chunk, false).get(0);
        l.attach(m);
        float[] values = l.toFloatArray();
        if (out == null) {
          width = values.length / (to - from);
          out = new float[Math.multiplyExact(n, width)];
        }
        System.arraycopy(values, 0, out, from * width, values.length);
      }
    }
    return out == null ? new float[0] : out;
  }

  /**
   * Median wall time of an inference forward pass on the first rows of a split, its result read
   * back to Java.
   *
   * @param samples the split
   * @param batch rows per pass
   * @param reps timed repetitions (after 5 warm-up passes)
   * @return milliseconds
   */
  public double latencyMs(Samples samples, int batch, int reps) {
    int b = Math.min(batch, samples.size());
    try (NDManager m = manager.newSubManager()) {
      NDArray x = decode(samples.residentInputs(m).get(NDIndex.sliceAxis(0, 0, b)));
      return Latency.medianMs(
          5,
          reps,
          () -> {
            try (NDManager step = m.newSubManager()) {
              NDList out = forward(x, false);
              out.attach(step);
              out.get(0).toFloatArray();
            }
          });
    }
  }

  /**
   * Copies the student's weights to Java arrays.
   *
   * @return one array per parameter, in {@link #parameters()} order
   */
  public float[][] snapshot() {
    float[][] copy = new float[parameters.size()][];
    for (int i = 0; i < parameters.size(); i++) {
      copy[i] = parameters.get(i).getArray().toFloatArray();
    }
    return copy;
  }

  /**
   * Writes weights taken by {@link #snapshot()} back into the model.
   *
   * @param values one array per parameter
   */
  public void restore(float[][] values) {
    for (int i = 0; i < parameters.size(); i++) {
      NDArray w = parameters.get(i).getArray();
      try (NDArray v = manager.create(values[i], w.getShape())) {
        copyInto(w, v);
      }
    }
  }

  /**
   * Saves the weights as {@code <dir>/<name>-0000.params}, with their SHA-256 next to them ({@link
   * WeightFiles}).
   *
   * @param dir the directory, created when missing
   */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      model.save(dir, model.getName());
      WeightFiles.record(dir.resolve(model.getName() + "-0000.params"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save model to " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.close();
    model.close();
  }

  /**
   * Copies values into an array in place (a parameter, outside any gradient collector), bit for
   * bit. Not {@code NDArray.set(Buffer)}: DJL's PyTorch engine does that under libtorch's
   * deprecated {@code AutoNonVariableTypeMode}, whose warning every run then printed on stderr
   * (libtorch prints it whatever {@code TORCH_CPP_LOG_LEVEL} says: nothing initialises c10's
   * logging from that variable outside Python). A full-slice assignment is an {@code index_put_}.
   *
   * @param target the array written
   * @param values the values, of the same shape and type
   */
  static void copyInto(NDArray target, NDArray values) {
    target.set(new NDIndex().addAllDim(target.getShape().dimension()), values);
  }

  /** {@code a.get(index)} owned by {@code manager} (DJL attaches it to {@code a}'s otherwise). */
  static NDArray select(NDArray a, NDIndex index, NDManager manager) {
    NDArray v = a.get(index);
    v.attach(manager);
    return v;
  }

  static Shape batchShape(long n, Shape sample) {
    long[] dims = new long[sample.dimension() + 1];
    dims[0] = n;
    System.arraycopy(sample.getShape(), 0, dims, 1, sample.dimension());
    return new Shape(dims);
  }
}
