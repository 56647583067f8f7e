"""Notebook 1 (English prose)."""

TITLE = r'''
# 1 · Soft targets and temperature

*Taqtir course, notebook 1 of 12.* Knowledge distillation trains a small **student** to imitate a large
**teacher**. Before any student is trained, this notebook looks at what the teacher actually hands over:
not just its answer, but a whole probability distribution over the classes, softened by a **temperature**.

You will learn
- what a softmax with temperature does to a teacher's output,
- why the small probabilities on wrong classes (Hinton's *dark knowledge*) carry information about how
  classes resemble each other,
- why Hinton's KD loss is multiplied by $T^2$.

The cells run on the Taqtir Jupyter kernel (Java). Run them top to bottom.
'''

SETUP = r'''
## The teacher

A study is a YAML document. This one trains a wide MLP teacher (784-1200-1200-10) on Fashion-MNIST
(55,000 training images, 5,000 for validation, 10,000 for test), plus a tiny probe student for one epoch
(a study always trains students; we only need its teacher here). A teacher trained once is stored under `runs/notebooks/teachers` and reused by
every later run with the same architecture, training settings, seed and data.
'''

RUN = r'''
Running the study trains the teacher (a few minutes on two cores the first time; instant afterwards) and
caches its outputs (logits) for the validation and test splits.
'''

DATA = r'''
## Softmax with temperature

The teacher outputs logits $z_1, \dots, z_K$. With temperature $T$ the class probabilities are

$$p_i(T) = \frac{\exp(z_i / T)}{\sum_{j=1}^{K} \exp(z_j / T)} .$$

$T = 1$ is the ordinary softmax. A larger $T$ flattens the distribution without changing the order of the
classes. Below we pick three test images the teacher classifies correctly: a shirt, a pullover and a
sneaker.
'''

BARS = r'''
At $T = 1$ nearly all the mass sits on the right class: as a training target this is almost the same as the
hard label. At $T = 4$ and $T = 10$ the other classes become visible. Look at *which* classes get the mass:
for the shirt they are the other upper-body garments (T-shirt/top, pullover, coat), for the sneaker the
other shoes (sandal, ankle boot). A hard label says "shirt"; the soft target also says "and a bit like a
T-shirt, nothing like a bag".
'''

ENTROPY = r'''
## How much does temperature reveal?

The entropy of $p(T)$ grows from almost 0 bits towards $\log_2 10 \approx 3.32$ bits (uniform: every class
equally likely), and so does the mass outside the teacher's top class. Too low a temperature hides the dark
knowledge; too high a temperature washes it out into a uniform distribution. Typical choices are $T$
between 2 and 8.
'''

SIMILARITY = r'''
## Dark knowledge is a similarity structure

Averaging the soft targets at $T = 4$ over all test images of each true class gives a $10 \times 10$ matrix:
row $a$, column $c$ is how much the teacher thinks images of class $a$ look like class $c$. The table lists,
for every class, the two classes it is most often "confused with" softly. These are computed from the
teacher you just trained, so read them off the table rather than from this text.
'''

HEATMAP = r'''
The same matrix as a heat map (log scale). Blocks appear: tops and coats resemble each other, shoes resemble
shoes, bags and trousers resemble little else. A student trained on these soft targets learns this structure
for free; a student trained on hard labels must discover it from the images alone.
'''

GRADIENT = r'''
## Why $T^2$?

Hinton et al. (2015) train the student on $T^2 \cdot \mathrm{KL}\big(p_t(T) \,\|\, p_s(T)\big)$, often mixed
with the ordinary cross-entropy on hard labels. The gradient of the KL term with respect to the student's
logits is $\big(p_s(T) - p_t(T)\big)/T$, and for large $T$ the difference of the two softmaxes is itself
$O(1/T)$, so the gradient shrinks like $1/T^2$. Multiplying by $T^2$ makes the soft term's gradient level off
once $T$ is past the first few values (compare the printed ratios: the plain gradient keeps falling, the
scaled one hardly moves between $T = 4$ and $T = 20$), so changing $T$ does not silently change the balance
with the hard-label term. A
missing $T^2$ is one of the most common silent bugs in published KD code. The contract test kit of notebook 8
cannot see it (a contract does not know a strategy's formula); Taqtir catches it with golden values: Hinton KD,
DKD, DIST and NKD are each tested against an independent NumPy implementation at temperatures other than 1,
where a missing $T^2$ changes the loss.
'''

END = r'''
## What to take away

- The teacher's soft targets carry a similarity structure over classes that hard labels do not.
- Temperature decides how much of it the student sees.
- The soft loss needs the $T^2$ factor.

## Exercises

1. In the soft-target bars, pick a test image and predict, before looking, which two classes get the most
   probability after the true one at $T = 4$. Check it in the output.
2. Compute by hand the softmax of the logits $(4, 2, 0)$ at $T = 1$ and $T = 4$. How much probability does the
   last class gain?
3. The entropy curve levels off for large $T$. What is its limit for ten classes, and why?
4. Remove the $T^2$ factor in your head: at $T = 8$, by what factor does the soft term's gradient shrink
   against the hard-label term's? Check it against the gradient chart.

## What to try next

- Train the teacher for more epochs (the `teacher.train.training.epochs` of the study) and see whether its
  soft targets become sharper.
- `taqtir describe hinton-kd` prints the loss this notebook motivates, with its parameters.

Next: **notebook 2** trains students with and without these soft targets and compares them.
'''
