package org.taqtir.core.task.toy;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.IdEmbedding;
import java.util.List;
import java.util.Set;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;

/** {@code toy-bigram}: token embedding, then a linear map to the next token's logits. */
public final class ToyStudent implements StudentProvider {

  @Override
  public String id() {
    return "toy-bigram";
  }

  @Override
  public Set<String> tasks() {
    return Set.of(ToySequenceTask.ID);
  }

  @Override
  public ParamSpec params() {
    return ParamSpec.of(ParamDef.ofInt("width", 8, Range.atLeast(1), "embedding width"));
  }

  @Override
  public Student create(Params params, ModelShape shape) {
    int width = params.getInt("width");
    int vocabulary = shape.numClasses();
    return new Student() {
      private final Block block =
          new SequentialBlock()
              .add(
                  new IdEmbedding.Builder()
                      .setDictionarySize(vocabulary)
                      .setEmbeddingSize(width)
                      .build())
              .add(Linear.builder().setUnits(vocabulary).build());

      @Override
      public Block block() {
        return block;
      }

      @Override
      public List<String> taps() {
        return List.of();
      }

      @Override
      public String describe() {
        return "toy-bigram " + vocabulary + "-" + width + "-" + vocabulary;
      }
    };
  }
}
