"""Notebook 5 (English prose)."""

TITLE = r'''
# 5 · What did we lose?

*Taqtir course, notebook 5 of 8.* Papers on distillation report one number: the student's top-1 accuracy. But
a student **imitates** its teacher rather than understanding the task. It can match the teacher's accuracy
while agreeing with it less than you think, being more over-confident, failing whole classes, copying the
teacher's mistakes, breaking sooner when the input shifts, and losing abilities nobody tested. Responsible
use means measuring all of this before trusting a student, and writing down what was lost.

This notebook runs the evaluation every Taqtir study performs, piece by piece, and ends with the
**Distillation Loss Statement** the study writes. Each table compares the teacher, the label-only student
(the **baseline**: same architecture, never saw the teacher) and two distilled students, as mean ± std over
three seeds on the 10,000 test images.
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
wrong answer on 74.7 % of the teacher's errors. That is not chance: both models learned from the same labelled
images, and the images the teacher gets wrong tend to be hard or ambiguous ones, on which a model trained on
the same data tends to make the same plausible mistake. Imitation is the excess over the baseline (here 76.3 %
with Hinton KD and 78.4 % with DKD).
'''

SHIFT = r'''
## Robustness under shift

The test images again, corrupted five ways (Gaussian noise, blur, lower contrast, rotation, a zeroed square)
at three severities each, deterministically from a seed. For each kind: accuracy (mean of the three
severities), the drop from clean accuracy, and that drop minus the teacher's drop (positive: the student
breaks more than its teacher).
'''

EFFICIENCY = r'''
## What we gained

The reason to distil: size and speed. Parameters, bytes, median CPU latency at batch 1 and 256 measured on
this machine, and the speed-up over the teacher.
'''

TARGETS = r'''
## Preservation targets

Targets make "good enough" explicit (Wang 2026, "Knowledge Distillation Must Account for What It Loses").
Relative targets compare with the teacher (`ece <= teacher + 0.02`). `taqtir run` exits non-zero when
`evaluation.fail_on_targets` is set and one is not met, so a CI pipeline can refuse a student.
'''

OMITTED = r'''
## Abilities nobody tested: the omitted-class probe

Hinton et al. (2015) distilled MNIST with a transfer set containing no 3s: the student still recognised most 3s,
because the teacher's soft targets for other digits carry information about 3-ness, once the 3's output bias
was raised. We repeat it: every student learns without a single Dress (class 3); the teacher, validation and
test keep it. The bias is chosen on the **validation** split, without labels: the value that makes the
student's predicted frequency of the class match the teacher's. The label-only baseline has never seen the
class and is the reference.
'''

STATEMENT = r'''
## The Distillation Loss Statement

Every study writes this document (`loss-statement.md` and `.html`, with the charts) next to its results table.
Every sentence is generated from a number computed above: what was preserved, what was lost (with intervals
and the significance rule), where the student must not be trusted, the recommended deferral threshold for a
cascade (notebook 6), the gains, and the configuration and seeds behind it.
'''

END = r'''
## What to take away

- Accuracy is one number among many. Fidelity, calibration, per-class harm, inherited errors, robustness and
  untested abilities can each change when accuracy does not.
- Compare with the label-only baseline, use intervals, and say which rule decides "significant".
- Write down what was lost, and keep a fallback to the teacher where the student must not be trusted.

Next: **notebook 6** builds that fallback.
'''
