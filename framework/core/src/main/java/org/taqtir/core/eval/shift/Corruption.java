package org.taqtir.core.eval.shift;

import java.util.Locale;

/**
 * One member of the corruption suite: a kind and a severity in {@code 1..3}.
 *
 * @param kind the corruption
 * @param severity 1 (mild) to 3 (strong); the parameters per severity are listed on {@link Kind}
 */
public record Corruption(Corruption.Kind kind, int severity) {

  /** Number of severities per kind. */
  public static final int SEVERITIES = 3;

  /**
   * The corruption kinds and their parameters per severity 1, 2, 3. Pixel values are in [0, 1]
   * units (byte / 255) before being rounded and clamped back to bytes.
   */
  public enum Kind {
    /** Additive Gaussian noise, σ ∈ {0.08, 0.16, 0.24}; seeded. */
    NOISE("noise", 0x6E6F697365L, 0.08, 0.16, 0.24),
    /** Separable Gaussian blur, σ ∈ {0.6, 1.0, 1.5} pixels, radius ⌈3σ⌉, edges replicated. */
    BLUR("blur", 0x626C7572L, 0.6, 1.0, 1.5),
    /** Contrast reduction towards the image mean, v' = m + c (v − m), c ∈ {0.6, 0.4, 0.2}. */
    CONTRAST("contrast", 0x636F6E7472L, 0.6, 0.4, 0.2),
    /**
     * Rotation by {10°, 20°, 30°} counter-clockwise around the image centre, bilinear, samples
     * outside the image read as 0.
     */
    ROTATION("rotation", 0x726F74617465L, 10, 20, 30),
    /** One square patch of side {6, 10, 14} pixels set to 0, fully inside the image; seeded. */
    OCCLUSION("occlusion", 0x6F63636C75L, 6, 10, 14);

    private final String key;
    private final long salt;
    private final double[] params;

    Kind(String key, long salt, double... params) {
      this.key = key;
      this.salt = salt;
      this.params = params;
    }

    /**
     * Returns the metric key, e.g. {@code noise} in {@code corruption.noise.acc_drop}.
     *
     * @return the lower-case name
     */
    public String key() {
      return key;
    }

    /**
     * Returns the parameter of a severity (σ, contrast factor, degrees or patch side).
     *
     * @param severity 1 to 3
     * @return the parameter
     */
    public double param(int severity) {
      checkSeverity(severity);
      return params[severity - 1];
    }

    long salt() {
      return salt;
    }

    /**
     * Finds a kind by key.
     *
     * @param key e.g. {@code noise}
     * @return the kind
     * @throws IllegalArgumentException naming the allowed keys when unknown
     */
    public static Kind of(String key) {
      for (Kind k : values()) {
        if (k.key.equals(key.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown corruption '" + key + "', allowed: noise, blur, contrast, rotation, occlusion");
    }
  }

  /**
   * Validates the severity.
   *
   * @throws IllegalArgumentException when the kind is null or the severity is outside 1..3
   */
  public Corruption {
    if (kind == null) {
      throw new IllegalArgumentException("corruption kind must not be null");
    }
    checkSeverity(severity);
  }

  /**
   * Returns the name, e.g. {@code noise-2}.
   *
   * @return key and severity
   */
  public String name() {
    return kind.key() + "-" + severity;
  }

  /**
   * Returns the parameter of this corruption's severity.
   *
   * @return σ, contrast factor, degrees or patch side
   */
  public double param() {
    return kind.param(severity);
  }

  private static void checkSeverity(int severity) {
    if (severity < 1 || severity > SEVERITIES) {
      throw new IllegalArgumentException(
          "corruption severity must be in 1.." + SEVERITIES + ", found " + severity);
    }
  }
}
