"""Notebook 9 (English prose)."""

TITLE = r'''
# 9 · Tabular: an ensemble teacher → a small, interpretable student

*Taqtir course, notebook 9 of 12.* Distillation is not only for neural networks. On tables, the strongest models
are often ensembles of hundreds of trees: accurate, but opaque and heavy. Here the teacher is a gradient-boosted
ensemble (XGBoost, trained by Tribuo inside the study), and the students are a tiny MLP and classical models:
a **depth-3 decision tree** whose rules fit on a screen, a regression tree and a linear model fitted to the
teacher's logits. This is **model compression** in the sense of Bucilă, Caruana & Niculescu-Mizil (2006):
train the small model on what the big one says, and compare it with the same small model trained on the true
labels.

You will learn
- how a study reads a CSV through Tablesaw with a declared schema (target, group column, splits),
- distilling into non-neural students (teacher labels or teacher logits as targets),
- reading a distilled tree's rules,
- checking whether a student treats groups of people differently from its teacher (group disparity).
'''

DATA = r'''
## The data

The diabetes table of Efron et al. (2004), as shipped by scikit-learn (BSD-3; provenance in
`experiments/tabular-compression/data/README.md`): 442 patients, ten baseline variables (age, sex, body-mass
index, blood pressure, six blood serum measurements) and a quantitative measure of disease progression one year
later. Tablesaw reads it directly.
'''

SUMMARY = r'''
Per-column summary statistics (Tablesaw).
'''

SCATTER = r'''
The original task is regression. The study turns it into a balanced binary classification made for this course:
*is progression above the training split's median?* (`binarize_target: median`; the threshold is computed on
the training rows only and recorded). `sex` is kept **out** of the features and used as the **group** column of
the disparity metrics.
'''

STUDY = r'''
## The study

`experiments/tabular-compression/study.yaml`, unchanged except for the output directory: 262 training, 80
validation and 100 test rows by a seeded split; an XGBoost teacher (100 trees of depth ≤ 3); an MLP 9-16-2
trained on labels and with Hinton KD; classical students fitted to the teacher's labels or logits, each
paired with the same model fitted to the true labels. One tree (`tree-d3-munge`) learns from a transfer set
enlarged with MUNGE (Bucilă et al. 2006): synthetic rows made by swapping attributes between nearest
neighbours, labelled by the teacher; only distillation can use such rows, since they have no true label.
Three seeds.
'''

RUN = r'''
The whole study takes seconds. With 100 test rows, one row is one percentage point of accuracy: read
differences of a few points as noise, and the std over seeds with them.
'''

BARS = r'''
Test accuracy of every student and method.
'''

RULES = r'''
## Rules you can read

Every tree student exports its rules (`model.txt` in its run directory). The thresholds are in the standardised
units the model saw (value = mean + z · std, from `data-schema.json`). A doctor can check such a tree against
medical knowledge (body-mass index, blood pressure and the serum measure `s5` are known risk factors); nobody can
check 100 boosted trees that way. Whether the distilled tree is *as good as* the teacher is what the results
table says; whether it is *better than the same tree trained on the true labels* is the question model
compression asks.
'''

GROUPS = r'''
## Group disparity

For each model: test accuracy within each sex group, the gap between them, the **demographic-parity gap**
(Calders & Verwer 2010; difference across groups in the rate of predicting "above median") and the
**equalised-odds gap** (Hardt et al. 2016; the larger of the true- and false-positive-rate differences). A
student inherits its teacher's behaviour, disparities included, and a small student can also *widen* them.
With 100 test rows split into two groups these gaps are noisy: compare them with their std over seeds before
drawing conclusions. The Distillation Loss Statement of the study names any student whose gaps exceed the
teacher's.
'''

END = r'''
## What to take away

- On this table distillation did not beat the true labels. The XGBoost teacher (68.0 % test accuracy) is no
  better than the small students trained on the true labels (MLP 70.3 %, linear model 71.7 %), and no distilled
  student clearly beats its true-label twin: the distilled MLP (69.7 %) and linear model (71.0 %) lose 0.7
  points, the depth-3 tree fitted to the teacher's labels scores the same 65.0 %, and the tree regressing the
  teacher's logits (67.0 %) and the MUNGE tree (68.3 %) gain 2 and 3.3 points, two or three of the 100 test
  rows, within the noise. The machinery works across model families (an ensemble taught a tree, a linear model
  and an MLP), but here the teacher was no more accurate than its students, and had little to give them.
- Compare every distilled student with the same model trained on the true labels.
- Interpretable students let people check what was learned; disparity metrics check for whom it works.

## Exercises

1. The rules cell prints two depth-3 trees, one fitted to the teacher's labels and one to the true labels. Find
   the split where they differ. Does it change any prediction? Use your answer to explain why their rows in the
   group-disparity table are identical.
2. Thresholds are in standardised units. Convert the splits `s5 <= -0.0146` and `bmi <= 0.1467` back to raw
   units with the mean and std of the summary cell (an approximation: the model used the training split's,
   recorded in `data-schema.json`). Is that body-mass index a plausible boundary for a risk factor?
3. The run log says how many synthetic rows MUNGE added for `tree-d3-munge`: relate that number to `munge: 10`
   and the training split. Add `overrides.put("students[2].architecture.params.munge", "30");` to the STUDY
   cell and predict the new count before running. Does the MUNGE tree's test accuracy move by more than its
   std over seeds?
4. In the group-disparity table, which students have a larger `eo_gap` than the teacher? For each, is the
   difference larger than the student's std over seeds? Which student would you deploy if you had to keep the
   teacher's accuracy *and* not widen its gaps?

## What to try next

- `experiments/tabular-compression` is this study as a command-line run (its `study.yaml`, run with
  `bin/taqtir run`), with its committed results, the trees' rules (`results/rules`) and the Distillation Loss
  Statement, which opens with the group-disparity table. The other folders of
  `experiments/` hold the full studies behind the earlier notebooks, with their results and Loss Statements.
- `docs/study-reference.md`, sections "Tabular data (csv)" and "Classical (Tribuo) students": the keys for a
  CSV of your own (`data.file`, `data.target`, `data.group`, `data.binarize_target`, `data.categorical`) and
  the students' parameters (`target`, `munge`, `munge_p`, `munge_s`; also `taqtir describe tribuo-tree`).
- `taqtir describe tribuo` lists the teacher's parameters: with more or deeper trees
  (`teacher.load.params.trees`, `teacher.load.params.max_depth`) or `model: random-forest`, does the teacher
  pull ahead of its students, and do the distilled students follow it?

Next: **notebook 10** asks *when does distillation help?*, with studies where the teacher has more to give
than it had here.
'''
