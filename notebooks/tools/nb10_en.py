"""Notebook 10 (English prose)."""

TITLE = r'''
# 10 · When does distillation help?

*Taqtir course, notebook 10 of 12.* In notebooks 2 and 5 the distilled students ended at or *below* the
student trained on the labels alone. That is a true result for that setting, not a verdict on distillation.
Look at what the setting was:

- **The teacher had little to give.** It is about one point better than the small student on its own (89 %
  against 88 %). A student cannot learn from the teacher what the teacher does not know better.
- **The student had every label.** With 55,000 labelled images the labels already say almost everything the
  teacher's outputs say; the soft targets add a little similarity structure (notebook 1) and take away a
  little of the label signal (α = 0.9 puts 90 % of the weight on the teacher).
- **The transfer set was the teacher's own training set**, where a teacher is more confident than anywhere else,
  so its soft targets are at their least soft.
- **Short schedules, no augmentation.** Ten epochs leave little room for the regularising effect that soft
  targets can have on long training.

Published demonstrations differ exactly there. The Keras example (keras.io, "Knowledge Distillation", Borup
2020) reports on MNIST a teacher of about 97.6 %, a student from scratch of about 97.6 % and a distilled student
of about 98.1 %, from one run ("remove or try out different seeds"), with `alpha=0.1, temperature=10` in
Keras's convention (notebook 2). Hinton, Vinyals & Dean (2015, "Distilling the Knowledge in a Neural Network")
used a strongly regularised teacher, a student without regularisation, and two settings in which labels are
scarce: a class missing from the transfer set, and 3 % of the data.

This notebook measures where distillation helps, with the same rigour as the rest of the course: three seeds,
epochs selected on validation, and a 95 % paired bootstrap interval for every difference. It runs one study
family live and reads the committed results of two longer ones.
'''

SETUP = r'''
## Few labels, many unlabelled images

This is the setting in which language models are distilled: the small model learns from the large model's
outputs on plenty of input that nobody labelled, not from the original labelled data. Here the teacher (the
course's 784-1200-1200-10, trained on every label) gives its outputs on all 55,000 training images; the
students keep labels for only N of them (`data.labelled: N`, the same number per class).

- `labels-only` learns from the N labelled images alone, cycled so that it takes as many steps as the
  distilled student; its epoch is selected on the validation split like every run's.
- `hinton-kd` (T = 4, α = 0.9) learns from the teacher's outputs on every image; its label term sees the N
  labels (an unlabelled image's one-hot row is all zeros, so it adds nothing to that term).
- N = all is the setting of notebook 2. The study is `experiments/few-labels` in notebook form.
'''

FEW = r'''
Four studies of six runs each (two methods, three seeds), a few minutes in all. Read the verdict column: a
difference counts only when its whole 95 % interval lies on one side of zero.
'''

FEW_CHART = r'''
The distilled student's accuracy hardly depends on N: it learns what the teacher knows from the teacher's
outputs, and the labels matter little. The label-only student climbs with every label it gets and, with all of
them, passes the distilled one. Somewhere between the largest N shown and all 55,000 labels the two lines cross.
'''

INHERIT = r'''
## What the gain costs

A student that learns from its teacher's outputs learns its teacher's *mistakes* too (notebook 5). Where the
teacher is wrong, how often does the student give the teacher's exact wrong answer? Compare the distilled
student with the label-only one at the same N, not with zero: models trained on the same images share many
plausible mistakes. Agreement and calibration (ECE, notebook 5) complete the picture.
'''

HINTON = r'''
## A published result, reproduced (and where it was not)

`experiments/hinton-2015` repeats section 3 of Hinton et al. in its Fashion-MNIST form: a 784-1200-1200-10 teacher
with dropout 0.5 and inputs jittered by up to two pixels, a 784-800-800-10 student trained on hard labels or on
soft targets at T = 20, three seeds each. The paper's numbers are MNIST test accuracies (its 3 % experiment is
a speech model's frame accuracy); ours are Fashion-MNIST test accuracies, a harder task, so compare the *shape*
of each result, not the levels.

- **Not reproduced: the gain on the whole training set.** Our jittered teacher is *worse* than a student trained
  on hard labels alone, so its soft targets pull the student down; without jitter the teacher is better, but
  the student on soft targets still ends below the hard-label one. A teacher that is not better than the
  student alone cannot be the source of a gain, and the paper's MNIST teacher was.
- **Reproduced: the omitted class.** The students never see a Dress. On hard labels they cannot name one; on
  the teacher's soft targets they recognise most Dresses, learned only from how the teacher spreads its
  probability over the other classes, and a bias on the Dress logit chosen on validation (without labels)
  recovers more. This is the strongest evidence in the course that soft targets carry knowledge that labels do
  not: the "dark knowledge" of notebook 1, measured.
- **Reproduced: 3 % of the data.** With 1,650 training images the student on soft targets beats the hard-label
  student, with an interval entirely above zero.
'''

STRONG = r'''
## A stronger teacher is not enough

`experiments/strong-teacher` tries the other obvious lever: a CNN teacher, regularised with dropout and jitter,
clearly better than the course's MLP teacher, distilled into MLPs of 32 and 128 hidden units with the full
labelled set, T ∈ {2, 4, 8} and α ∈ {0.5, 0.9}. It did not help: at best a tie, and the rest significantly worse,
more so at higher T and α. An MLP cannot represent what a CNN knows about local image structure, and with
every label available the teacher's outputs mostly ask it to imitate what it cannot. A larger gap between teacher
and student is not always a better teacher (Cho & Hariharan 2019, "On the Efficacy of Knowledge Distillation";
Mirzadeh et al. 2020, "Improved Knowledge Distillation via Teacher Assistant").
'''

END = r'''
## The map

| setting | did distillation beat the label-only twin? |
|---|---|
| every label, teacher one point better (notebooks 2, 5) | no: tie or worse |
| every label, a stronger CNN teacher, MLP students | no: tie or worse |
| few labels, the teacher's outputs on every image | **yes**, by a wide margin, at every N up to 5,000 |
| a class absent from the transfer set (Hinton) | **yes**: the student recognises a class it never saw |
| 3 % of the data (Hinton) | **yes** |
| every label, Hinton's regularised teacher, on Fashion-MNIST | no: the teacher was not better than the student |

Distillation helps when the teacher knows something the student cannot get from its own labels: labels that are
few, missing for a class, or absent altogether on the inputs the student will learn from. It does not help by
itself when the student already has what the teacher knows. And where it helps, the student inherits the
teacher's mistakes along with its knowledge: measure both (notebooks 5 and 6).

## Exercises

1. Add N = 20,000 to `ns` in the few-labels cell (one seed to save time). Is the distilled student still ahead?
   Where would you look for the crossing point, and how many seeds would you need to locate it?
2. Change the distilled student's α from 0.9 to 0.5 at N = 100. The label term now weighs five times more; with
   only 100 labels, is that good or bad? Predict, then run.
3. In the "what the gain costs" table, the distilled student repeats the teacher's mistakes more often than the
   label-only one. Is that a reason not to distil at N = 100? Argue with the accuracy table and with notebook 7's
   cascade in mind.
4. The Keras example reports a gain from one run. Using this course's numbers for seed-to-seed spread, how large
   must a single-run difference be before you believe it?

## What to try next

- `experiments/few-labels`, `experiments/strong-teacher` and `experiments/hinton-2015` have the full studies, their
  Loss Statements and READMEs; `docs/results.md` maps every committed result.
- Try few labels with a stronger teacher: the CNN teacher of `experiments/strong-teacher` and `data.labelled`.
- The language-model studies (`docs/language-models.md`) are the few-labels setting at its extreme: the student
  never sees a label, only the teacher's distribution over the next token.

Next: [notebook 11](11-lm-forward-reverse-kl.ipynb) takes distillation to language models, where the student
learns only from the teacher's distribution over the next token; notebook 12 measures what it loses.
'''
