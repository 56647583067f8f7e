package org.taqtir.api;

/**
 * The family a distillation strategy belongs to (Gou et al. 2021, "Knowledge Distillation: A
 * Survey").
 */
public enum Family {
  /** Supervision from hard labels only: no teacher involved (the label-only baseline). */
  LABELS("label supervision only, no teacher"),
  /** Imitates the teacher's final outputs (logits or probabilities), e.g. Hinton KD, DKD, DIST. */
  RESPONSE("imitates the teacher's outputs"),
  /** Imitates intermediate representations, e.g. FitNets, attention transfer. */
  FEATURE("imitates intermediate features"),
  /** Imitates relations between samples or layers, e.g. RKD, SP, CRD. */
  RELATION("imitates relations between samples");

  private final String description;

  Family(String description) {
    this.description = description;
  }

  /**
   * Returns a one-line explanation of the family.
   *
   * @return a short human-readable description, never {@code null}
   */
  public String description() {
    return description;
  }

  /**
   * Returns the lower-case name used in configs and CLI output.
   *
   * @return e.g. {@code "response"}
   */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
