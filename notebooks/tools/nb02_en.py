"""Notebook 2 (English prose)."""

TITLE = r'''
# 2 · Response-based distillation

*Taqtir course, notebook 2 of 8.* Notebook 1 showed what a teacher's soft targets contain. Here we train a
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
(`labels-only`), which a study writes as a method with two `terms`. DKD's warm-up (its weight ramps up over the
first epochs; 20 of 240 in the paper) is shortened to 2 of our 10 epochs.
'''

RUN = r'''
Training takes a few minutes (10 runs). The table gives test accuracy as mean ± std over the seeds, the
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

END = r'''
## Reading this result honestly

Look at the table before believing the textbook story. On this pair (an 89 % teacher, a 100k-parameter
student that reaches about 88 % on its own) distillation has little room: the teacher is barely better than
the student, and a KD student can even end *below* the label-only one, as several do in the run shown
here, while agreeing more with the teacher. That is a finding, not a failure of the notebook: KD helps most
when the teacher is clearly better than what the student can learn alone.

DKD collapsed in this run: with its paper's weights (β = 8 at T = 4, so the non-target term is scaled by
T²·β = 128) and the warm-up shortened to 2 epochs, training diverged to chance level within two epochs at this
learning rate (its learning curve shows it, and its fidelity row). The study still reports it, as it must.
In an earlier run of this notebook, DKD with its default 20-epoch warm-up (at most half weight in 10 epochs; that
run also lacked the CE term) reached 87.4 %; a smaller β or learning rate should help as well. Always read the
per-epoch validation accuracy before trusting a number. The experiments in
`experiments/fashion-mnist-methods` measure this with three seeds and paired comparisons.

## What to take away

- Response-based KD changes the student's training signal only; the architecture stays the same.
- Report mean ± std over seeds and select epochs on validation, never on test.
- Accuracy and fidelity are different questions.

Next: **notebook 3** distills intermediate features (FitNets, AT), not only outputs.
'''
