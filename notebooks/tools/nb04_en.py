"""Notebook 4 (English prose)."""

TITLE = r'''
# 4 · Relation-based distillation: RKD, SP, CRD

*Taqtir course, notebook 4 of 12.* Response-based KD copies the teacher's answer for each sample; feature-based
KD copies its internal representation of each sample. **Relation-based** KD copies something in between: how
the teacher relates samples *to each other*. Two shirts should be close, a shirt and a sandal far apart, and
the student is free to represent each sample however it likes as long as these relations hold.

You will learn
- RKD (Park et al. 2019): match pairwise **distances** and triplet **angles** of embeddings,
- SP (Tung & Mori 2019): match the batch's **similarity matrix**,
- CRD (Tian et al. 2020): a **contrastive** objective: the student's embedding of a sample must pick out the
  teacher's embedding of the same sample among many others (negatives kept in a bounded queue),
- how to look at relations directly, and measure how close a student's are to its teacher's.
'''

SETUP = r'''
## The study

The MLP teacher of notebooks 1 and 2 (reused) and the 784-128-10 student. Each relation term reads the
teacher's last hidden layer (`hidden2`, 1200 units) and the student's only one (`hidden1`, 128 units): relations
are computed within each embedding space, so the widths may differ without an adapter (CRD has its own
projection heads). Each method adds the relation term to the label cross-entropy, with the weights of the
papers: RKD 25 (distance) and 50 (angle), SP γ = 3000, CRD β = 0.8. The CRD queue is bounded at 4 MB (the
`memory_mb` parameter; the run log states how many negatives that holds).
'''

RUN = r'''
Five runs of six epochs, one seed (enough to compare what each method does to the embedding space; the
experiments in `experiments/fashion-mnist-methods` rank the methods with three seeds). RKD's angle term costs O(B³) per batch: at batch 128 that is 2 million triplets, and
the strategy refuses batches above `max_batch` instead of exhausting memory.
'''

BARS = r'''
Test accuracy per method (one seed).
'''

LOAD = r'''
## Looking at relations

Every run saved its selected student (`student-0000.params` in its run directory). We reload the students
and the teacher, and take their embeddings of 200 test images: 20 of each class, grouped by class.
'''

RELATIONS = r'''
For each embedding space we compute the cosine similarity of every pair of the 200 images, and compare each
student's matrix with the teacher's: the mean absolute difference over the 19,900 pairs, and the correlation
between the two matrices. This is close to what SP optimises (SP uses dot products normalised per row, on
training batches); the other methods never see this number. Read the table: which methods made the
student's relations most like the teacher's, and does that order match the accuracy order?
'''

HEATMAPS = r'''
The similarity matrices themselves (rows and columns: the 200 images, class by class, T-shirt/top first, ankle boot
last; yellow = similar, purple = dissimilar). The teacher's shows bright blocks on the diagonal (images of a class resemble each other) and
off-diagonal blocks between classes it finds alike (tops with shirts and coats, the three kinds of shoes).
Compare the students' matrices with it.
'''

CLEANUP = r'''
Release the native memory held by the loaded models.
'''

END = r'''
## What to take away

- Relation-based KD transfers the geometry of the teacher's embedding space, not the embeddings themselves,
  so teacher and student widths may differ.
- RKD's angle term is cubic in the batch size: bound it.
- CRD needs many negatives; a bounded queue (memory stated in MB) keeps that affordable.
- You can check what a method transferred by measuring the very thing it claims to transfer.

## Exercises

1. RKD's angle term compares every triplet of a batch, $B^3$ of them. How many is that at this notebook's batch
   of 128, at 256, and at RKD's default `max_batch` of 512? Halving the batch to 64 doubles the steps per
   epoch: by what factor does the angle work *per epoch* change? Compare RKD's `epoch_s` with `labels-only`'s
   in the results table.
2. The run log states the CRD queue's size K for `memory_mb: 4`. Reproduce it: each negative is a `dim`-wide
   (128) row of 4-byte floats, and 1 MB is $2^{20}$ bytes. What K would `memory_mb: 16` give? With batches of
   128, how many steps does it take to replace every negative once, so how many steps old is the oldest one?
3. In the relations table, which method's student is furthest from the teacher by the mean absolute gap? Find
   it among the similarity maps, beside the teacher's: is the difference mostly a different pattern of blocks,
   or the same pattern shifted brighter overall? Which of the table's two columns would not see such a shift?
4. Rank the five methods by the correlation column, then by test accuracy. Are the two orders the same? What
   does your answer say about judging a relation-based method by how well it copied the relations?

## What to try next

- `taqtir describe rkd` and `taqtir describe crd`: give `rkd` `angle_weight: 0` to keep only its distance term
  (quadratic in the batch, not cubic) and compare `epoch_s`; give `crd` a paper-sized queue (`memory_mb: 16`)
  or another `tau`.
- The teacher also exposes `hidden1`: point SP's `teacher_layer` at it (and the LOAD cell's `hidden2` too, to
  measure against the layer it copied). Are the relations of the teacher's first layer easier for a 128-unit
  student to copy, and does its accuracy follow?
- `experiments/fashion-mnist-methods/mlp.yaml` trains this MLP pair with RKD, SP and CRD (a 16 MB queue) among
  thirteen methods, three seeds each; its README ranks them with paired bootstrap intervals.

Next: **notebook 5** asks what a distilled student *loses*.
'''
