"""Notebook 8 (English prose)."""

TITLE = r'''
# 8 · Write your own strategy

*Taqtir course, notebook 8 of 12.* Every distillation method in Taqtir is a plugin: one class implementing
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

MY_KD = r'''
## Exercise: write Hinton KD yourself

Before reading the next cell, write the classic KD loss yourself in a new cell: a `StrategyProvider` whose
`loss` returns
$$\mathcal{L} = (1-\alpha)\,\mathrm{CE}\big(y, \mathrm{softmax}(s)\big)
 + \alpha\,T^2\,\frac{1}{B}\sum_i \mathrm{KL}\big(\mathrm{softmax}(t_i/T)\,\|\,\mathrm{softmax}(s_i/T)\big).$$
Three decisions matter: the direction of the KL (teacher first: the student is pulled towards the teacher's
whole distribution), the reduction (summed over classes, averaged over the batch: PyTorch's `batchmean`, not
`mean`, which would also divide by the number of classes), and the $T^2$. Then compare yours with the cell
below, which is one solution, with a switch for the most common bug: a missing $T^2$.
'''

CHECK = r'''
The check runs your loss and the built-in `hinton-kd` on the same random batches at several temperatures and
weights, through `GoldenLosses.loss` from the test kit (the way the training loop calls a strategy). A correct
version matches to float32 precision. The version without $T^2$ matches only at $T = 1$; elsewhere the ratio
tells you what is missing. Then the contract kit runs on the buggy version: the only check it fails is the
service registration, which only packaging can satisfy (below), so the kit cannot see the missing $T^2$.
Golden values against an independent implementation can, which is why every built-in KD loss has them.
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

## Exercises

1. Change `MyHintonKd` to average the KL over classes too (`mean()` over the whole array instead of a sum over
   classes and a mean over the batch). Predict the ratio to `hinton-kd` before running the check.
2. Swap the KL's direction to $\mathrm{KL}(p_s \,\|\, p_t)$. At which temperatures does the check still pass,
   if any? Why does the contract kit still pass?
3. Register your `MyHintonKd(true)` with `registerStrategy` and add `{id: my-hinton-kd}` to the study above.
   Does it train to the same accuracy as the built-in one with the same seed? Should it be bitwise equal?
4. Logit matching is the $T \to \infty$ limit of KD when each sample's logits have zero mean. In the check
   cell, subtract each row's mean from the random logits, then compare `logit-mse` with `my-hinton-kd` at
   $\alpha = 1$ and $T = 100$: what factor relates them, and why?

## What to try next

- `docs/plugins.md` walks through the archetype, the contract kit, golden values and packaging.
- `java -cp taqtir-testkit-VERSION.jar org.taqtir.testkit.GoldenScript` writes the NumPy helper for golden
  values of your own strategy.

Next: **notebook 9** distills a classical ensemble into a small, interpretable student on tabular data.
'''
