package org.taqtir.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow mirror against a local HTTP server that records every request the real {@code
 * mlflow-client} sends and answers like an MLflow 2.x server; and against a failing and an absent
 * server, where the local store still records everything and one warning is printed.
 */
class MlflowSinkTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private HttpServer server;

  /** One recorded request: method, path with query, body. */
  record Request(String method, String path, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(body, e);
      }
    }
  }

  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A fake MLflow server; with {@code status500} every call fails with HTTP 500. */
  private String serve(boolean status500) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int[] runs = {0};
    server.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = ex.getRequestURI().getRawPath();
          String query = ex.getRequestURI().getRawQuery();
          requests.add(
              new Request(ex.getRequestMethod(), path + (query == null ? "" : "?" + query), body));
          if (status500) {
            reply(ex, 500, "{\"error_code\": \"INTERNAL_ERROR\", \"message\": \"boom\"}");
            return;
          }
          switch (path) {
            case "/api/2.0/mlflow/experiments/create" ->
                reply(ex, 200, "{\"experiment_id\": \"7\"}");
            case "/api/2.0/mlflow/runs/create" -> {
              String id = "r" + ++runs[0];
              reply(
                  ex,
                  200,
                  "{\"run\": {\"info\": {\"run_id\": \""
                      + id
                      + "\", \"experiment_id\": \"7\", \"status\": \"RUNNING\", \"artifact_uri\":"
                      + " \"mlflow-artifacts:/7/"
                      + id
                      + "/artifacts\"}}}");
            }
            case "/api/2.0/mlflow/runs/search" ->
                reply(
                    ex,
                    200,
                    "{\"runs\": [{\"info\": {\"run_id\": \"old1\", \"artifact_uri\":"
                        + " \"mlflow-artifacts:/7/old1/artifacts\"}}]}");
            default -> reply(ex, 200, "{}");
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  /** What the tracking observer does for a study with one student run, through the store. */
  private static Map<String, String> record(RunStore s, Path artifact) {
    long exp = s.experiment("tiny");
    String study = s.startRun(exp, null, "tiny 20261123");
    s.tags(study, Map.of("git.commit", "abc"));
    s.params(study, Map.of("seeds", "[1]"));
    String child = s.startRun(exp, study, "small/kd/seed1");
    s.params(child, Map.of("method", "kd"));
    for (int step = 1; step <= 2; step++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("train/loss", 1.0 / step);
      m.put("val/acc", 0.5 + step / 10.0);
      s.metrics(child, m, step);
    }
    s.artifact(child, artifact);
    s.finish(child, "FINISHED");
    s.finish(study, "FINISHED");
    return Map.of("study", study, "child", child);
  }

  @Test
  void mirrorsExperimentRunsParamsMetricsTagsAndArtifactsAsMlflowRestCalls() throws Exception {
    String uri = serve(false);
    Path artifact = Files.writeString(dir.resolve("history.csv"), "epoch,loss\n1,0.5\n");
    List<String> warnings = new ArrayList<>();
    Map<String, String> ids;
    try (RunStore s = RunStore.open(dir.resolve("t.db"))) {
      s.mirror(MlflowSink.forUri(uri, warnings::add).orElseThrow(), warnings::add);
      ids = record(s, artifact);
      assertEquals(List.of(), warnings);
      assertEquals(0.7, s.latestMetrics(ids.get("child")).get("val/acc"), 1e-12);
    }
    List<String> calls = requests.stream().map(r -> r.method() + " " + r.path()).toList();
    assertEquals(
        List.of(
            "POST /api/2.0/mlflow/experiments/search",
            "POST /api/2.0/mlflow/experiments/create",
            "POST /api/2.0/mlflow/runs/create",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/create",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            "PUT /api/2.0/mlflow-artifacts/artifacts/7/r2/artifacts/history.csv",
            "POST /api/2.0/mlflow/runs/update",
            "POST /api/2.0/mlflow/runs/update"),
        calls);
    assertEquals("name = 'tiny'", requests.get(0).json().get("filter").asText());
    assertEquals("tiny", requests.get(1).json().get("name").asText());
    JsonNode parent = requests.get(2).json();
    assertEquals("7", parent.get("experiment_id").asText());
    assertEquals("tiny 20261123", parent.get("run_name").asText());
    assertTrue(!tagsOf(parent).containsKey("mlflow.parentRunId"), "a study run has no parent");
    assertEquals(ids.get("study"), tagsOf(parent).get("taqtir.run_id"));
    JsonNode studyTags = requests.get(3).json();
    assertEquals("r1", studyTags.get("run_id").asText());
    assertEquals("abc", tagsOf(studyTags).get("git.commit"));
    JsonNode studyParams = requests.get(4).json();
    assertEquals("seeds", studyParams.get("params").get(0).get("key").asText());
    assertEquals("[1]", studyParams.get("params").get(0).get("value").asText());
    JsonNode child = requests.get(5).json();
    assertEquals("r1", tagsOf(child).get("mlflow.parentRunId"));
    assertEquals("small/kd/seed1", tagsOf(child).get("mlflow.runName"));

    try (RunStore s = RunStore.open(dir.resolve("t.db"))) {
      List<double[]> loss = s.history(ids.get("child"), "train/loss");
      for (int step = 1; step <= 2; step++) {
        JsonNode batch = requests.get(6 + step).json();
        assertEquals("r2", batch.get("run_id").asText());
        JsonNode metrics = batch.get("metrics");
        assertEquals(2, metrics.size(), "one batch per step with every metric");
        assertEquals("train/loss", metrics.get(0).get("key").asText());
        assertEquals(1.0 / step, metrics.get(0).get("value").asDouble(), 0);
        assertEquals(step, metrics.get(0).get("step").asLong());
        assertEquals("val/acc", metrics.get(1).get("key").asText());
        assertEquals(loss.get(step - 1)[1], metrics.get(0).get("value").asDouble(), 0);
        assertTrue(metrics.get(0).get("timestamp").asLong() > 1_600_000_000_000L);
      }
    }
    assertEquals("epoch,loss\n1,0.5\n", requests.get(9).body());
    JsonNode end = requests.get(10).json();
    assertEquals("r2", end.get("run_id").asText());
    assertEquals("FINISHED", end.get("status").asText());
    assertTrue(end.get("end_time").asLong() > 0);
  }

  @Test
  void anImportedRunIsMirroredAsAReopenOfItsIdSoARetryAddsNoMlflowRun() throws Exception {
    String uri = serve(false);
    Path artifact = Files.writeString(dir.resolve("history.csv"), "epoch,loss\n1,0.5\n");
    String id = "0123456789abcdef0123456789abcdef";
    List<String> warnings = new ArrayList<>();
    try (RunStore attempt = RunStore.open(dir.resolve("attempt.db"));
        RunStore s = RunStore.open(dir.resolve("t.db"))) {
      String child = record(attempt, artifact).get("child");
      s.mirror(MlflowSink.forUri(uri, warnings::add).orElseThrow(), warnings::add);
      assertTrue(s.importRun(attempt, child, id, null));
      assertEquals(false, s.importRun(attempt, child, id, null), "a finished run is kept");
    }
    assertEquals(List.of(), warnings);
    List<String> calls = requests.stream().map(r -> r.method() + " " + r.path()).toList();
    assertTrue(!calls.contains("POST /api/2.0/mlflow/runs/create"), calls.toString());
    Request search =
        requests.stream().filter(r -> r.path().endsWith("/runs/search")).findFirst().orElseThrow();
    assertEquals("tags.`taqtir.run_id` = '" + id + "'", search.json().get("filter").asText());
    List<Request> batches =
        requests.stream().filter(r -> r.path().endsWith("/runs/log-batch")).toList();
    assertEquals(3, batches.size(), "the params, then one batch per step (the run has no tags)");
    Request last = requests.get(requests.size() - 1);
    assertEquals("old1", last.json().get("run_id").asText());
    assertEquals("FINISHED", last.json().get("status").asText());
  }

  private static Map<String, String> tagsOf(JsonNode body) {
    Map<String, String> out = new LinkedHashMap<>();
    body.get("tags").forEach(t -> out.put(t.get("key").asText(), t.get("value").asText()));
    return out;
  }

  @Test
  void aFailingServerWarnsOnceAndTheLocalStoreKeepsEverything() throws Exception {
    String uri = serve(true);
    checkLocalOnly(uri);
    // The client itself tries a failing call three times; nothing is sent after that.
    assertEquals(
        List.of("/api/2.0/mlflow/experiments/search"),
        requests.stream().map(Request::path).distinct().toList(),
        "the sink is dropped after its first failure");
  }

  @Test
  void anAbsentServerWarnsOnceAndTheLocalStoreKeepsEverything() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    checkLocalOnly("http://127.0.0.1:" + port);
  }

  private void checkLocalOnly(String uri) throws IOException {
    Path artifact = Files.writeString(dir.resolve("history.csv"), "x\n");
    List<String> warnings = new ArrayList<>();
    try (RunStore s = RunStore.open(dir.resolve("t.db"))) {
      s.mirror(MlflowSink.forUri(uri, warnings::add).orElseThrow(), warnings::add);
      Map<String, String> ids = record(s, artifact);
      assertEquals(1, warnings.size(), String.valueOf(warnings));
      assertTrue(warnings.get(0).startsWith("warning: MLflow at " + uri + " failed"));
      assertEquals(1, warnings.get(0).lines().count(), "one line");
      assertEquals("FINISHED", s.run(ids.get("study")).status());
      assertEquals(2, s.history(ids.get("child"), "val/acc").size());
      assertEquals("kd", s.params(ids.get("child")).get("method"));
    }
  }

  @Test
  void aResumedRunIsFoundByItsLocalIdAndMarkedRunningAgain() throws Exception {
    String uri = serve(false);
    String child;
    try (RunStore s = RunStore.open(dir.resolve("t.db"))) {
      long exp = s.experiment("tiny");
      child = s.startRun(exp, s.startRun(exp, null, "study"), "small/kd/seed1");
    }
    try (RunStore s = RunStore.open(dir.resolve("t.db"))) {
      List<String> warnings = new ArrayList<>();
      s.mirror(MlflowSink.forUri(uri, warnings::add).orElseThrow(), warnings::add);
      s.reopen(child);
      s.metric(child, "val/acc", 0.5, 3);
      assertEquals(List.of(), warnings);
    }
    List<String> calls = requests.stream().map(r -> r.method() + " " + r.path()).toList();
    assertEquals(
        List.of(
            "POST /api/2.0/mlflow/experiments/search",
            "POST /api/2.0/mlflow/experiments/create",
            "POST /api/2.0/mlflow/runs/search",
            "POST /api/2.0/mlflow/runs/update",
            "POST /api/2.0/mlflow/runs/log-batch"),
        calls);
    JsonNode search = requests.get(2).json();
    assertEquals("tags.`taqtir.run_id` = '" + child + "'", search.get("filter").asText());
    assertEquals("7", search.get("experiment_ids").get(0).asText());
    JsonNode update = requests.get(3).json();
    assertEquals("old1", update.get("run_id").asText(), "the run another process created");
    assertEquals("RUNNING", update.get("status").asText());
    JsonNode batch = requests.get(4).json();
    assertEquals("old1", batch.get("run_id").asText());
    assertEquals(3, batch.get("metrics").get(0).get("step").asLong());
  }

  @Test
  void onlyHttpUrisAreMirrored() {
    assertTrue(MlflowSink.forUri(null, w -> {}).isEmpty());
    assertTrue(MlflowSink.forUri("file:///tmp/mlruns", w -> {}).isEmpty());
    assertTrue(MlflowSink.forUri("databricks", w -> {}).isEmpty());
    assertTrue(MlflowSink.forUri("https://mlflow.example.org", w -> {}).isPresent());
  }
}
