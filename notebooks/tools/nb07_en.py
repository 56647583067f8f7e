"""Notebook 7 (English prose)."""

TITLE = r'''
# 7 · A cascade with teacher fallback: choosing the threshold

*Taqtir course, notebook 7 of 12.* A distilled student is cheaper than its teacher and worse than it. Instead of
choosing one of the two, keep both: let the student answer when it is confident, and **defer** to the teacher
when it is not (Jitkrittum et al. 2023, "When does confidence-based cascade deferral suffice?"). Most inputs
are easy and cost only the student; the hard ones get the teacher. This is also the responsible way to deploy a
student: a fallback for exactly the inputs where it should not be trusted.

You will learn
- how a student's confidence separates its right answers from its wrong ones,
- the accuracy–deferral curve, and what an oracle and random deferral achieve,
- how to choose the threshold τ on validation for a target accuracy, a cost budget or a deferral cap, and
  read its effect on test.
'''

SETUP = r'''
## The models

The course's teacher, and a deliberately small student (784-32-10) distilled with Hinton KD; a label-only twin
is trained too. Everything in this notebook uses the outputs the study already computed: validation and test
logits of teacher and students, and each model's latency per sample measured at batch 1 on this machine.
'''

PIECES = r'''
A cascade's cost per sample is the student's latency, plus the teacher's for the deferred fraction:
$\text{cost} = c_s + \text{deferral} \cdot c_t$.
'''

CONFIDENCE = r'''
## Confidence

The simplest rule defers when the student's highest probability is below τ. It works if wrong answers tend to
have low confidence. The histogram shows it on the validation split: the wrong answers (red) pile up at low
confidence, but some are made with high confidence, and those a confidence rule can never catch.
'''

CURVES = r'''
## The accuracy–deferral curve

Sweeping τ from 0 (never defer: the student) to above every confidence (always defer: the teacher) traces a
curve. Three confidence rules are shown: max probability, the **margin** between the two most probable classes,
and the (negative) **entropy**. Two references bound them: **random** deferral (a straight line from student to
teacher accuracy) and the **oracle**, which defers exactly the samples the student gets wrong and the teacher
right (unreachable, but it shows how much room there is). A good rule climbs steeply at first: the first
deferred samples are the ones most likely to be fixed.
'''

CHOOSE = r'''
## Choosing τ

τ is a model-selection decision, so it is chosen on the **validation** split and then applied, unchanged, to
test. Three ways to state what you want: reach an accuracy (here the teacher's validation accuracy minus half a
point), stay within a cost budget (30 % of the teacher's latency per sample), or send at most 10 % of the
traffic to the teacher. The table shows the τ each gives and what it does on test.
'''

COST = r'''
The same curve in the units a deployment cares about: accuracy against measured milliseconds per sample.
Points on the curve left of the teacher and near its height are the reason to build a cascade.
'''

END = r'''
## What to take away

- Confidence-based deferral turns one student and one teacher into a whole family of cost/accuracy trade-offs.
- Compare every rule with random deferral and the oracle.
- Choose τ on validation; report test.
- Studies do this automatically: the `evaluation` block's `cascade_rule`, `target_accuracy`, `cascade_budget`
  and `cascade_max_deferral` keys, with the result in the Distillation Loss Statement (`docs/evaluation.md`).

## Exercises

1. Choose τ for a target accuracy one point *below* the teacher's instead of half a point. How much traffic
   goes to the teacher now, and how much cheaper is the cascade per sample?
2. Which of the three confidence rules climbs fastest at small deferral here? Is it the same rule at 30 %
   deferral?
3. The oracle curve reaches the teacher's accuracy at a small deferral rate. Explain why no confidence rule
   can follow it, using the histogram of wrong answers' confidences.
4. Replace the distilled student by its label-only twin in the cascade. Which makes the better *first
   stage*, at equal deferral?

## What to try next

- Add `cascade_rule: margin` and `target_accuracy: 0.88` to the `evaluation` block of a study and read the
  cascade section of its Loss Statement.
- Temperature-scale the student before the cascade (notebook 5's `temperature`): does a calibrated
  confidence defer better?

Next: **notebook 8** writes a new strategy in the notebook and packages it as a plugin.
'''
