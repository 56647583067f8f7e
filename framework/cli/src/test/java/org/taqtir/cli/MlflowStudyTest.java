package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.tracking.RunStore;

/**
 * {@code taqtir run} with an MLflow tracking URI: a study is mirrored as one parent run and one
 * child run per student run; with a server that answers HTTP 500 the study still succeeds, prints
 * one warning line, and the local store holds every run.
 */
class MlflowStudyTest {

  @TempDir Path dir;

  private HttpServer server;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    System.clearProperty("taqtir.mlflow.uri");
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(int status) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int[] runs = {0};
    server.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = ex.getRequestURI().getPath();
          calls.add(ex.getRequestMethod() + " " + path + " " + body);
          String reply =
              status != 200
                  ? "{\"error_code\": \"INTERNAL_ERROR\"}"
                  : switch (path) {
                    case "/api/2.0/mlflow/experiments/create" -> "{\"experiment_id\": \"1\"}";
                    case "/api/2.0/mlflow/runs/create" ->
                        "{\"run\": {\"info\": {\"run_id\": \"m"
                            + ++runs[0]
                            + "\", \"artifact_uri\": \"mlflow-artifacts:/1/m"
                            + runs[0]
                            + "/artifacts\"}}}";
                    default -> "{}";
                  };
          byte[] b = reply.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Path study() throws Exception {
    return TinyStudy.write(
        dir,
        TinyStudy.yaml(dir, TinyStudy.data(dir), "evaluation: {loss_statement: false}")
            .replace("seeds: [1, 2]", "seeds: [1]")
            .replace("output:\n", "output:\n  plots: false\n"));
  }

  @Test
  void aStudyIsMirroredAsAParentRunWithOneChildPerStudentRun() throws Exception {
    System.setProperty("taqtir.mlflow.uri", serve(200));
    var r = TinyStudy.cli("run", study().toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("mirroring runs to MLflow at http://127.0.0.1:"), r.out());
    List<String> creates = calls.stream().filter(c -> c.contains("/runs/create ")).toList();
    assertEquals(3, creates.size(), "the study run and its two student runs: " + creates);
    assertTrue(!creates.get(0).contains("mlflow.parentRunId"), creates.get(0));
    for (String child : creates.subList(1, 3)) {
      assertTrue(
          child.replaceAll("\\s", "").contains("\"key\":\"mlflow.parentRunId\",\"value\":\"m1\""),
          child);
    }
    long epochBatches =
        calls.stream().filter(c -> c.contains("/runs/log-batch ") && c.contains("val/acc")).count();
    assertTrue(epochBatches >= 2 * 3, "a metrics batch per epoch of each run: " + epochBatches);
    assertTrue(
        calls.stream()
            .anyMatch(c -> c.startsWith("PUT /api/2.0/mlflow-artifacts/artifacts/1/m2/artifacts/")),
        "artifacts uploaded through the proxy");
    assertEquals(
        3,
        calls.stream().filter(c -> c.contains("/runs/update ") && c.contains("FINISHED")).count());
  }

  @Test
  void aFailingServerNeverFailsTheStudy() throws Exception {
    System.setProperty("taqtir.mlflow.uri", serve(500));
    var r = TinyStudy.cli("run", study().toString());
    assertEquals(0, r.code(), r.out() + r.err());
    List<String> warnings = r.out().lines().filter(l -> l.startsWith("warning: MLflow")).toList();
    assertEquals(1, warnings.size(), r.out());
    try (RunStore s = RunStore.open(dir.resolve("runs/taqtir.db"))) {
      RunStore.Run study = s.latestStudyRun("tiny");
      assertEquals("FINISHED", study.status());
      assertEquals(2, s.children(study.id()).size());
    }
  }
}
