package org.taqtir.teacher.outputs;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.taqtir.api.AbstractPlugin;
import org.taqtir.api.AbstractTeacher;
import org.taqtir.api.Fingerprint;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.PluginCall;
import org.taqtir.api.PluginInfo;
import org.taqtir.api.Range;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;

/**
 * {@code ensemble}: several teachers combined into one, each member named like the study's teacher
 * ({@code {id: onnx, params: {path: a.onnx}}}) and created through the registry.
 *
 * <p>Aggregation of the members' logits {@code z_1..z_M} (chosen explicitly, recorded in {@link
 * Teacher#describe()} and the fingerprint):
 *
 * <ul>
 *   <li>{@code mean-logits}: {@code z = (1/M) Σ z_m} (the geometric mean of the members'
 *       distributions after softmax);
 *   <li>{@code mean-probs}: {@code z = log((1/M) Σ softmax(z_m))}, the arithmetic mean of
 *       probabilities as in Hinton, Vinyals and Dean (2015) §1 and the usual deep-ensemble average;
 *   <li>{@code weighted}: {@code z = log(Σ w_m softmax(z_m))} with the given {@code weights}
 *       normalised to sum to 1 (the normalised weights are recorded).
 * </ul>
 *
 * Aggregation runs in double precision in Java, deterministically. The ensemble exposes logits only
 * (its members' taps differ); it is {@link Teacher#indexed() indexed} when any member is. The
 * fingerprint is SHA-256 over the aggregation, the normalised weights and the members' fingerprints
 * in order.
 */
public final class EnsembleTeacherProvider extends AbstractPlugin implements TeacherProvider {

  /** Registers the provider. */
  public EnsembleTeacherProvider() {
    super(
        PluginInfo.of("ensemble")
            .withParams(
                ParamDef.ofPluginList(
                    "members", "the member teachers (2 or more), each as in teacher.load"),
                ParamDef.ofChoice(
                    "aggregation",
                    "",
                    List.of("mean-logits", "mean-probs", "weighted"),
                    "how member outputs combine (see formula); required, no default"),
                ParamDef.ofDoubleList(
                    "weights",
                    List.of(),
                    Range.greaterThan(0),
                    "one weight per member, for aggregation: weighted (normalised to sum 1)"))
            .withDescription(
                "several teachers combined by mean logits, mean probabilities or given weights;"
                    + " logits only")
            .withFormula(
                String.join(
                    "\n",
                    "mean-logits: z = (1/M) Σ_m z_m",
                    "mean-probs:  z = log((1/M) Σ_m softmax(z_m))",
                    "weighted:    z = log(Σ_m w_m softmax(z_m)),  w normalised to Σ w = 1"))
            .withPaper(
                "Hinton, Vinyals, Dean (2015), Distilling the Knowledge in a Neural Network,"
                    + " arXiv:1503.02531 (distilling an ensemble)"));
  }

  @Override
  public Teacher create(Params params, TeacherContext context) {
    List<PluginCall> calls = params.getPluginList("members");
    String aggregation = params.getString("aggregation");
    List<Double> raw = params.getDoubleList("weights");
    if (aggregation.isEmpty()) {
      throw new IllegalArgumentException(
          "ensemble: params.aggregation is required; allowed: mean-logits, mean-probs, weighted");
    }
    if (calls.size() < 2) {
      throw new IllegalArgumentException(
          "ensemble: params.members needs at least 2 teachers, found " + calls.size());
    }
    double[] weights = new double[calls.size()];
    if (aggregation.equals("weighted")) {
      if (raw.size() != calls.size()) {
        throw new IllegalArgumentException(
            "ensemble: params.weights has "
                + raw.size()
                + " weights for "
                + calls.size()
                + " members; aggregation: weighted needs one per member");
      }
      double sum = raw.stream().mapToDouble(Double::doubleValue).sum();
      for (int i = 0; i < weights.length; i++) {
        weights[i] = raw.get(i) / sum;
      }
    } else {
      if (!raw.isEmpty()) {
        throw new IllegalArgumentException(
            "ensemble: params.weights is used only with aggregation: weighted, found "
                + raw
                + " with aggregation: "
                + aggregation);
      }
      java.util.Arrays.fill(weights, 1.0 / calls.size());
    }
    List<Teacher> members = new ArrayList<>();
    try {
      for (PluginCall c : calls) {
        members.add(context.teacher(c.id(), c.params(), c.field()));
      }
    } catch (RuntimeException e) {
      members.forEach(Teacher::close);
      throw e;
    }
    return new Ensemble(members, aggregation, weights, context.shape().numClasses());
  }

  /** The combined teacher; owns and closes its members. */
  private static final class Ensemble extends AbstractTeacher {

    private final List<Teacher> members;
    private final String aggregation;
    private final double[] weights;
    private final int classes;

    Ensemble(List<Teacher> members, String aggregation, double[] weights, int classes) {
      super(
          "ensemble",
          fingerprint(members, aggregation, weights),
          describe(members, aggregation, weights));
      this.members = List.copyOf(members);
      this.aggregation = aggregation;
      this.weights = weights.clone();
      this.classes = classes;
    }

    private static String fingerprint(List<Teacher> members, String aggregation, double[] weights) {
      Fingerprint f =
          Fingerprint.sha256().text("ensemble;aggregation=" + aggregation + ";weights=");
      for (double w : weights) {
        f.text(Double.toString(w) + ",");
      }
      for (Teacher t : members) {
        f.text("\nmember=" + t.fingerprint());
      }
      return f.hex();
    }

    private static String describe(List<Teacher> members, String aggregation, double[] weights) {
      String w =
          aggregation.equals("weighted")
              ? " weights "
                  + java.util.Arrays.stream(weights)
                      .mapToObj(x -> String.format(Locale.ROOT, "%.4g", x))
                      .collect(Collectors.joining(", ", "[", "]"))
              : "";
      return "ensemble "
          + aggregation
          + w
          + " of "
          + members.stream().map(Teacher::describe).collect(Collectors.joining("; ", "[", "]"));
    }

    @Override
    protected StepOutputs run(NDArray input, SampleRefs samples, Set<String> taps) {
      int batch = (int) input.getShape().get(0);
      double[] acc = new double[batch * classes];
      boolean logits = aggregation.equals("mean-logits");
      for (int m = 0; m < members.size(); m++) {
        NDArray z = members.get(m).forward(input, samples, Set.of()).logits();
        float[] v = z.toFloatArray();
        z.close();
        for (int i = 0; i < batch; i++) {
          int o = i * classes;
          if (logits) {
            for (int c = 0; c < classes; c++) {
              acc[o + c] += weights[m] * v[o + c];
            }
          } else {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
              max = Math.max(max, v[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
              sum += Math.exp(v[o + c] - max);
            }
            for (int c = 0; c < classes; c++) {
              acc[o + c] += weights[m] * Math.exp(v[o + c] - max) / sum;
            }
          }
        }
      }
      float[] out = new float[acc.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (logits ? acc[i] : Math.log(Math.max(acc[i], 1e-30)));
      }
      return logits(input, out, classes);
    }

    @Override
    public boolean indexed() {
      return members.stream().anyMatch(Teacher::indexed);
    }

    @Override
    public long parameterCount() {
      long total = 0;
      for (Teacher t : members) {
        if (t.parameterCount() < 0) {
          return -1;
        }
        total += t.parameterCount();
      }
      return total;
    }

    @Override
    public void close() {
      RuntimeException first = null;
      for (Teacher t : members) {
        try {
          t.close();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
