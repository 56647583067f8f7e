package org.taqtir.core.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a study run's directory ({@value #FILE}), held by the process that runs or
 * resumes the study, so two processes never train and record the same study run at once. It is the
 * operating system's file lock: a process that dies (even by SIGKILL) releases it, so an
 * interrupted run can always be resumed.
 */
public final class RunLock implements AutoCloseable {

  /** The lock file's name in a study run's directory. */
  public static final String FILE = ".taqtir.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock without waiting.
   *
   * @param runDir the study run's directory
   * @param held the message when another process (or this one) holds it
   * @return the lock, to be closed when the study ends
   * @throws IllegalArgumentException with {@code held} when the lock is taken
   */
  public static RunLock acquire(Path runDir, String held) {
    Path file = runDir.resolve(FILE);
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this JVM holds it already
    } catch (IOException e) {
      close(ch);
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      close(ch);
      throw new IllegalArgumentException(held);
    }
    return new RunLock(ch, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it as well
    }
    close(channel);
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing is left to release
    }
  }
}
