/** Student architectures built on DJL: multilayer perceptrons with named feature taps. */
package org.taqtir.student.djl;
