/**
 * A Jupyter kernel for Taqtir: Java cells run through JShell inside the kernel JVM, with Taqtir and
 * its plugins on the launch classpath. {@link org.taqtir.kernel.KernelMain} starts it from a
 * connection file, {@link org.taqtir.kernel.KernelSpec} writes the kernelspec Jupyter needs, and
 * {@link org.taqtir.kernel.Notebook} holds the helpers every session imports ({@code display},
 * {@code html}, {@code markdown}, {@code registry}, {@code registerStrategy}, {@code progress}).
 */
package org.taqtir.kernel;
