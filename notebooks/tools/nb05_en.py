"""Notebook 5 (English prose)."""

TITLE = r'''
# 5 · What did we lose? Fidelity, calibration, harm, inherited errors

*Taqtir course, notebook 5 of 12.* Papers on distillation report one number: the student's top-1 accuracy. But
a student **imitates** its teacher rather than understanding the task. It can match the teacher's accuracy
while agreeing with it less than you think, being more over-confident, failing whole classes, copying the
teacher's mistakes, breaking sooner when the input shifts, and losing abilities nobody tested. Responsible
use means measuring all of this before trusting a student, and writing down what was lost.

This notebook and the next run the evaluation every Taqtir study performs, piece by piece. This one asks how
the student's *answers* changed: accuracy and fidelity, calibration, per-class harm and inherited errors.
Notebook 6 continues with the same students: robustness under shift, what we gained, preservation targets,
an ability nobody tested, and the **Distillation Loss Statement** the study writes. Each table compares the
teacher, the label-only student (the **baseline**: same architecture, never saw the teacher) and two distilled
students, as mean ± std over three seeds on the 10,000 test images.
'''

SETUP = r'''
## The study

The course's teacher (784-1200-1200-10) and a small student (784-64-10, 51k parameters, 1/47 of the teacher),
trained three times (seeds 1–3) per method. The `evaluation` block declares **preservation targets**: what
this (imaginary) deployment needs the student to keep. They are checked at the end.
'''

HELPERS = r'''
## Accuracy and fidelity

`acc` and `top5` are the usual accuracies. **Fidelity** asks whether the student behaves like its teacher
(Stanton et al. 2021): `agreement` is how often their top-1 answers coincide, `kl` the mean
$\mathrm{KL}(p_t \,\|\, p_s)$ between their predictive distributions. `churn` is the fraction of test images
whose prediction changes between two seeds of the *same* method: a student you retrain tomorrow will not
give the same answers.
'''

CALIBRATION = r'''
## Calibration

A model is calibrated when its confidence matches its accuracy: among answers given with 80 % confidence,
80 % should be right. `ece` is the expected calibration error over 15 equal-width confidence bins (Guo et al.
2017), `mce` the worst bin, `nll` and `brier` proper scoring rules; `overconfidence` is the part of ECE from
bins where confidence exceeds accuracy. Every calibration claim must beat the cheapest fix: **temperature
scaling**, one scalar $T$ fitted on the validation split (`temperature`), giving `ece_ts` on test.
'''

RELIABILITY = r'''
The reliability diagram: accuracy per confidence bin; the diagonal is perfect calibration. Points below it
are over-confident.
'''

HARM = r'''
## Per-class harm

An average can hide a class that got much worse (Lukasik et al. 2022). For each class, the change in accuracy
against the baseline with a 95 % paired bootstrap interval (resampling the class's test images, with the seed
pairs kept). A class is **significantly harmed** when the whole interval lies below zero; `classes_harmed`
counts them, `worst_class_acc` is the lowest per-class accuracy. `acc_delta` with its interval is the overall
paired comparison with the baseline.
'''

INHERITED = r'''
## Inherited errors

Does the student copy the teacher's mistakes? `inherited` = P(the student gives the teacher's exact wrong
answer | the teacher is wrong). **Negative transfer** = P(the student is wrong | the teacher is wrong and the
baseline is right): errors the student would not make on its own. **Positive transfer** = P(the student is
right | the teacher is right and the baseline is wrong). Read `inherited` against the label-only baseline, not
against zero: in the recorded run the baseline, which never saw the teacher, already gives the teacher's exact
wrong answer on 74.5 % of the teacher's errors. That is not chance: both models learned from the same labelled
images, and the images the teacher gets wrong tend to be hard or ambiguous ones, on which a model trained on
the same data tends to make the same plausible mistake. Imitation is the excess over the baseline (here 76.4 %
with Hinton KD and 79.1 % with DKD).
'''

END = r'''
## What to take away

- Accuracy is one number among many. Fidelity, calibration, per-class harm and inherited errors can each
  change when accuracy does not.
- Compare with the label-only baseline, use intervals, and say which rule decides "significant".
- Read imitation as the excess over the baseline: two models trained on the same images share many mistakes
  without ever meeting.

## Exercises

1. In the calibration table, which student is the most over-confident before temperature scaling, and does
   the ranking survive `ece_ts`? What does that say about claims that distillation "improves calibration"?
2. The per-class chart marks a class as significantly harmed when its whole interval is below zero. Count the
   harmed classes of each method, then find one class that got worse on average but is *not* counted. Why
   is it not?
3. `inherited` for the baseline is well above zero. Propose a way to estimate how much of a distilled
   student's inheritance is imitation, using only numbers in these tables.
4. Change the student in `lossStudy` from 64 to 256 hidden units (with seeds `[1]` to save time). Which of
   the measures above move?

## What to try next

- `docs/evaluation.md` gives every formula of this notebook, with its source.
- Run any study with `taqtir run`: the same tables are in its `loss-statement.md`.

Next: **notebook 6** continues with the same students: robustness, what we gained, preservation targets, the
omitted-class probe and the Distillation Loss Statement.
'''
