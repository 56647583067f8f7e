package org.taqtir.teacher.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;

/** A frozen DJL block run in inference mode; outputs are detached from any graph. */
final class BlockTeacher implements Teacher {

  private final Model model;
  private final Student architecture;
  private final String fingerprint;
  private final String description;
  private final ParameterStore store;

  BlockTeacher(Model model, Student architecture, String fingerprint, String description) {
    this.model = model;
    this.architecture = architecture;
    this.fingerprint = fingerprint;
    this.description = description;
    this.store = new ParameterStore(model.getNDManager(), false);
  }

  @Override
  public StepOutputs forward(NDArray input, Set<String> taps) {
    NDList out = model.getBlock().forward(store, new NDList(input), false);
    Map<String, NDArray> features = new HashMap<>();
    List<String> names = architecture.taps();
    for (String tap : taps) {
      int i = names.indexOf(tap);
      if (i < 0) {
        throw new IllegalArgumentException("teacher has no tap '" + tap + "'; available: " + names);
      }
      features.put(tap, out.get(i + 1).stopGradient());
    }
    return new StepOutputs(out.get(0).stopGradient(), features);
  }

  @Override
  public List<String> taps() {
    return architecture.taps();
  }

  @Override
  public long parameterCount() {
    return model.getBlock().getParameters().values().stream()
        .mapToLong(p -> p.getArray().size())
        .sum();
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    model.close();
  }
}
