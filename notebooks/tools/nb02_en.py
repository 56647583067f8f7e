"""Notebook 2 (English prose)."""

TITLE = r'''
# 2 · Response-based distillation

*Taqtir course, notebook 2 of 12.* Notebook 1 showed what a teacher's soft targets contain. Here we train a
small student (784-128-10, about 100k parameters, one twenty-fifth of the teacher) on them, with several
**response-based** strategies (they look only at the teacher's outputs), and compare with the same student
trained on the labels alone.

You will learn
- the classic KD loss and three modern variants (DKD, DIST, NKD) and what each changes,
- how to read a result table with mean ± std over seeds,
- that accuracy is not the only thing distillation changes: *fidelity* (agreeing with the teacher) is another,
- how the temperature changes the outcome.
'''

SETUP = r'''
## The study

The teacher is the one from notebook 1 (reused from `runs/notebooks/teachers`, not retrained). The student is
trained 10 epochs with SGD and a cosine schedule, once per strategy and seed. The epoch kept for each run is
the one with the best **validation** accuracy; the test split is read once, for that epoch.
'''

DESCRIBE = r'''
Every strategy is a plugin that documents itself: its paper, its formula, its parameters (`taqtir describe
<id>` prints the same). In short:

- **Hinton KD** (2015): $\mathcal{L} = (1-\alpha)\,\mathrm{CE}(y, p_s) + \alpha\,T^2\,\mathrm{KL}(p_t(T)\,\|\,p_s(T))$.
- **DKD** (Zhao et al. 2022) splits that KL into a *target-class* part (TCKD: how sure is the teacher?) and a
  *non-target* part (NCKD: how does it spread the rest?) and weights them separately ($\alpha$, $\beta$),
  because in plain KD the useful non-target part is suppressed exactly when the teacher is confident.
- **DIST** (Huang et al. 2022) asks the student to match the teacher's predictions only up to a linear
  relation: it maximises the Pearson correlation between student and teacher probabilities, across classes
  for each sample (the *inter-class* relation) and across the samples of a batch for each class (the
  *intra-class* relation).
- **NKD** (Yang et al. 2023) normalises the non-target probabilities before matching them.

DKD, DIST and NKD are distillation terms only: as in their papers, each is *added* to the label cross-entropy
(`labels-only`), which a study writes as a method with two `terms`. DKD keeps its paper's warm-up: its weight
ramps up linearly over the first 20 epochs (of 240 in the paper), so in our 10 epochs it never reaches full
strength. The last section shows what happens when the warm-up is shortened.

**Conventions differ between frameworks; check them before you copy a number.**

- *Which term α weighs.* Taqtir follows Hinton et al.: $\alpha$ weighs the **soft** (distillation) term and
  $1-\alpha$ the label term, so `alpha: 0.9` means "mostly the teacher". The Keras example
  (keras.io, "Knowledge Distillation") writes `alpha * student_loss + (1 - alpha) * distillation_loss`: its
  α weighs the **hard** label loss. Keras's `alpha=0.1` is Taqtir's `alpha: 0.9`.
- *The $T^2$ factor.* Taqtir multiplies the soft term by $T^2$ (notebook 1 shows why); code that leaves it
  out silently turns the soft term down as $T$ grows.
- *The temperature is for training only.* The student is trained to match $p_t(T)$ with $p_s(T)$, but it
  **predicts at $T = 1$**: every accuracy, agreement and calibration number in this course is computed from
  the plain softmax of its logits. (Dividing by $T$ does not change the argmax, but it does change confidence
  and so calibration.)
'''

RUN = r'''
Training takes a few minutes (10 runs; under three on an idle two-core machine). The table gives test accuracy as mean ± std over the seeds, the
teacher in its first line.
'''

CURVES = r'''
Learning curves: validation accuracy per epoch for every run. Compare where each method starts, how fast
it climbs and where it ends; the epoch kept for each run is its best validation epoch.
'''

BARS = r'''
Test accuracy per method with its spread over seeds. With two seeds, differences smaller than the spread
are not evidence of anything; the experiments in `experiments/fashion-mnist-methods` use more seeds and
paired comparisons.
'''

FIDELITY = r'''
## Fidelity: imitating the teacher

A distilled student is supposed to behave like its teacher. *Top-1 agreement* is how often both give the
same answer; $\mathrm{KL}(p_t \,\|\, p_s)$ measures how far apart the whole predictive distributions are
(Stanton et al. 2021, "Does knowledge distillation really work?"). The label-only student is the reference:
it never saw the teacher, so whatever agreement it has comes from both learning the same task. Read the
table: does a strategy that raises agreement also raise accuracy? Not necessarily; a student can copy the
teacher more closely, mistakes included (notebook 5 measures exactly that).
'''

SWEEP = r'''
## Temperature

The same Hinton KD, one seed, at several temperatures, against the label-only baseline of the same run.
$T = 1$ gives almost hard targets (notebook 1); large $T$ spreads the targets towards uniform. One seed is
enough to see the shape of the curve, not to rank neighbouring values.
'''

COLLAPSE = r'''
## When a loss collapses: DKD's warm-up

DKD's non-target term is large: its paper's $\beta = 8$ at $T = 4$ multiplies it by $T^2\beta = 128$. The
paper ramps the term up over 20 epochs so that a freshly initialised student is not hit by it at full strength
at once. An earlier version of this notebook shortened that warm-up to 2 epochs "to fit our 10-epoch
schedule": DKD collapsed within two epochs, and its collapse dominated every table and chart. The cell below repeats that
run (one seed) next to the DKD of the study above.
'''

END = r'''
## Reading this result honestly

Look at the table before believing the textbook story. On this pair (an 89 % teacher, a 100k-parameter
student that reaches about 88 % on its own) distillation has little room: the teacher is barely better than
the student, and a KD student can even end *below* the label-only one while agreeing more with the teacher.
That is a finding, not a failure of the notebook: KD can only help when the teacher knows something the student
cannot get from its own labels, for example when the student has few labels and many unlabelled inputs.
Notebook 10 shows studies where distillation wins by a clear margin, and one where a stronger teacher alone did
not help.

The DKD section is the other lesson: a hyper-parameter copied out of its context (a warm-up measured in a
240-epoch schedule) can break a method completely. Always look at the per-epoch validation accuracy before
trusting, or dismissing, a number.

## What to take away

- Response-based KD changes the student's training signal only; the architecture stays the same.
- Report mean ± std over seeds and select epochs on validation, never on test.
- Accuracy and fidelity are different questions.
- Know your framework's conventions: which term α weighs, whether $T^2$ is applied, and that the student
  predicts at $T = 1$.

## Exercises

1. Change Hinton KD's `alpha` from 0.9 to 0.5 in the study and re-run (with one seed to save time). Does the
   gap to `labels-only` close? (`experiments/strong-teacher` measured this with three seeds.)
2. A colleague reports "Keras KD with `alpha=0.1, temperature=10`". Write the Taqtir strategy line that trains
   the same loss.
3. With the default warm-up of 20 epochs, what weight does DKD's non-target term carry in epoch 5 of 10
   (counting from 1)? Compare it with the 128 of a full-strength term.
4. In the fidelity table, find a method whose agreement with the teacher rose while its accuracy fell. What
   does the student copy that it should not?

## What to try next

- `taqtir describe dkd` lists DKD's parameters; try `beta: 2` with a short warm-up and see whether it still
  collapses.
- `experiments/fashion-mnist-methods` compares thirteen methods on this pair with three seeds and paired
  bootstrap intervals.

Next: **notebook 3** distills intermediate features (FitNets, AT), not only outputs.
'''
