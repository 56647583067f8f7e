/**
 * Student architectures built on DJL with named feature taps: multilayer perceptrons ({@code mlp})
 * and LeNet-style convolutional networks ({@code cnn}).
 */
package org.taqtir.student.djl;
