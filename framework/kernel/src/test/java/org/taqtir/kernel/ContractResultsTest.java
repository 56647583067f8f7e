package org.taqtir.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** {@link Notebook#contract} runs a test class in-process and reports every test's outcome. */
class ContractResultsTest {

  /** Run only through {@link Notebook#contract}; its failures are the point. */
  static class Sample {
    @Test
    void ok() {}

    @Test
    void broken() {
      assertEquals(1, 2, "one is not two");
    }

    @Test
    void notHere() {
      assumeTrue(false, "not applicable");
    }
  }

  static class NoTests {}

  @Test
  void reportsPassedFailedAndAbortedTestsWithTheirMessages() {
    ContractResults r = Notebook.contract(Sample.class);
    assertEquals(3, r.rows().size(), r.toString());
    assertEquals(1, r.count("passed"));
    assertEquals(1, r.count("failed"));
    assertEquals(1, r.count("aborted"));
    assertFalse(r.passed());
    String[] broken = r.rows().stream().filter(x -> x[0].equals("broken()")).findFirst().get();
    assertTrue(broken[2].contains("one is not two"), broken[2]);
    String html = Displays.html(r.table());
    assertTrue(html.contains("Sample: 1 passed, 1 failed, 1 skipped or aborted"), html);
  }

  @Test
  void aClassWithoutTestsIsAFailureNotASilentPass() {
    ContractResults r = Notebook.contract(NoTests.class);
    assertFalse(r.passed());
    assertTrue(r.rows().get(0)[2].contains("no tests found"), r.toString());
  }
}
