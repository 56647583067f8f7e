"""Notebook 3 (English prose)."""

TITLE = r'''
# 3 · Feature-based distillation: FitNets and attention transfer

*Taqtir course, notebook 3 of 12.* Response-based KD (notebook 2) only looks at the teacher's outputs.
**Feature-based** KD also asks the student to imitate what happens *inside* the teacher: its intermediate
representations. The teacher here is a convolutional network, whose feature maps have a spatial layout we
can look at.

You will learn
- what a **feature tap** is and how a study names one (`student_layer`, `teacher_layer`),
- FitNets (Romero et al. 2015): match a hidden layer through a trainable **adapter**, one or two stages,
- attention transfer (Zagoruyko & Komodakis 2017): match *where* the network looks, not what it computes,
- how to combine a feature term with a response term in one method.
'''

SETUP = r'''
## The study

Teacher: a CNN with two conv blocks of 32 and 64 channels and a 256-unit hidden layer (857,738 parameters).
Student: the same shape with 8 and 16 channels and 64 hidden units (54,314 parameters, about a sixteenth of
the teacher's). Training on CNNs is slower than on MLPs on two CPU cores, so this notebook uses 10,000
training images (the validation and test splits stay complete) and one seed: enough to see the methods work,
not to rank them.

A **method** can be a sum of terms. `fitnets` = cross-entropy on labels + the FitNets hint loss.
`fitnets-2stage` is the paper's original schedule: the hint alone for the first epochs (`until_epoch`), then
KD (`from_epoch`). `at+kd` adds attention transfer to Hinton KD.

The learning rate starts with one **warm-up epoch** at half its value, then follows a cosine. This CNN has no
batch normalisation, and large early steps can kill it: in a run of this notebook without the warm-up, `at+kd`
never left chance level (10 %; Taqtir prints a warning when validation accuracy stays at chance) and Hinton KD
stopped at 78.5 %. With the warm-up the same seed gives 85.4 % and 85.5 %. When a distilled student is far below
the label-only one, check the learning curve for a collapse before blaming the method.
'''

TAPS = r'''
## Feature taps

Every architecture plugin names the intermediate outputs it exposes. `block1`, `block2` are the feature maps
after each conv block, shaped (channels, height, width); `flatten` and `hidden1` are vectors. Strategies ask
for taps by name; the model is not rewritten and asking costs nothing (the forward pass computes them anyway).
Teacher and student taps rarely have the same shape: 256 vs 64 hidden units, 64 vs 16 channels.
'''

RUN = r'''
FitNets bridges a shape mismatch with a linear **adapter** (regressor) from the student's tap to the
teacher's width, trained together with the student and discarded afterwards. AT needs no adapter: it
averages over channels, so only the spatial sizes must agree (here they do; otherwise the larger map is
average-pooled to the smaller).
'''

CURVES = r'''
Validation accuracy per epoch. In `fitnets-2stage`, the first epochs optimise only the hint loss: the
classifier on top is not trained by it, so validation accuracy can stay low until the KD stage begins. That
dip is the schedule, not a bug.
'''

BARS = r'''
Test accuracy per method (one seed, 10,000 training images: read differences of a few tenths of a point as
noise). In the recorded run FitNets (86.5 %) leads, the label-only student (85.5 %), Hinton KD, AT+KD and AT
follow within about a point of it, and the two-stage FitNets trails (84.6 %): its classifier only starts learning
in the KD stage, and the learning curves show it at guessing level for the two hint epochs. With three seeds and twice the data, the CNN study in
[`experiments/fashion-mnist-methods`](../experiments/fashion-mnist-methods) finds FitNets and AT
indistinguishable from the label-only student, and only DIST better than it.
'''

ATTENTION = r'''
## What attention transfer transfers

AT's map for a tap $A$ with $C$ channels is $Q = \frac{1}{C}\sum_c |A_c|^p$ with $p = 2$, flattened and
L2-normalised; the loss is $\frac{\beta}{2}$ times the mean squared difference between the student's and the
teacher's normalised maps. Below: six test images (top row) and the teacher's maps after block 1 (14×14,
middle) and block 2 (7×7, bottom), brighter = more activation energy. Block 1 still resembles the image
(edges, textures); block 2 is coarse and concentrates on a few regions of each garment. Bright columns at the
border come from the zero padding of the convolutions, which the student's maps share. AT asks the student to
spend its activation energy in the same places as the teacher, whatever it computes there.
'''

END = r'''
## What to take away

- Taps expose intermediate outputs by name; strategies pick them in the study.
- FitNets needs an adapter when widths differ; the adapter is trained with the student and then dropped.
- AT matches spatial attention, which is independent of the channel count.
- Feature terms are usually *added* to a response or label term; alone, a feature loss does not train the
  classifier.

## Exercises

1. FitNets' adapter maps the student's `hidden1` onto the teacher's `hidden1`. From the widths the taps cell
   prints, how many weights and biases does it have, and what fraction of the student's size (the `params`
   column) is that? Is the adapter counted in that column, and should it be?
2. Read `fitnets-2stage` off the learning curves in epochs 1 and 2 and compare it with the 10 % of a uniform
   guess. The hint term gives the output layer no gradient in those epochs: how can a classifier that was never
   trained end up on either side of 10 %? Then set `hintEpochs` to 1 in the SETUP cell, so that KD starts one
   epoch earlier, and predict before re-running whether the gap to `hinton-kd` in the results table narrows.
3. Move the `fitnets` hint to `block2` on both sides (`student_layer: block2, teacher_layer: block2`). Using the
   taps cell (a map is flattened to one vector per image), what shape and how many parameters will the linear
   adapter have, compared with the whole student? What will the study do if you also set `regressor: none`, and
   why does `at` on the same pair of taps need no adapter at all?
4. The ATTENTION cell computes the map with `a.square()`, AT's $p = 2$. Replace it with `a.abs()` ($p = 1$) and
   re-run that cell only (the teacher is saved; nothing is retrained). Do the bright regions of the block-2 row
   spread out or concentrate? What would a large $p$ do to the map?

## What to try next

- `taqtir describe fitnets` and `taqtir describe at` list the parameters used above (`regressor`, `p`, `beta`).
  The paper sums AT over several pairs of blocks: add a second `at` term on `block1` to the `at` method.
- Set `seeds: [1, 2, 3]` in the study and see whether the order of the bars survives the std over seeds; then
  read `experiments/fashion-mnist-methods/cnn.yaml`, this CNN pair with three seeds, twice the data and ten
  methods, whose comments explain why its FitNets weight is 10 (results and paired bootstrap intervals in its
  README).
- `docs/plugins.md`, section 7 ("Feature taps, adapters, state"), shows how a strategy of your own asks for taps
  and trains an adapter; notebook 8 writes one.

Next: **notebook 4** distills relations between samples (RKD, SP, CRD).
'''
