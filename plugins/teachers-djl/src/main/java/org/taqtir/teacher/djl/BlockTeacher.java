package org.taqtir.teacher.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.AbstractTeacher;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Student;

/** A frozen DJL block run in inference mode; outputs are detached from any graph. */
final class BlockTeacher extends AbstractTeacher {

  private final Model model;
  private final Student architecture;
  private final ParameterStore store;

  BlockTeacher(Model model, Student architecture, String fingerprint, String description) {
    super("djl-model", fingerprint, description);
    this.model = model;
    this.architecture = architecture;
    this.store = new ParameterStore(model.getNDManager(), false);
  }

  @Override
  protected StepOutputs run(NDArray input, SampleRefs samples, Set<String> taps) {
    NDList out = model.getBlock().forward(store, new NDList(input), false);
    Map<String, NDArray> features = new HashMap<>();
    List<String> names = architecture.taps();
    for (String tap : taps) {
      features.put(tap, out.get(names.indexOf(tap) + 1).stopGradient());
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
  public void close() {
    model.close();
  }
}
