package org.taqtir.core.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.taqtir.core.run.EpochMetrics;

/**
 * Everything a run needs to continue after its last finished epoch as if it had never stopped: the
 * trainable arrays (student parameters, then strategy adapters), the optimiser's moment buffers and
 * step count, each strategy's own state, the best epoch so far with its weights, and the metric
 * history. The data order is not stored: it is the run seed's stream, replayed for the finished
 * epochs; the learning rate is a function of the epoch.
 *
 * <p>Written after every epoch into a temporary file that is flushed to disk and renamed over the
 * previous checkpoint, so a reader (or a run killed at any instant) sees either the old or the new
 * checkpoint whole, never a torn one. The file ends with a CRC32 of everything before it, and every
 * count in it is checked against the file's size before anything is allocated, so a checkpoint
 * damaged later (a flipped byte, a truncated copy) is refused by name, never resumed from.
 *
 * @param seed the run's seed (a checkpoint of another seed is refused)
 * @param epochs epochs finished (the next epoch to train, zero-based)
 * @param globalStep optimiser steps taken
 * @param optimizerSteps the optimiser's step count (Adam's bias correction)
 * @param trainSeconds training wall time so far
 * @param lastFiniteLoss the last finite step loss
 * @param bestEpoch best epoch so far (zero-based), -1 when none
 * @param bestVal its validation accuracy
 * @param trainable values of every trainable array, in the loop's order
 * @param moments the optimiser's moment buffers, in its order
 * @param bestWeights the student's parameters at the best epoch, or null
 * @param strategyStates each term's {@code checkpointState()}, null entries allowed
 * @param history the finished epochs' metrics
 */
public record TrainingCheckpoint(
    long seed,
    int epochs,
    long globalStep,
    long optimizerSteps,
    double trainSeconds,
    double lastFiniteLoss,
    int bestEpoch,
    double bestVal,
    List<float[]> trainable,
    List<float[]> moments,
    float[][] bestWeights,
    List<byte[]> strategyStates,
    List<EpochMetrics> history) {

  private static final int MAGIC = 0x54514b50; // "TQKP"
  private static final int VERSION = 2; // 2: a CRC32 of every byte before it ends the file

  /**
   * Writes this checkpoint atomically (temporary file, fsync, rename).
   *
   * @param file the checkpoint file, e.g. {@code <run dir>/checkpoint.bin}
   */
  public void write(Path file) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel ch =
              FileChannel.open(
                  tmp,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE);
          CheckedOutputStream checked =
              new CheckedOutputStream(
                  new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16),
                  new CRC32());
          DataOutputStream out = new DataOutputStream(checked)) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(seed);
        out.writeInt(epochs);
        out.writeLong(globalStep);
        out.writeLong(optimizerSteps);
        out.writeDouble(trainSeconds);
        out.writeDouble(lastFiniteLoss);
        out.writeInt(bestEpoch);
        out.writeDouble(bestVal);
        writeArrays(out, trainable);
        writeArrays(out, moments);
        out.writeBoolean(bestWeights != null);
        if (bestWeights != null) {
          writeArrays(out, List.of(bestWeights));
        }
        out.writeInt(strategyStates.size());
        for (byte[] b : strategyStates) {
          out.writeInt(b == null ? -1 : b.length);
          if (b != null) {
            out.write(b);
          }
        }
        out.writeInt(history.size());
        for (EpochMetrics m : history) {
          out.writeInt(m.epoch());
          out.writeDouble(m.trainLoss());
          out.writeDouble(m.valLoss());
          out.writeDouble(m.valAcc());
          out.writeDouble(m.learningRate());
          out.writeDouble(m.seconds());
          out.writeDouble(m.samplesPerSecond());
        }
        out.writeInt(MAGIC);
        out.writeLong(checked.getChecksum().getValue());
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a checkpoint. Every count and length is checked against the bytes the file has left
   * before anything is allocated, and the CRC32 that ends the file against its contents, so a
   * damaged checkpoint is refused by name instead of resuming from wrong weights.
   *
   * @param file the file {@link #write} wrote
   * @return the checkpoint
   * @throws IllegalArgumentException when the file is not a complete, intact Taqtir checkpoint; the
   *     message starts with the file
   */
  public static TrainingCheckpoint read(Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
    try (CheckedInputStream checked =
            new CheckedInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16), new CRC32());
        DataInputStream data = new DataInputStream(checked)) {
      Bounded in = new Bounded(file, data, size);
      if (size < 8 || in.readInt() != MAGIC) {
        throw new IllegalArgumentException(file + ": not a Taqtir training checkpoint");
      }
      int version = in.readInt();
      if (version != 1 && version != VERSION) {
        throw new IllegalArgumentException(
            file + ": checkpoint version " + version + ", this Taqtir reads 1 and " + VERSION);
      }
      long seed = in.readLong();
      int epochs = in.readInt();
      long globalStep = in.readLong();
      long optimizerSteps = in.readLong();
      double trainSeconds = in.readDouble();
      double lastFinite = in.readDouble();
      int bestEpoch = in.readInt();
      double bestVal = in.readDouble();
      List<float[]> trainable = in.readArrays("trainable arrays");
      List<float[]> moments = in.readArrays("optimiser moments");
      float[][] best =
          in.readBoolean() ? in.readArrays("best weights").toArray(new float[0][]) : null;
      int ns = in.count("strategy states", 4);
      List<byte[]> states = new ArrayList<>();
      for (int i = 0; i < ns; i++) {
        int len = in.readInt();
        states.add(len == -1 ? null : in.readBytes(len, "strategy state " + i));
      }
      int nh = in.count("history epochs", 4 + 6 * 8);
      List<EpochMetrics> history = new ArrayList<>();
      for (int i = 0; i < nh; i++) {
        history.add(
            new EpochMetrics(
                in.readInt(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble()));
      }
      if (in.readInt() != MAGIC) {
        throw in.damaged("bad trailer");
      }
      if (version >= 2) {
        long computed = checked.getChecksum().getValue();
        long stored = in.readLong();
        if (stored != computed) {
          throw in.damaged(
              String.format(
                  "CRC32 %08x of its contents, %08x recorded: its bytes changed after it was"
                      + " written",
                  computed, stored));
        }
      }
      if (in.left() != 0) {
        throw in.damaged(in.left() + " bytes after its end");
      }
      return new TrainingCheckpoint(
          seed,
          epochs,
          globalStep,
          optimizerSteps,
          trainSeconds,
          lastFinite,
          bestEpoch,
          bestVal,
          trainable,
          moments,
          best,
          states,
          history);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + ": checkpoint is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads fields while counting the bytes left, so no length is trusted beyond the file. */
  private static final class Bounded {
    private final Path file;
    private final DataInputStream in;
    private long left;

    Bounded(Path file, DataInputStream in, long size) {
      this.file = file;
      this.in = in;
      this.left = size;
    }

    long left() {
      return left;
    }

    private void take(long n) throws EOFException {
      if (n > left) {
        throw new EOFException();
      }
      left -= n;
    }

    int readInt() throws IOException {
      take(4);
      return in.readInt();
    }

    long readLong() throws IOException {
      take(8);
      return in.readLong();
    }

    double readDouble() throws IOException {
      take(8);
      return in.readDouble();
    }

    boolean readBoolean() throws IOException {
      take(1);
      return in.readBoolean();
    }

    /** A count of items of at least {@code minBytes} each, checked against the bytes left. */
    int count(String what, int minBytes) throws IOException {
      int n = readInt();
      if (n < 0 || (long) n * minBytes > left) {
        throw damaged(what + ": a count of " + n + ", but " + left + " bytes are left");
      }
      return n;
    }

    byte[] readBytes(int len, String what) throws IOException {
      if (len < 0 || len > left) {
        throw damaged(what + ": a length of " + len + ", but " + left + " bytes are left");
      }
      take(len);
      return in.readNBytes(len);
    }

    List<float[]> readArrays(String what) throws IOException {
      int n = count(what, 4);
      List<float[]> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = readInt();
        if (len < 0 || len * 4L > left) {
          throw damaged(
              what
                  + " ["
                  + i
                  + "]: a length of "
                  + len
                  + " floats, but "
                  + left
                  + " bytes are left");
        }
        byte[] bytes = in.readNBytes(len * 4);
        take(bytes.length);
        if (bytes.length != len * 4) {
          throw new EOFException();
        }
        float[] a = new float[len];
        java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
        out.add(a);
      }
      return out;
    }

    IllegalArgumentException damaged(String why) {
      return new IllegalArgumentException(
          file
              + ": checkpoint is damaged ("
              + why
              + "); delete it to train this run again from its first epoch");
    }
  }

  /**
   * Returns how many epochs a checkpoint holds, reading only its header.
   *
   * @param file a checkpoint file
   * @return finished epochs, or -1 when the file is absent or not a checkpoint
   */
  public static int epochsDone(Path file) {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      if (in.readInt() != MAGIC) {
        return -1;
      }
      int version = in.readInt();
      if (version != 1 && version != VERSION) {
        return -1;
      }
      in.readLong();
      return in.readInt();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void writeArrays(DataOutputStream out, List<float[]> arrays) throws IOException {
    out.writeInt(arrays.size());
    for (float[] a : arrays) {
      out.writeInt(a.length);
      byte[] bytes = new byte[a.length * 4];
      java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().put(a);
      out.write(bytes);
    }
  }
}
