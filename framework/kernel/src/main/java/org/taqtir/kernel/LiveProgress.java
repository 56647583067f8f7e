package org.taqtir.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Locale;
import java.util.UUID;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.train.TrainingListener;

/**
 * Shows training progress as one output below the cell and updates it in place with {@code
 * update_display_data}, at most every {@value #MIN_INTERVAL_MS} ms between epochs.
 */
public final class LiveProgress implements TrainingListener {

  static final long MIN_INTERVAL_MS = 250;

  private final TaqtirKernel kernel;
  private final String id = "taqtir-progress-" + UUID.randomUUID();
  private boolean shown;
  private long lastUpdate;
  private int steps;
  private String lastEpoch = "";
  private int updates;

  LiveProgress(TaqtirKernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public synchronized void epochStarted(int epoch, int steps) {
    this.steps = steps;
    show(String.format(Locale.ROOT, "epoch %d: starting, %d steps", epoch + 1, steps), true);
  }

  @Override
  public synchronized void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
    // Once per training step: format only when the display is due for an update.
    if (System.currentTimeMillis() - lastUpdate < MIN_INTERVAL_MS) {
      return;
    }
    show(
        String.format(
            Locale.ROOT,
            "epoch %d: step %d/%d  loss %.4f  %.0f samples/s",
            epoch + 1,
            step + 1,
            steps,
            loss,
            samplesPerSecond),
        false);
  }

  @Override
  public synchronized void epochDone(EpochMetrics m) {
    lastEpoch =
        String.format(
            Locale.ROOT,
            "epoch %d done: train loss %.4f  val loss %.4f  val acc %.4f  %.1f s",
            m.epoch() + 1,
            m.trainLoss(),
            m.valLoss(),
            m.valAcc(),
            m.seconds());
    show("", true);
  }

  /** How many times the display was sent or updated; for tests. */
  synchronized int updates() {
    return updates;
  }

  private void show(String line, boolean force) {
    long now = System.currentTimeMillis();
    if (!force && now - lastUpdate < MIN_INTERVAL_MS) {
      return;
    }
    lastUpdate = now;
    String text = lastEpoch.isEmpty() ? line : line.isEmpty() ? lastEpoch : lastEpoch + "\n" + line;
    updates++;
    if (kernel == null) {
      System.out.println(text);
      return;
    }
    DisplayData d = new DisplayData(text);
    d.putHTML("<pre>" + Displays.escape(text) + "</pre>");
    if (!shown) {
      d.setDisplayId(id);
      kernel.display(d);
      shown = true;
    } else {
      kernel.getIO().display.updateDisplay(id, d);
    }
  }
}
