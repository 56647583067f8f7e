/**
 * The {@code onnx} teacher: a model exported to ONNX by another stack (PyTorch, TensorFlow,
 * scikit-learn via skl2onnx, ...), run by ONNX Runtime's Java API next to DJL's PyTorch engine.
 */
package org.taqtir.teacher.onnx;
