package org.taqtir.core.registry;

import java.util.Map;
import org.taqtir.api.ParamException;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.Levenshtein;

/**
 * Turns the raw parameter map of a study file into validated {@link Params}: {@link
 * ParamSpec#resolve} (the rules live in the API, so a plugin's contract test round-trips its
 * parameters through the same code), its errors as {@link ConfigException}s the parser locates in
 * the file, with a "did you mean" for a mistyped key.
 */
public final class ParamResolver {

  private ParamResolver() {}

  /**
   * Validates raw parameters and fills in defaults.
   *
   * @param pluginId the plugin's id, for messages
   * @param spec the parameters the plugin declares
   * @param raw the values as read from YAML; {@code null} means none
   * @param field the config path of the map, e.g. {@code strategies[1].params}, prefixed to every
   *     message
   * @return complete, typed parameters
   * @throws ConfigException (an {@link IllegalArgumentException}) without a file location, naming
   *     the field, the bad value and what is allowed
   */
  public static Params resolve(String pluginId, ParamSpec spec, Map<String, ?> raw, String field) {
    try {
      return spec.resolve(pluginId, raw, field);
    } catch (ParamException e) {
      String message = e.getMessage();
      if (e.unknownKey() != null) {
        message +=
            Levenshtein.closest(e.unknownKey(), e.allowedKeys())
                .map(c -> "; did you mean '" + c + "'?")
                .orElse("");
      }
      throw new ConfigException(e.field(), message);
    }
  }
}
