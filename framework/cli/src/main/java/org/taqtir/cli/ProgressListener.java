package org.taqtir.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.train.TrainingListener;

/**
 * Shows training progress: a progress bar per epoch on a terminal (epoch, step, loss, samples/s),
 * plain log lines every {@value #LOG_EVERY_SECONDS} s and at each epoch's end otherwise.
 */
final class ProgressListener implements TrainingListener {

  private static final int LOG_EVERY_SECONDS = 10;
  private static final long BAR_MESSAGE_NANOS = 250_000_000L;

  private final String label;
  private final PrintWriter out;
  private final boolean terminal = System.console() != null;
  private ProgressBar bar;
  private long lastLog;

  ProgressListener(String label, PrintWriter out) {
    this.label = label;
    this.out = out;
  }

  @Override
  public void epochStarted(int epoch, int steps) {
    if (terminal) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(label + " epoch " + (epoch + 1))
              .setInitialMax(steps)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(250)
              .continuousUpdate()
              .build();
    }
    lastLog = System.nanoTime();
  }

  @Override
  public void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
    // Called once per training step: format only what is shown (the bar redraws every 250 ms).
    long now = System.nanoTime();
    if (bar != null) {
      bar.stepTo(step + 1);
      if (now - lastLog > BAR_MESSAGE_NANOS) {
        lastLog = now;
        bar.setExtraMessage(
            String.format(Locale.ROOT, "loss %.4f %.0fk/s", loss, samplesPerSecond / 1000));
      }
      return;
    }
    if (now - lastLog > LOG_EVERY_SECONDS * 1_000_000_000L) {
      lastLog = now;
      out.printf(
          Locale.ROOT,
          "  %s epoch %d step %d: loss %.4f, %.0f samples/s%n",
          label,
          epoch + 1,
          step + 1,
          loss,
          samplesPerSecond);
      out.flush();
    }
  }

  @Override
  public void epochDone(EpochMetrics m) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    out.printf(
        Locale.ROOT,
        "  %s epoch %d: train loss %.4f, val loss %.4f, val acc %.4f, lr %.3g, %.2f s (%.0f"
            + " samples/s)%n",
        label,
        m.epoch() + 1,
        m.trainLoss(),
        m.valLoss(),
        m.valAcc(),
        m.learningRate(),
        m.seconds(),
        m.samplesPerSecond());
    out.flush();
  }
}
