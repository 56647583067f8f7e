package org.taqtir.text.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded synthetic corpus of simple facts, in English or Arabic: each person lives in a city and
 * works in a trade, stated again and again in varied sentences ("Maya Reed lives in Lisbon.", «يسكن
 * سامي حداد في تونس.», «تعمل ليلى خياط معلّمةً.»: in Arabic the verb and the trade agree with a
 * woman's name). Made in code, so every fact is known: the evaluation plants wrong facts in a
 * teacher's corpus ({@link #corrupt}) and traces them into its students.
 */
public final class FactsCorpus {

  /** English. */
  public static final String ENGLISH = "en";

  /** Arabic. */
  public static final String ARABIC = "ar";

  /**
   * One fact.
   *
   * @param person a full name
   * @param relation {@code city} or {@code trade}
   * @param value the city or the trade (an Arabic trade in its masculine form, as {@link #values}
   *     lists it; a sentence about a woman writes the feminine form)
   */
  public record Fact(String person, String relation, String value) {}

  private static final String[] EN_FIRST = {
    "Maya", "Owen", "Lena", "Hugo", "Nora", "Felix", "Ruth", "Ivan", "Clara", "Omar", "Alice",
    "Bruno", "Daria", "Elliot", "Greta", "Hamid", "Iris", "Jonas", "Kira", "Leo", "Mira", "Nils",
    "Olga", "Paul", "Rosa", "Simon", "Tara", "Uma", "Victor", "Wanda"
  };
  private static final String[] EN_LAST = {
    "Reed", "Hale", "Moss", "Park", "Quinn", "Stone", "Vale", "Wolfe", "Young", "Abbot", "Baird",
    "Crane", "Doyle", "Frost", "Grant", "Hayes", "Irving", "Joyce", "Kemp", "Lowe"
  };
  private static final String[] EN_CITY = {
    "Lisbon", "Oslo", "Lima", "Cairo", "Dublin", "Kyoto", "Quito", "Tunis", "Porto", "Riga",
    "Accra", "Dakar", "Hanoi", "Perth", "Turin", "Bergen", "Malaga", "Krakow", "Nantes", "Seville"
  };
  private static final String[] EN_TRADE = {
    "a baker",
    "a nurse",
    "a carpenter",
    "a teacher",
    "a pilot",
    "a gardener",
    "a tailor",
    "a chemist",
    "a librarian",
    "a fisher",
    "a painter",
    "a potter"
  };
  private static final String[] EN_CITY_TEMPLATE = {
    "%s lives in %s.", "%s has a home in %s.", "These days %s lives in %s.", "%s moved to %s."
  };
  private static final String[] EN_TRADE_TEMPLATE = {
    "%s works as %s.", "By trade %s is %s.", "%s earns a living as %s."
  };

  private static final String[] AR_FIRST = {
    "سامي", "ليلى", "كريم", "هدى", "يوسف", "مريم", "عمر", "سلمى", "خالد", "نور", "طارق", "رنا",
    "ماجد", "دينا", "زياد", "ريم", "فادي", "لينا", "باسل", "سارة", "حسن", "منى", "وائل", "جميلة",
    "نبيل", "هالة", "رامي", "عبير", "أنس", "فرح"
  };
  private static final String[] AR_LAST = {
    "حداد", "نجار", "خياط", "صباغ", "عطار", "خوري", "منصور", "سالم", "يوسف", "شاهين", "عيسى",
    "حلبي", "مصري", "زيدان", "نصار", "فارس", "جابر", "داود", "قاسم", "رزق"
  };
  private static final String[] AR_CITY = {
    "تونس", "القاهرة", "بيروت", "عمّان", "الرباط", "دمشق", "بغداد", "الجزائر", "مسقط", "الدوحة",
    "صنعاء", "طرابلس", "الخرطوم", "نواكشوط", "الكويت", "المنامة", "جدة", "حلب", "فاس", "صفاقس"
  };
  private static final String[] AR_TRADE = {
    "خبّازًا",
    "ممرضًا",
    "نجّارًا",
    "معلّمًا",
    "طيّارًا",
    "بستانيًا",
    "خيّاطًا",
    "صيدلانيًا",
    "أمين مكتبة",
    "صيّادًا",
    "رسّامًا",
    "فخّاريًا"
  };

  /** The first names of AR_FIRST that are women's: Arabic verbs and trades agree with them. */
  private static final java.util.Set<String> AR_FEMALE =
      java.util.Set.of(
          "ليلى", "هدى", "مريم", "سلمى", "نور", "رنا", "دينا", "ريم", "لينا", "سارة", "منى",
          "جميلة", "هالة", "عبير", "فرح");

  /** AR_TRADE for a woman, in the same order. */
  private static final String[] AR_TRADE_F = {
    "خبّازةً",
    "ممرضةً",
    "نجّارةً",
    "معلّمةً",
    "طيّارةً",
    "بستانيةً",
    "خيّاطةً",
    "صيدلانيةً",
    "أمينة مكتبة",
    "صيّادةً",
    "رسّامةً",
    "فخّاريةً"
  };

  private static final String[] AR_CITY_TEMPLATE_F = {
    "تسكن %s في %s.", "تعيش %s في مدينة %s.", "بيت %s في %s.", "انتقلت %s إلى %s."
  };
  private static final String[] AR_TRADE_TEMPLATE_F = {
    "تعمل %s %s.", "مهنة %s أن تكون %s.", "تكسب %s رزقها %s."
  };

  private static final String[] AR_CITY_TEMPLATE = {
    "يسكن %s في %s.", "يعيش %s في مدينة %s.", "بيت %s في %s.", "انتقل %s إلى %s."
  };
  private static final String[] AR_TRADE_TEMPLATE = {
    "يعمل %s %s.", "مهنة %s أن يكون %s.", "يكسب %s رزقه %s."
  };

  /** A template as a pattern that reads the person and the value back, with its relation. */
  private record Form(java.util.regex.Pattern pattern, String relation) {}

  private static final List<Form> EN_FORMS =
      forms(List.<String[]>of(EN_CITY_TEMPLATE), List.<String[]>of(EN_TRADE_TEMPLATE));
  private static final List<Form> AR_FORMS =
      forms(
          List.of(AR_CITY_TEMPLATE, AR_CITY_TEMPLATE_F),
          List.of(AR_TRADE_TEMPLATE, AR_TRADE_TEMPLATE_F));

  /** Every template of the two relations as a {@link Form}, compiled once. */
  private static List<Form> forms(List<String[]> city, List<String[]> trade) {
    List<Form> out = new ArrayList<>();
    for (String relation : List.of("city", "trade")) {
      for (String[] templates : relation.equals("city") ? city : trade) {
        for (String t : templates) {
          int a = t.indexOf("%s");
          int b = t.indexOf("%s", a + 2);
          out.add(
              new Form(
                  java.util.regex.Pattern.compile(
                      java.util.regex.Pattern.quote(t.substring(0, a))
                          + "(\\S+ \\S+)"
                          + java.util.regex.Pattern.quote(t.substring(a + 2, b))
                          + "(.+?)"
                          + java.util.regex.Pattern.quote(t.substring(b + 2))),
                  relation));
        }
      }
    }
    return List.copyOf(out);
  }

  private FactsCorpus() {}

  /** The values a relation can take, per language (the masculine trades in Arabic). */
  private static String[] valueArray(String relation, boolean ar) {
    return relation.equals("city") ? (ar ? AR_CITY : EN_CITY) : (ar ? AR_TRADE : EN_TRADE);
  }

  /** Whether a person of the Arabic corpus is a woman (her first name). */
  private static boolean female(String person, boolean ar) {
    return ar && AR_FEMALE.contains(person.substring(0, Math.max(0, person.indexOf(' '))));
  }

  /** The templates a fact is stated in: per language, relation and (in Arabic) gender. */
  private static String[] templates(Fact f, boolean ar) {
    boolean city = f.relation().equals("city");
    if (!ar) {
      return city ? EN_CITY_TEMPLATE : EN_TRADE_TEMPLATE;
    }
    boolean woman = female(f.person(), true);
    return city
        ? (woman ? AR_CITY_TEMPLATE_F : AR_CITY_TEMPLATE)
        : (woman ? AR_TRADE_TEMPLATE_F : AR_TRADE_TEMPLATE);
  }

  /** A fact's value as a sentence writes it: an Arabic trade agrees with a woman. */
  private static String written(Fact f, boolean ar) {
    if (female(f.person(), ar) && f.relation().equals("trade")) {
      int i = java.util.Arrays.asList(AR_TRADE).indexOf(f.value());
      return i < 0 ? f.value() : AR_TRADE_F[i];
    }
    return f.value();
  }

  /**
   * Draws people and their facts.
   *
   * @param language {@value #ENGLISH} or {@value #ARABIC}
   * @param people how many people (at most the number of distinct names)
   * @param seed the seed
   * @return two facts per person (city, trade), person by person
   */
  public static List<Fact> facts(String language, int people, long seed) {
    boolean ar = ARABIC.equals(language);
    String[] first = ar ? AR_FIRST : EN_FIRST;
    String[] last = ar ? AR_LAST : EN_LAST;
    String[] city = ar ? AR_CITY : EN_CITY;
    String[] trade = ar ? AR_TRADE : EN_TRADE;
    int max = first.length * last.length;
    if (people < 1 || people > max) {
      throw new IllegalArgumentException(
          "facts: people must be in [1, "
              + max
              + "] for language "
              + language
              + ", found "
              + people);
    }
    SplittableRandom r = new SplittableRandom(seed);
    int[] names = permutation(max, r);
    List<Fact> out = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      int n = names[i];
      String person = first[n % first.length] + " " + last[n / first.length];
      out.add(new Fact(person, "city", city[r.nextInt(city.length)]));
      out.add(new Fact(person, "trade", trade[r.nextInt(trade.length)]));
    }
    return out;
  }

  /**
   * Replaces a seeded fraction of facts by wrong ones (another value of the same relation).
   *
   * @param facts the true facts
   * @param fraction the share to change, in [0, 1]
   * @param language the language the facts are in
   * @param seed the seed
   * @return the facts with the planted errors, in the same order
   */
  public static List<Fact> corrupt(List<Fact> facts, double fraction, String language, long seed) {
    boolean ar = ARABIC.equals(language);
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<Fact> out = new ArrayList<>(facts.size());
    for (Fact f : facts) {
      if (r.nextDouble() < fraction) {
        String[] values = valueArray(f.relation(), ar);
        String wrong = f.value();
        while (wrong.equals(f.value())) {
          wrong = values[r.nextInt(values.length)];
        }
        out.add(new Fact(f.person(), f.relation(), wrong));
      } else {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * States the facts as text: each fact {@code repeats} times, first in the template {@link
   * #prompt} asks with, then in templates drawn with the seed; sentences in a seeded order; one
   * document per block of 40 sentences.
   *
   * @param facts the facts
   * @param language the language
   * @param repeats sentences per fact
   * @param seed the seed
   * @return the documents, group {@code facts}
   */
  public static List<Document> documents(
      List<Fact> facts, String language, int repeats, long seed) {
    boolean ar = ARABIC.equals(language);
    SplittableRandom r = new SplittableRandom(seed * 7919 + 13);
    List<String> sentences = new ArrayList<>();
    for (Fact f : facts) {
      String[] templates = templates(f, ar);
      for (int k = 0; k < repeats; k++) {
        // the first statement uses the template the prompts ask with ({@link #prompt})
        String template = k == 0 ? templates[0] : templates[r.nextInt(templates.length)];
        sentences.add(String.format(Locale.ROOT, template, f.person(), written(f, ar)));
      }
    }
    int[] order = permutation(sentences.size(), r);
    List<Document> out = new ArrayList<>();
    StringBuilder doc = new StringBuilder();
    for (int i = 0; i < order.length; i++) {
      doc.append(sentences.get(order[i])).append(i % 40 == 39 ? "" : " ");
      if (i % 40 == 39 || i == order.length - 1) {
        out.add(new Document("facts/" + out.size(), "facts", doc.toString().strip()));
        doc.setLength(0);
      }
    }
    return out;
  }

  /**
   * The prompt that asks for a fact, ending where its value starts: {@code "Maya Reed lives in "}.
   *
   * @param f the fact
   * @param language the language
   * @return the prompt (the first template of the fact's relation)
   */
  public static String prompt(Fact f, String language) {
    String template = templates(f, ARABIC.equals(language))[0];
    return template.substring(0, template.lastIndexOf("%s")).formatted(f.person());
  }

  /**
   * The values a relation can take: the cities or the trades.
   *
   * @param relation {@code city} or {@code trade}
   * @param language the language
   * @return the values, in a fixed order
   */
  public static List<String> values(String relation, String language) {
    return List.of(valueArray(relation, ARABIC.equals(language)));
  }

  /**
   * The fact stated in the template {@link #prompt} asks with: {@code "Maya Reed lives in
   * Lisbon."}.
   *
   * @param f the fact
   * @param language the language
   * @return the sentence
   */
  public static String sentence(Fact f, String language) {
    boolean ar = ARABIC.equals(language);
    return String.format(Locale.ROOT, templates(f, ar)[0], f.person(), written(f, ar));
  }

  /**
   * The fact a sentence states, if it is written in one of the corpus's templates: {@code "These
   * days Maya Reed lives in Oslo."} gives (Maya Reed, city, Oslo) whether or not that is true. An
   * Arabic sentence may be in the masculine or the feminine form; a trade comes back in the
   * masculine form the facts use. The person and the value are what the sentence says; they need
   * not be names or values the corpus knows (a generated sentence may invent them).
   *
   * @param sentence one sentence, with its final full stop
   * @param language the language
   * @return the fact, or empty when no template matches
   */
  public static java.util.Optional<Fact> parse(String sentence, String language) {
    boolean ar = ARABIC.equals(language);
    String s = sentence.strip();
    for (Form form : ar ? AR_FORMS : EN_FORMS) {
      java.util.regex.Matcher m = form.pattern().matcher(s);
      if (m.matches()) {
        // a trade written for a woman is the same trade
        int i = java.util.Arrays.asList(AR_TRADE_F).indexOf(m.group(2));
        String value = ar && form.relation().equals("trade") && i >= 0 ? AR_TRADE[i] : m.group(2);
        return java.util.Optional.of(new Fact(m.group(1), form.relation(), value));
      }
    }
    return java.util.Optional.empty();
  }

  private static int[] permutation(int n, SplittableRandom r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
