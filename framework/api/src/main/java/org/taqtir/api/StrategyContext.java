package org.taqtir.api;

import ai.djl.ndarray.NDManager;

/**
 * What a strategy gets once, before training, to build its constants and adapters.
 *
 * <p>DJL's PyTorch engine frees the temporary scalar created by {@code NDArray.mul(Number)} and
 * similar overloads right after the forward op although autograd still needs it for the backward
 * pass (see shared/ENVIRONMENT.md). A strategy must therefore create every constant it multiplies
 * into the graph (temperature, weights) as an {@code NDArray} in {@link #manager()}, which outlives
 * every {@code backward()}.
 *
 * @param manager long-lived manager owned by the training loop; closed after training
 * @param numClasses number of classes
 * @param batchSize configured batch size (the last batch may be smaller)
 * @param totalEpochs number of epochs the run will train
 */
public record StrategyContext(NDManager manager, int numClasses, int batchSize, int totalEpochs) {}
