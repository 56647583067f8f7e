"""Notebook 7 (English prose)."""

TITLE = r'''
# 7 · Write your own strategy

*Taqtir course, notebook 7 of 8.* Every distillation method in Taqtir is a plugin: one class implementing
`StrategyProvider`, found by Java's `ServiceLoader`. In this notebook you write one, check it with the same
**contract test kit** every built-in strategy passes, train with it, and package it as a plugin jar that the
command line discovers without any change to Taqtir.

The method: **logit matching** (Ba & Caruana 2014), the student regresses the teacher's logits with a squared
error. It predates Hinton's KD and is its $T \to \infty$ limit (up to scaling, for zero-mean logits).
'''

STRATEGY = r'''
## The class

A provider describes the method (id, parameters, paper, formula, family, what it needs) and creates the
strategy object whose `loss` the trainer calls every step with the student's and teacher's outputs. Two rules
keep it correct: the loss must be a function of `student.logits()` that autograd can differentiate (no
detaching), and every constant inside the graph is an `NDArray` you create (`batch.manager().create(...)`), not
a Java number passed to `mul`/`div` (DJL frees such scalars early; see `docs/plugins.md`).
'''

REGISTER = r'''
`registerStrategy` makes it visible to studies parsed in this notebook, as if it were on the classpath.
'''

CONTRACT = r'''
## The contract kit

`StrategyContractTest` (module `framework/testkit`) is an abstract JUnit class. Subclass it, say which provider
to test, and its seven checks cover: a finite, non-negative scalar loss whose gradients reach the student (and
the strategy's adapters) and never the teacher; zero loss when the student equals the teacher (where the
subclass names parameters for which that holds); gradients against central finite differences; defaults that
satisfy their own parameter spec and round-trip; arrays created only in the managers the strategy is given (no
native memory leaks); identical gradients with and without a garbage collection between loss and backward;
discovery through `META-INF/services` with a valid id, a description and a formula. It does not check the T²
scaling of a temperature: a contract cannot know a strategy's formula, so that is the job of golden values from
an independent implementation in the plugin's own tests (the built-in response strategies have them).
`contract(...)` runs it right here.

One check fails, as it should at this point: `discoveredByServiceLoaderWithAValidId` requires the class to be
registered in `META-INF/services`, which only a packaged plugin is. We come back to it after packaging.
'''

BROKEN = r'''
Does the kit catch real bugs? Here is the same loss with the student's logits detached, a bug that makes the
loss look fine while nothing is learned from it. The kit must report failures (the cell checks that it does).
'''

STUDY = r'''
## Train with it

Logit matching alone, and added to the label cross-entropy, against the label-only baseline, on the course's
teacher.
'''

CURVES = r'''
Validation accuracy per epoch.
'''

PACKAGE = r'''
## Package it as a plugin

A plugin is a jar with the class and one line in `META-INF/services/org.taqtir.api.StrategyProvider`. This cell
builds it with the JDK's compiler, from the same class text as above. In a real project you would use Maven:
the archetype generates the project, its pom and its contract test (see `docs/plugins.md`):

```bash
mvn archetype:generate -DarchetypeGroupId=org.taqtir -DarchetypeArtifactId=taqtir-strategy-archetype ...
mvn package          # runs the contract test, builds target/<name>.jar
```
'''

RECHECK = r'''
The kit again, now on the class loaded from the jar through `ServiceLoader`: every check passes, the
registration included.
'''

DISCOVER = r'''
A separate Taqtir process with the jar on its classpath finds the new strategy, the same as
`TAQTIR_PLUGIN_PATH=path/to/plugin.jar bin/taqtir describe logit-mse` would.
'''

END = r'''
## What to take away

- A strategy is one class and one service line; no Taqtir code changes.
- The contract kit checks the properties every KD loss must have, and catches silent bugs such as detached
  student logits.
- Package, drop the jar on `TAQTIR_PLUGIN_PATH`, and every study can name it.

Next: **notebook 8** distills a classical ensemble into a small, interpretable student on tabular data.
'''
