"""Notebook 11 (English prose)."""

TITLE = r'''
# 11 · Distilling a language model: forward vs reverse KL

*Taqtir course, notebook 11 of 12.* A language model predicts a distribution over the next token. Distilling it means
training a small student to match the teacher's distribution at every position of a text — and "match" needs a
measure of difference. The two natural ones are the two directions of the Kullback–Leibler divergence:

- **forward KL**, KL(teacher ‖ student) = Σ_v p_T(v) (ln p_T(v) − ln p_S(v)): the average is taken under the
  *teacher*, so wherever the teacher puts probability the student is punished for putting little. The student
  spreads out to cover everything the teacher considers possible (**mode-covering**). This is Hinton's KD and
  Taqtir's `forward-kl`.
- **reverse KL**, KL(student ‖ teacher) = Σ_v p_S(v) (ln p_S(v) − ln p_T(v)): the average is taken under the
  *student*, so it is punished for putting probability where the teacher puts little, and not for ignoring what
  the teacher allows. The student concentrates on what it can fit best (**mode-seeking**). MiniLLM (Gu et al.
  2024) argues for it in generation; Taqtir's `reverse-kl`.

Mixing up the two is a common bug in LM-distillation code: the words "KL loss" do not say which distribution the
average is taken under. This notebook shows the difference first where it can be seen whole, on a
toy distribution with two modes, then on text written by small language models, in English and in Arabic, and
ends with the committed three-seed study on real text.
'''

SETUP = r'''
The helpers below work in log-probabilities, so that a distribution that is 10⁻³⁰⁰ somewhere does not become 0
and make a KL infinite.
'''

TOY = r'''
## A teacher with two modes, a student with one

The teacher is a mixture: 60 % of its mass around −2, 40 % around 2.5, almost nothing in between. The student is a
single normal distribution N(μ, σ²): it *cannot* represent two modes, as a small language model cannot represent
everything a large one knows. For each divergence we search every (μ, σ) on a fine grid and keep the best.
'''

TOY_CHART = r'''
The forward-KL student is a wide bump between the modes: it covers both, and in doing so puts a good share of
its mass in the gap where the teacher has almost none. The reverse-KL student sits on the larger mode, with
the teacher's width, and ignores the other one entirely. Its divergence, 0.511 nats, is exactly ln(1/0.6): a
student that is the big mode alone pays only the log of one over the share of the teacher it covers. Started on the right of the gap,
gradient descent on reverse KL would stay on the smaller mode (the third row, a local minimum, ln(1/0.4) =
0.916): *which* mode a mode-seeking student picks can depend on where it starts.

Neither is wrong. They answer different questions: forward KL asks the student never to be surprised by what the
teacher could say; reverse KL asks it never to say what the teacher would not.
'''

FLEXIBLE = r'''
## When the student is big enough, the direction does not matter

With one free logit per grid point the student can be any distribution, and both divergences have the same
minimum: the teacher itself, where both are zero.
'''

STUDY = r'''
Both students reach the teacher to within a few thousandths of a nat. The choice of direction matters *because*
the student is smaller than the teacher, which in distillation it always is.

## On text: a small model of facts

Now real language models. The facts corpus is made in code (so nothing is downloaded): people, each living in a
city and working in a trade, stated again and again in varied sentences — in English ("These days Maya Reed
lives in Lisbon.") and in Arabic («يعيش سامي حداد في مدينة تونس.»). The teacher, a 3-layer character GPT, learns
most of them. The student, a 1-layer GPT of width 32, is too small to hold them all, so for many people it is
unsure of the city: the two-modes situation at the scale of a real model, with 20 cities instead of two modes.
Three students per language, each trained for the same number of steps on the same text: next-token on the text
alone (the label-only baseline), forward KL, reverse KL.
'''

GENERATED = r'''
Two results, the second one unexpected.

- **Forward KL is no better than the text alone here** (0.518 against 0.522 bits per character in English, 0.716
  against 0.720 in Arabic). The teacher knows facts the student has no room for; its soft targets cannot make room.
- **The reverse-KL students failed**: three to four times the bits per character of the others, over-confident (ECE 0.087
  and 0.110 against 0.015–0.026), on every seed. And look at KL(S ‖ T), the very divergence they were trained to
  minimise: 0.707 in English, *higher* than the forward-KL student's 0.142. They did not find a better solution of
  their own objective; they got stuck in a worse one. A likely reason: reverse KL pays nothing for ignoring a
  character the teacher thinks possible, so a student that has collapsed onto a few likely characters early in training gets little
  gradient to spread out again. The toy's free student started from the uniform distribution and did not have this
  problem; a network does. (On Austen, below, the same holds: the reverse-KL student's KL(S ‖ T) on test is 0.361,
  the forward-KL student's 0.228.)

## What they write

The report samples 256 sentences from each model (temperature 1, after a sentence end in the test text) and
parses each one against the corpus's templates: is it well formed, does it state a true fact, a false fact about a
real person (a hallucination), or a person or value the corpus does not have? The entropy of the values stated
measures how widely a model spreads its answers over the 32 cities and trades. The last column asks every fact as
a closed question (notebook 12 explains how).
'''

SAMPLES = r'''
The teacher writes true facts in about 60 % of its sentences. The small students write fluent, well-formed
sentences about real people with the wrong city or trade far more often than true ones (in English about 51 %
against 7 %): hallucination caused by capacity, and the label-only student does it as much as the distilled one.
The reverse-KL students write fewer well-formed sentences and more invented names; in English the values they state
are less varied (an entropy of 3.8 bits against 4.8), the mode-seeking of the toy in text.

The samples the report keeps, one per model, from the same prompt:
'''

COMMITTED = r'''
## Real text, three seeds

The same comparison on real text, from the committed study `experiments/text-distillation` (its README has the
details): the text-kd teacher and student on Jane Austen's novels, and the same shapes on Firefox's Arabic
interface strings, six methods, three seeds each. Δ is the paired difference to the label-only student of the
same seeds with a 95 % bootstrap interval over test windows; a difference counts only when the interval excludes
zero.
'''

COMMITTED_CHART = r'''
On real text, where the student has room to learn much of what the teacher knows, forward KL is the best student
in both languages (−0.134 and −0.175 bits per character against the label-only twin) and reverse KL the worst,
worse than training on the text alone and over-confident (its ECE). JSD(0.5), which mixes the two directions,
sits between them: slightly worse than label-only on Austen, better on Arabic. Sequence-level KD and on-policy
JSD, the methods built on generated text, do not beat the label-only student in either language with the settings
used.
'''

END = r'''
## What to take away

- "KL" is two losses. Forward KL (teacher ‖ student) covers the teacher's modes; reverse KL (student ‖ teacher)
  seeks one. Say which one you use, and check it: Taqtir's golden tests pin both directions
  (`docs/language-models.md`).
- The difference exists because the student is smaller than the teacher. With enough capacity both reach the
  teacher.
- Reverse KL is also harder to optimise: in every study here the reverse-KL student ended with a *worse* reverse
  KL than the forward-KL student. Check that a student minimised what it was trained on before blaming the
  divergence's definition.
- Bits per character reward covering; a mode-seeking student is punished on every character it decided was
  unlikely. What you measure decides which direction "wins": judge a student by the measures its users need, and
  look at what it writes.

## Exercises

1. In the toy, move the small mode's weight from 0.4 to 0.1. Predict where the forward-KL student's μ goes and
   whether the reverse-KL student changes at all; then run the cell.
2. `jsd` with β = 0.5 sits between the two directions. Add `{name: jsd-0.1, id: jsd, params: {beta: 0.1}}` and
   `{name: jsd-0.9, id: jsd, params: {beta: 0.9}}` to the facts study (two strategies need two names;
   `docs/language-models.md` says which β is closer to which KL) and compare their value entropy.
3. Give the facts student two layers of width 64. Does the gap between forward and reverse KL shrink, as the
   flexible toy predicts? Try also a reverse-KL student with a ten times smaller learning rate: does it still get
   stuck?
4. The reverse-KL student's text may look cleaner than the forward-KL student's while its bits per character are
   worse. Which would you ship as a chat model, and which as a compressor? What would you measure to decide?

## What to try next

- Notebook 12 measures what the distilled students lose, in the same settings.
- `experiments/text-kd` runs every divergence Taqtir has (skew KL, symmetric KL, TVD, hidden states) on Austen.
- `docs/language-models.md` documents the language-model task, its strategies and the study fields.
'''
