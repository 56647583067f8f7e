package org.taqtir.tribuo;

import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.ensemble.EnsembleModel;

/**
 * Counts a fitted Tribuo model's scalars, for the size comparison with neural students: a tree has
 * 2 per split (feature index, threshold) and {@code outputs} per leaf (the class distribution or
 * the regressed logits); an XGBoost tree 2 per split and 1 per leaf; a linear model {@code
 * (features + 1) × outputs}; an ensemble the sum of its members.
 */
final class TribuoSize {

  private TribuoSize() {}

  static <T extends Output<T>> long parameters(Model<T> model, int outputs) {
    if (model instanceof TreeModel<T> tree) {
      return tree(tree.getRoot(), outputs);
    }
    if (model instanceof EnsembleModel<T> ensemble) {
      long sum = 0;
      for (Model<T> m : ensemble.getModels()) {
        sum += parameters(m, outputs);
      }
      return sum;
    }
    if (model instanceof XGBoostModel<T> xgb) {
      long sum = 0;
      for (String[] booster : xgb.getModelDump()) {
        for (String treeDump : booster) {
          for (String line : treeDump.split("\n")) {
            if (line.contains("leaf=")) {
              sum += 1;
            } else if (line.contains("[")) {
              sum += 2;
            }
          }
        }
      }
      return sum;
    }
    if (model instanceof AbstractLinearSGDModel<?> linear) {
      return (long) (linear.getFeatureIDMap().size() + 1) * outputs;
    }
    return -1;
  }

  static <T extends Output<T>> long tree(Node<T> node, int outputs) {
    if (node instanceof SplitNode<T> split) {
      return 2 + tree(split.getGreaterThan(), outputs) + tree(split.getLessThanOrEqual(), outputs);
    }
    return node instanceof LeafNode<T> ? outputs : 0;
  }
}
