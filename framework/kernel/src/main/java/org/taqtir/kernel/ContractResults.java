package org.taqtir.kernel;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The outcome of running a test class from a notebook ({@link Notebook#contract}): one row per
 * test.
 *
 * @param testClass the class that ran
 * @param rows {@code {test, status, message}} per test, in execution order
 */
public record ContractResults(String testClass, List<String[]> rows) {

  /** Copies the rows. */
  public ContractResults {
    rows = List.copyOf(rows);
  }

  static ContractResults run(Class<?> testClass) {
    Objects.requireNonNull(testClass, "testClass");
    List<String[]> rows = new ArrayList<>();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
              rows.add(new String[] {id.getDisplayName(), "skipped", reason});
            }
          }

          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
              String message = result.getThrowable().map(ContractResults::message).orElse("");
              rows.add(
                  new String[] {
                    id.getDisplayName(), status(result.getStatus()), message.replace('\n', ' ')
                  });
            }
          }
        };
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
        listener);
    if (rows.isEmpty()) {
      rows.add(
          new String[] {
            testClass.getSimpleName(),
            "failed",
            "no tests found: is it a concrete, non-private class with @Test methods (e.g. extending"
                + " StrategyContractTest)?"
          });
    }
    return new ContractResults(testClass.getSimpleName(), rows);
  }

  private static String status(TestExecutionResult.Status s) {
    return switch (s) {
      case SUCCESSFUL -> "passed";
      case FAILED -> "failed";
      case ABORTED -> "aborted";
    };
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /**
   * Whether every test passed (skipped and aborted tests do not count as failures).
   *
   * @return true when none failed
   */
  public boolean passed() {
    return rows.stream().noneMatch(r -> r[1].equals("failed"));
  }

  /**
   * Counts the tests with a status.
   *
   * @param status {@code passed}, {@code failed}, {@code aborted} or {@code skipped}
   * @return how many
   */
  public long count(String status) {
    return rows.stream().filter(r -> r[1].equals(status)).count();
  }

  /**
   * The rows as a table (shown as HTML in a notebook).
   *
   * @return a table with columns test, result, message
   */
  public Table table() {
    StringColumn test = StringColumn.create("test");
    StringColumn result = StringColumn.create("result");
    StringColumn message = StringColumn.create("message");
    for (String[] r : rows) {
      test.append(r[0]);
      result.append(r[1]);
      message.append(r[2].length() > 300 ? r[2].substring(0, 300) + "..." : r[2]);
    }
    return Table.create(
        String.format(
            "%s: %d passed, %d failed, %d skipped or aborted",
            testClass, count("passed"), count("failed"), count("skipped") + count("aborted")),
        test,
        result,
        message);
  }

  @Override
  public String toString() {
    return table().print();
  }
}
