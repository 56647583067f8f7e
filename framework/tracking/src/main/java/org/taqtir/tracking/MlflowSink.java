package org.taqtir.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/**
 * Mirrors a {@link RunStore} into an MLflow tracking server through {@code
 * org.mlflow:mlflow-client} (REST): a study becomes an experiment, each study run a run and each
 * student run a child run (tag {@code mlflow.parentRunId}); params, tags and metrics (with their
 * steps and timestamps) go in {@code runs/log-batch} calls within MLflow's limits (100 params, 100
 * tags, 1000 metrics per call); files go to the server's artifact proxy ({@code PUT
 * /api/2.0/mlflow-artifacts/artifacts/...}, the default of {@code mlflow server} 2.x), since the
 * Java client's own artifact upload shells out to the Python CLI.
 *
 * <p>Enabled when {@code MLFLOW_TRACKING_URI} is an http(s) URL. The local store is always written
 * first; see {@link RunStore#mirror} for what happens when the server fails.
 */
public final class MlflowSink implements RunSink {

  /** The environment variable MLflow's own clients read. */
  public static final String ENV = "MLFLOW_TRACKING_URI";

  /** MLflow's tag value limit (8000 characters since 2.x; the older 5000 is used to be safe). */
  private static final int MAX_TAG = 5000;

  private static final int MAX_PARAM = 6000;

  private final String uri;
  private final MlflowClient client;
  private final HttpClient http;
  private final Consumer<String> warn;
  private final Map<String, String> experiments = new ConcurrentHashMap<>();
  private final Map<String, String> runs = new ConcurrentHashMap<>();
  private final Map<String, String> artifactRoots = new ConcurrentHashMap<>();
  private boolean artifactWarned;

  private MlflowSink(String uri, Consumer<String> warn) {
    this.uri = uri.replaceAll("/+$", "");
    this.client = new MlflowClient(this.uri);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.warn = warn;
  }

  /**
   * Creates a sink for a tracking URI when it is http(s).
   *
   * @param trackingUri e.g. {@code http://localhost:5000}; null or another scheme gives none
   * @param warn receives one-line notes (e.g. artifacts the server cannot take)
   * @return the sink, or empty
   */
  public static Optional<MlflowSink> forUri(String trackingUri, Consumer<String> warn) {
    if (trackingUri == null) {
      return Optional.empty();
    }
    String lower = trackingUri.trim().toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return Optional.empty();
    }
    // The client logs every retried HTTP error as a warning; the store reports a failure itself,
    // once, so keep slf4j-simple (the CLI's logger) quiet about it unless asked otherwise.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.mlflow") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.mlflow", "error");
    }
    return Optional.of(new MlflowSink(trackingUri.trim(), warn));
  }

  @Override
  public String name() {
    return "MLflow at " + uri;
  }

  @Override
  public void startRun(
      String runId, String experiment, String parentId, String name, long startTime) {
    String experimentId = experimentId(experiment);
    CreateRun.Builder req =
        CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setStartTime(startTime)
            .setRunName(name)
            .addTags(tag("mlflow.runName", name))
            .addTags(tag("mlflow.source.name", "taqtir"))
            .addTags(tag("taqtir.run_id", runId));
    if (parentId != null && runs.containsKey(parentId)) {
      req.addTags(tag("mlflow.parentRunId", runs.get(parentId)));
    }
    RunInfo info = client.createRun(req.build());
    runs.put(runId, info.getRunId());
    artifactRoots.put(runId, info.getArtifactUri());
  }

  @Override
  public void reopen(
      String runId, String experiment, String parentId, String name, long startTime) {
    if (!runs.containsKey(runId)) {
      String experimentId = experimentId(experiment);
      List<RunInfo> found =
          client.searchRuns(List.of(experimentId), "tags.`taqtir.run_id` = '" + runId + "'");
      if (found.isEmpty()) {
        startRun(runId, experiment, parentId, name, startTime);
        return;
      }
      runs.put(runId, found.get(0).getRunId());
      artifactRoots.put(runId, found.get(0).getArtifactUri());
    }
    client.sendPost(
        "runs/update", "{\"run_id\": \"" + runs.get(runId) + "\", \"status\": \"RUNNING\"}");
  }

  @Override
  public void params(String runId, Map<String, String> params) {
    List<Param> all = new ArrayList<>();
    params.forEach(
        (k, v) -> all.add(Param.newBuilder().setKey(k).setValue(clip(v, MAX_PARAM)).build()));
    for (int i = 0; i < all.size(); i += 100) {
      client.logBatch(
          id(runId), List.of(), all.subList(i, Math.min(all.size(), i + 100)), List.of());
    }
  }

  @Override
  public void tags(String runId, Map<String, String> tags) {
    List<RunTag> all = new ArrayList<>();
    tags.forEach((k, v) -> all.add(tag(k, clip(v, MAX_TAG))));
    for (int i = 0; i < all.size(); i += 100) {
      client.logBatch(
          id(runId), List.of(), List.of(), all.subList(i, Math.min(all.size(), i + 100)));
    }
  }

  @Override
  public void metrics(String runId, Map<String, Double> values, long step, long timestamp) {
    List<Metric> all = new ArrayList<>();
    values.forEach(
        (k, v) ->
            all.add(
                Metric.newBuilder()
                    .setKey(k)
                    .setValue(v)
                    .setStep(step)
                    .setTimestamp(timestamp)
                    .build()));
    for (int i = 0; i < all.size(); i += 1000) {
      client.logBatch(
          id(runId), all.subList(i, Math.min(all.size(), i + 1000)), List.of(), List.of());
    }
  }

  @Override
  public void artifact(String runId, Path file) {
    String root = artifactRoots.getOrDefault(runId, "");
    if (!root.startsWith("mlflow-artifacts:")) {
      if (!artifactWarned) {
        artifactWarned = true;
        warn.accept(
            "note: "
                + name()
                + " stores artifacts at '"
                + root
                + "', not behind its artifact proxy (mlflow-artifacts:); files stay local");
      }
      return;
    }
    // mlflow-artifacts:/1/<run>/artifacts or mlflow-artifacts://host:port/1/<run>/artifacts
    String path = root.substring("mlflow-artifacts:".length()).replaceFirst("^//[^/]*", "");
    path = path.replaceAll("^/+", "");
    StringBuilder url = new StringBuilder(uri).append("/api/2.0/mlflow-artifacts/artifacts");
    for (String part : (path + "/" + file.getFileName()).split("/")) {
      url.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url.toString()))
                  .timeout(Duration.ofMinutes(5))
                  .PUT(HttpRequest.BodyPublishers.ofFile(file))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "artifact upload " + url + " answered HTTP " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("artifact upload " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("artifact upload interrupted", e);
    }
  }

  @Override
  public void finish(String runId, String status, long endTime) {
    client.setTerminated(
        id(runId), "FAILED".equals(status) ? RunStatus.FAILED : RunStatus.FINISHED, endTime);
  }

  private String experimentId(String name) {
    // experiments/search answers an unknown name with an empty list; get-by-name answers 404,
    // which the Java client retries three times with a logged warning each.
    return experiments.computeIfAbsent(
        name,
        n ->
            client.searchExperiments("name = '" + n.replace("'", "\\'") + "'").getItems().stream()
                .filter(e -> e.getName().equals(n))
                .map(e -> e.getExperimentId())
                .findFirst()
                .orElseGet(() -> client.createExperiment(n)));
  }

  private String id(String runId) {
    String id = runs.get(runId);
    if (id == null) {
      throw new IllegalStateException("run " + runId + " was never created in " + name());
    }
    return id;
  }

  private static RunTag tag(String key, String value) {
    return RunTag.newBuilder().setKey(key).setValue(value).build();
  }

  private static String clip(String v, int max) {
    return v.length() <= max ? v : v.substring(0, max - 40) + " … (clipped; see the local store)";
  }
}
