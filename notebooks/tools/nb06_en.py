"""Notebook 6 (English prose)."""

TITLE = r'''
# 6 · What did we lose? Robustness, gains, targets and the Loss Statement

*Taqtir course, notebook 6 of 12.* Notebook 5 compared how the students *answer* on clean test images. This
notebook continues with the same students (the course's teacher, a 784-64-10 student, label-only, Hinton KD
and DKD, three seeds each): how they break when the input shifts, what distillation bought us, whether the
students meet the targets a deployment sets, whether they kept an ability that nobody tested, and finally the
**Distillation Loss Statement** every Taqtir study writes.

You will learn
- how to measure robustness under shift relative to the teacher,
- how to write preservation targets that a CI pipeline can enforce,
- how Hinton's omitted-class probe tests an ability the transfer set never showed,
- what a Loss Statement contains and where each of its sentences comes from.
'''

SETUP = r'''
## The students of notebook 5

If notebook 5 has run on this machine, its trained students are evaluated again here (the same weights, so the
same numbers; only measured latencies change); otherwise they are trained first, which takes as long as
notebook 5.
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

This is the clearest *win* for distillation in the course so far: a label-only student cannot name a class it
never saw, while a distilled one recognises most of its examples, learned only from how the teacher spreads its
probabilities over the other classes. Notebook 10 repeats the experiment at the paper's scale, with the
paper's numbers beside ours.
'''

STATEMENT = r'''
## The Distillation Loss Statement

Every study writes this document (`loss-statement.md` and `.html`, with the charts) next to its results table.
Every sentence is generated from a number computed above: what was preserved, what was lost (with intervals
and the significance rule), where the student must not be trusted, the recommended deferral threshold for a
cascade (notebook 7), the gains, and the configuration and seeds behind it.
'''

END = r'''
## What to take away

- A student can match its teacher on clean images and still break sooner when the input shifts; measure the
  drop relative to the teacher's.
- Write down what "good enough" means as targets, and let a pipeline refuse a student that misses them.
- Test abilities the transfer set never showed: the omitted-class probe is where distillation shows what a
  teacher's soft targets carry beyond the labels.
- The Loss Statement is the document to hand over with a distilled model.

## Exercises

1. Add a target of your own to `lossStudy`'s `evaluation.targets` (for example `"corruption.blur.acc_drop
   <= teacher + 0.02"`) and re-run with one seed. Which students meet it?
2. The omitted-class probe raises the class's output bias after training. Why must the bias be chosen on the
   validation split, and why without its labels?
3. Replace class 3 by class 6 (Shirt) in the probe. Shirts are often confused with T-shirts, pullovers and
   coats; do you expect more or less transfer than for dresses? Run it and compare.
4. Read the Loss Statement above and find the sentence that tells a deployer where not to trust the student.
   Which number is it computed from?

## What to try next

- `taqtir run` writes the same statement as `loss-statement.html`, with its charts, for any study.
- `experiments/hinton-2015` runs the omitted-class and "3 % of the data" experiments with the paper's
  networks.

Next: **notebook 7** builds the fallback the statement recommends: a cascade that defers to the teacher.
'''
