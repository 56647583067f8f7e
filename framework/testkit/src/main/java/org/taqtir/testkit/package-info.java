/**
 * Contract tests for plugin authors: subclass {@link org.taqtir.testkit.StrategyContractTest} in
 * your plugin's test sources (test scope dependency {@code org.taqtir:taqtir-testkit}) and every
 * check the framework relies on runs against your strategy the way the training loop calls it.
 */
package org.taqtir.testkit;
