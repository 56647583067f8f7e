package org.taqtir.spark;

import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.taqtir.api.Teacher;
import org.taqtir.core.config.Study;
import org.taqtir.core.teacher.TeacherOutputCache;

/**
 * Computes a study's teacher outputs on Spark and writes them into the study's teacher-output cache
 * ({@code <output.dir>/cache}) under the key a single-machine {@code taqtir run} looks up, so that
 * run reads them instead of running the teacher.
 *
 * <p>Every cached data set (the transfer set with the strategies' taps, validation, test, and the
 * corrupted test sets of a loss statement) is cut into ranges of {@link TeacherOutputCache#CHUNK}
 * rows starting at row 0, the same ranges the single-process path runs the teacher on; the ranges
 * are spread over the partitions, each executor loads the data and the teacher once, and the driver
 * joins the ranges in row order. Same inputs per forward pass, same floats: the files are bitwise
 * equal to the single-process ones. The joined outputs pass through the driver, which holds one
 * data set's outputs at a time (as a single-machine run holds them when it reads the cache).
 */
public final class TeacherPrecompute {

  private TeacherPrecompute() {}

  /**
   * One written cache entry.
   *
   * @param target {@code train}, {@code validation}, {@code test} or {@code shifted/<name>}
   * @param rows its sample count
   * @param file the cache file
   */
  public record Written(String target, int rows, Path file) {}

  /**
   * Runs the job.
   *
   * @param sc the Spark context
   * @param study the parsed study
   * @param partitions how many partitions to spread the ranges over (at least 1)
   * @param log receives one-line status messages
   * @return the entries written, in the order the study reads them
   */
  public static List<Written> run(
      JavaSparkContext sc, Study study, int partitions, Consumer<String> log) {
    StudyData loaded = StudyData.driver(org.taqtir.core.registry.PluginRegistry.load(), study);
    return run(sc, loaded, partitions, log);
  }

  static List<Written> run(
      JavaSparkContext sc, StudyData loaded, int partitions, Consumer<String> log) {
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be >= 1, found " + partitions);
    }
    Study study = loaded.study;
    if (study.teacher().load() == null) {
      loaded.trainTeacher();
    }
    Set<String> taps = loaded.resolved.teacherTaps();
    Map<String, StudyData.Target> targets = loaded.targets(taps);
    List<Range> ranges = new ArrayList<>();
    for (var e : targets.entrySet()) {
      int n = e.getValue().data().size();
      for (int from = 0; from < n; from += TeacherOutputCache.CHUNK) {
        ranges.add(new Range(e.getKey(), from, Math.min(n, from + TeacherOutputCache.CHUNK)));
      }
    }
    long start = System.nanoTime();
    List<Part> parts =
        sc.parallelize(ranges, Math.min(partitions, Math.max(1, ranges.size())))
            .mapPartitions(new Compute(study.toYaml(), file(study), loaded.data.hash()))
            .collect();
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "precompute: %d ranges of %d rows in %d partitions, %.2f s",
            ranges.size(),
            TeacherOutputCache.CHUNK,
            Math.min(partitions, Math.max(1, ranges.size())),
            (System.nanoTime() - start) / 1e9));
    Map<String, List<Part>> byTarget = new TreeMap<>();
    for (Part p : parts) {
      byTarget.computeIfAbsent(p.target(), k -> new ArrayList<>()).add(p);
    }
    TeacherOutputCache cache = new TeacherOutputCache(study.output().dir().resolve("cache"));
    List<Written> written = new ArrayList<>();
    for (var e : targets.entrySet()) {
      List<Part> mine = byTarget.getOrDefault(e.getKey(), List.of());
      if (mine.isEmpty()) {
        log.accept("precompute: " + e.getKey() + ": skipped (the teacher cannot see new inputs)");
        continue;
      }
      mine.sort(Comparator.comparingInt(Part::from));
      String fingerprint = mine.get(0).fingerprint();
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (Part p : mine) {
        if (!p.fingerprint().equals(fingerprint)) {
          throw new IllegalStateException(
              "precompute: executors loaded different teachers (fingerprints "
                  + fingerprint
                  + " and "
                  + p.fingerprint()
                  + "); the teacher files differ between nodes");
        }
        p.shapes().forEach((k, v) -> shapes.putIfAbsent(k, new Shape(v)));
      }
      Map<String, float[]> outputs =
          TeacherOutputCache.concat(
              mine.stream().<Map<String, float[]>>map(Part::outputs).toList());
      StudyData.Target t = e.getValue();
      Path f = cache.put(fingerprint, t.data(), t.taps(), outputs, shapes);
      written.add(new Written(e.getKey(), t.data().size(), f));
      log.accept(
          "precompute: " + e.getKey() + ": " + t.data().size() + " rows -> " + f.getFileName());
    }
    return written;
  }

  private static String file(Study study) {
    return study.file() == null ? null : study.file().toAbsolutePath().toString();
  }

  /** Rows {@code [from, to)} of one cached data set. */
  record Range(String target, int from, int to) implements Serializable {}

  /** A range's outputs: tap name to values, tap name to per-sample shape. */
  record Part(
      String target,
      int from,
      String fingerprint,
      LinkedHashMap<String, float[]> outputs,
      LinkedHashMap<String, long[]> shapes)
      implements Serializable {}

  /** Runs the teacher over a partition's ranges; data and teacher come from the executor's JVM. */
  record Compute(String yaml, String file, String dataHash)
      implements FlatMapFunction<Iterator<Range>, Part> {

    @Override
    public Iterator<Part> call(Iterator<Range> ranges) {
      if (!ranges.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      StudyData loaded = StudyData.on(yaml, file);
      if (!loaded.data.hash().equals(dataHash)) {
        throw new IllegalStateException(
            "data hash on this executor is "
                + loaded.data.hash()
                + ", the driver's "
                + dataHash
                + ": the study's data files differ between nodes");
      }
      Teacher teacher = loaded.teacher();
      Map<String, StudyData.Target> targets = loaded.targets(loaded.resolved.teacherTaps());
      List<Part> out = new ArrayList<>();
      try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
        while (ranges.hasNext()) {
          Range r = ranges.next();
          if (teacher.indexed() && r.target().startsWith("shifted/")) {
            continue;
          }
          StudyData.Target t = targets.get(r.target());
          Map<String, Shape> shapes = new LinkedHashMap<>();
          Map<String, float[]> values =
              TeacherOutputCache.computeChunk(
                  teacher, t.data(), r.from(), r.to(), t.taps(), manager, shapes);
          LinkedHashMap<String, long[]> dims = new LinkedHashMap<>();
          shapes.forEach((k, v) -> dims.put(k, v.getShape()));
          out.add(
              new Part(
                  r.target(), r.from(), teacher.fingerprint(), new LinkedHashMap<>(values), dims));
        }
      }
      return out.iterator();
    }
  }
}
