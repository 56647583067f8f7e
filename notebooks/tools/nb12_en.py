"""Notebook 12 (English prose)."""

TITLE = r'''
# 12 · What does a distilled language model lose?

*Taqtir course, notebook 12 of 12.* Companies distil large language models into small ones to run them cheaply, fast
and privately. What that costs is a warning that recurs in writing on the practice: the student imitates *what* the teacher says,
not *why*; it generalises worse to unseen cases; it inherits the teacher's errors and states them as confidently;
it becomes over-confident; and it silently loses abilities nobody tested. Notebooks 5 and 6 measured these for
image classifiers. This notebook measures them for language models, each with a number:

| the claim | the measure here |
|---|---|
| it inherits the teacher's errors, confidently | the planted-error probe: facts the teacher learned wrong, traced into the students |
| it generalises worse to unseen cases | bits per character on held-out text, another novel, another domain, text with typos |
| it imitates rather than understands | agreement with the teacher against accuracy on the text; churn between seeds; its loss on text the teacher wrote against real text |
| it is over-confident | calibration (ECE) before and after temperature scaling; confidence out of domain |
| it silently loses skills | loss by word frequency (rare words); a word kept out of its training text |
| it degenerates when it writes | repetition and loops in its own text; error accumulation along its own text |
| keep a fallback | a token-level cascade to the teacher; the student as a draft model for speculative decoding |

Every measure is documented with its formula in `docs/evaluation.md`, and every language-modelling study writes
them into its Distillation Loss Statement.
'''

SETUP = r'''
The first study runs live; the others are read from committed studies (their READMEs say how to run them again).
'''

PLANTED = r'''
## Inherited errors: a teacher that learned wrong facts

The facts corpus again (notebook 11), now with **planted errors**: in the teacher's training text each fact is
stated wrongly with probability 0.2, and then every time ("Maya Reed lives in Oslo", where the truth is Lisbon). The students learn from the same
documents with every fact right, so a wrong fact can reach them only through the teacher's predictions. The
baseline, next-token, learns from the correct text alone.

Every fact is then asked as a closed question: each possible city (or trade) is written into the sentence, the
model scores each sentence, and its answer is the one it finds most likely; its confidence is that answer's share
of the probability. Where the teacher answers wrongly we count how often a student repeats the teacher's wrong
answer (**inherited**) and how often it gives the true one (**corrected**).
'''

PLANTED_CHART = r'''
The teacher answers only about half of the facts right (54 % in English, 63 % in Arabic): it learned most of its
planted errors (79 % and 86 % of them) and never memorised some of the other facts.

**The forward-KL student repeats the teacher's wrong facts although its own training text states every fact
correctly.** It answers with the planted wrong value for 51 % of the planted facts in English (48 % in Arabic),
the label-only student for 2 % in both. Where the teacher is wrong, forward KL inherits 47 % of its answers and
corrects 13 %; the label-only student inherits 7 % and corrects 59 % (Arabic: 49 % and 16 % against 6 % and 74 %).
Adding the next-token term on the correct text (forward-kl+next-token) roughly halves the inheritance, and still
inherits three times more than the baseline.

Read inherited next to corrected and agreement: a student that agrees with the teacher more everywhere inherits
more of its errors for that reason alone. Here agreement rose from 41 % to 61 % (English) while inheritance rose
sevenfold, so this is more than agreement. The baseline never saw a wrong fact; whatever it shares with the
teacher's errors is chance or the teacher's honest uncertainty.

**Not confident hallucination, here.** The distilled students' confidence when they repeat a wrong fact (0.50 in
English) is below their confidence on the facts they get right (0.59): they inherit the teacher's errors
hesitantly, because the teacher itself was unsure of many facts.
'''

TOKENS_AND_TEXT = r'''
The same question at two other levels. **Token level**, over all of test: at the positions where the teacher's
most likely next character is wrong, how often is the student's the same wrong one? And **in the text the models
write** (256 sampled sentences each): how many state a true fact, a false one, and how many of the false ones are
the teacher's planted values — hallucinations the student learned from its teacher.

In English, at the token level the forward-KL student predicts the teacher's wrong character at 64 % of the
positions where the teacher is wrong (label-only 39 %). In the sentences it writes, 7.3 % state a planted wrong
fact (label-only 0.7 %), and fewer state true facts (28 % against 42 %). Arabic shows the same pattern (66 %
against 35 %; 4.0 % against 0.4 %).
'''

GENERALISATION = r'''
## Generalisation to unseen text

From here on, the committed three-seed study `experiments/text-distillation` on real text: Jane Austen's novels
(test chapters, the unseen novel *Persuasion*, and *The Devil's Dictionary* as text from another domain) and
Firefox's Arabic interface strings (Thunderbird's as the other domain). The gap to the teacher is measured on the
same test windows with a 95 % paired bootstrap interval (in the study's report).
'''

IMITATION = r'''
On Austen the label-only student's gap to the teacher grows from 0.329 bits per character on test chapters to
0.469 on *The Devil's Dictionary*; forward KL keeps its gap about the same on test, the held-out novel and out of
domain (0.196, 0.192, 0.188), and the mode-seeking methods lose most out of domain (reverse KL 1.040). Typos cost
the students no more than the teacher.

## Imitation, repeatability and calibration

Agreement with the teacher's next token rises much more than accuracy on the text: on Austen forward KL takes
agreement from 0.690 to 0.788 and accuracy from 0.480 to 0.508. The students copy the teacher's choices more than
they learn the text.

Churn is the share of next-token predictions that change when only the seed changes. ECE is the gap between
confidence and accuracy (15 bins), before and after a temperature fitted on validation.
'''

STYLE = r'''
Forward KL makes the student more repeatable (churn 26.9 % → 19.9 % on Austen) and stays calibrated. Reverse KL,
JSD and on-policy JSD are over-confident (ECE 0.044–0.090, against 0.013–0.022 for the label-only and forward-KL
students), most of all out of domain: the
reverse-KL student on *The Devil's Dictionary* is confident 0.526 where it is right 0.350. A temperature fitted on
validation repairs most of it (ECE after τ).

## The teacher's style or the text's?

Each student is scored after the same 32 test prompts on two continuations: the real text, and text the teacher
wrote (sampled). A student that finds the teacher's text much easier than the real text, more than its label-only
twin does, has learned how the teacher writes rather than how the text is written.
'''

RARE = r'''
On Austen the label-only student finds the teacher's text slightly harder than the real text (2.479 against 2.448
bits per character), the forward-KL student finds it easier (2.257 against 2.329): forward KL moves the student
about 0.1 bits per character towards how the teacher writes. Arabic shows the same direction (0.08), within the
seeds' spread.

## Skills that vanish quietly: rare words

Positions grouped by how often the word they belong to occurs in the training text. A single average hides where
the loss is.
'''

FALLBACK = r'''
On Austen the label-only student loses most on words seen 10–99 times in training (0.585 bits per character above
the teacher), not on the most frequent ones; forward KL halves that gap (0.285), reverse KL doubles it (1.118).

## Degeneration, error accumulation, and a fallback

seq-rep-4 and looping measure repetition in each model's own greedy text; the excess KL compares the student's
distance to the teacher along its own text with that along the teacher's (positive: its own text takes it further
away). The cascade hands the half of the positions where the student is least confident to the teacher; the
acceptance α is the share of the student's sampled tokens the teacher would accept in speculative decoding.
'''

OMITTED = r'''
Repetition numbers from 8 continuations swing between seeds (see the ±); read them as a probe, not a ranking.
On Austen only sequence-level KD shows error accumulation on its own text (excess +0.372): it learned from the
teacher's looping greedy text. On Arabic the excesses are noisy (reverse KL +0.317 and JSD +0.248, each with a
large ±). As a draft model the forward-KL student would have 82 % of its tokens accepted by the teacher
(label-only 75 %); handing half of the positions to the teacher brings it within 0.09 bits per character of the
teacher.

## A word the students never saw

`experiments/text-kd/omitted.yaml` removes every line containing "Harriet" from the students' training text (the
teacher saw them), then measures each model inside that word on test:
'''

STATEMENT = r'''
The label-only student never saw the name and pays 4.2 bits per character inside it; the forward-KL student
learned part of it from the teacher's predictions on other lines (2.8), the teacher 1.3. Three seeds and about 105
test positions: a small sample, and the label-only seeds range from 3.4 to 5.2.

## The Distillation Loss Statement

Every language-modelling study writes `loss-statement.md` (and `.html` with charts): per student, sentences
generated from the measured numbers, the targets it was held to, and what was not measured. Here is the forward-KL
student's section from the English planted-error study above:
'''

END = r'''
## What to take away

- A distilled language model can repeat facts its teacher learned wrong although its own training text was
  right. Measure it where you can know the truth, and compare with the label-only twin.
- The gains of distillation are real where they are (forward KL in notebook 11) and uneven: look at the
  word-frequency buckets, the out-of-domain set and the calibration, not only the average bits per character.
- Keep the teacher as a fallback and test the student outside the situations you expect.

## Exercises

1. Change `planted_errors` to 0.5 in the planted study. Does the forward-KL student inherit more, or does it
   start to correct the teacher from the rest of the text?
2. The forward-KL+next-token student sees both the teacher and the correct text. Predict whether it inherits
   less than forward KL alone; check in the first table. What weight would you choose, and how would you choose
   it without looking at test?
3. In the rare-words chart, which bucket does forward KL help most? Why might the teacher's soft predictions help
   more on words seen 10–99 times than on unseen ones?
4. Write a preservation target for the planted study that a product team could sign off, e.g.
   `facts/inherited <= 0.5`, and add it under `evaluation.targets` with `fail_on_targets: true`. Which students
   pass?

## What to try next

- `experiments/text-distillation/README.md` states what held and what did not in the three committed studies.
- `docs/evaluation.md#language-models` defines every measure and its source.
- Run `bin/taqtir run experiments/text-distillation/facts.yaml` for the planted-error study at full size.
'''
