package org.taqtir.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs each snippet in the kernel JVM on a fresh daemon thread whose context class loader is the
 * snippet's loader, and keeps the real value of the last invocation so the kernel can display it.
 *
 * <p>{@link #stop()} interrupts the cell's thread, then stops it; if it still runs (native code),
 * it is abandoned and the waiting cell returns, so the next cell runs on a new thread.
 */
final class CellExecutionControl extends LocalExecutionControl {

  private static final long STOP_GRACE_MS = 300;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private volatile Thread running;
  private volatile FutureTask<Object> task;
  private volatile boolean stopped;
  private Object lastValue;
  private Throwable lastThrown;

  @Override
  protected String invoke(Method doit) throws Exception {
    lastValue = null;
    lastThrown = null;
    stopped = false;
    ClassLoader loader = doit.getDeclaringClass().getClassLoader();
    FutureTask<Object> t =
        new FutureTask<>(
            () -> {
              Thread.currentThread().setContextClassLoader(loader);
              return doit.invoke(null);
            });
    Thread thread = new Thread(t, "taqtir-cell-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.setContextClassLoader(loader);
    task = t;
    running = thread;
    thread.start();
    try {
      Object value = t.get();
      lastValue = value;
      return valueString(value);
    } catch (CancellationException e) {
      throw new ExecutionControl.StoppedException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (stopped) {
        throw new ExecutionControl.StoppedException();
      }
      if (cause instanceof InvocationTargetException ite) {
        lastThrown = ite.getCause();
        throw ite;
      }
      throw e;
    } finally {
      running = null;
      task = null;
    }
  }

  @Override
  @SuppressWarnings("deprecation") // Thread.stop is the only way to end a busy loop
  public void stop() {
    Thread thread = running;
    FutureTask<Object> t = task;
    if (thread == null || t == null) {
      return;
    }
    stopped = true;
    thread.interrupt();
    try {
      thread.join(STOP_GRACE_MS);
      if (thread.isAlive()) {
        thread.stop();
        thread.join(STOP_GRACE_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    t.cancel(false);
  }

  /** Forgets the last invocation's value, exception and stop, before a snippet is evaluated. */
  void reset() {
    stopped = false;
    lastValue = null;
    lastThrown = null;
  }

  /** Whether the last invocation was stopped. */
  boolean wasStopped() {
    return stopped;
  }

  /** The value the last invocation returned, null for statements. */
  Object lastValue() {
    return lastValue;
  }

  /** The exception user code threw in the last invocation, or null. */
  Throwable lastThrown() {
    return lastThrown;
  }

  /** Hands JShell this control; one instance per JShell. */
  static final class Provider implements ExecutionControlProvider {
    private final CellExecutionControl control = new CellExecutionControl();

    CellExecutionControl control() {
      return control;
    }

    @Override
    public String name() {
      return "taqtir-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      return control;
    }
  }
}
