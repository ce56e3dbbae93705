package io.iotpay.platform.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.money.MoneyException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Rules as data: a JSON document {@code {"rules": [ … ]}}, each rule an object with
 * {@code name}, {@code deviceType}, {@code trigger}, {@code merchant}, {@code amount},
 * {@code confirmation} and optionally {@code referenceField}, {@code oneOrderAtATime}
 * (docs/platform-decisions.md lists every kind). Unknown members are refused, so a typo cannot
 * silently drop a condition.
 */
public final class RuleBook {
  public static final int TEXT_CHARS_MAX = 64 * 1024;
  public static final int RULES_MAX = 256;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<RuleDefinition> rules;

  /** @throws RuleInputException when two rules share a name */
  public RuleBook(List<RuleDefinition> rules) {
    Set<String> names = new HashSet<>();
    for (RuleDefinition rule : rules) {
      if (!names.add(rule.name())) {
        throw new RuleInputException("rule " + rule.name() + " is defined twice");
      }
    }
    this.rules = List.copyOf(rules);
  }

  public List<RuleDefinition> rules() {
    return rules;
  }

  /** The rules that read events of this device type, in definition order. */
  public List<RuleDefinition> forDeviceType(String deviceType) {
    return rules.stream().filter(r -> r.deviceType().equals(deviceType)).toList();
  }

  /**
   * Reads a rule book.
   *
   * @throws RuleInputException naming the rule and member when the text is too long, not JSON, or a rule is malformed
   */
  public static RuleBook fromJson(String text) {
    if (text == null || text.length() > TEXT_CHARS_MAX) {
      throw new RuleInputException("rule book missing or longer than " + TEXT_CHARS_MAX + " characters");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RuleInputException("rule book is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("rules").isArray()) {
      throw new RuleInputException("rule book must be an object with a \"rules\" array");
    }
    only(root, "rule book", "rules");
    JsonNode array = root.get("rules");
    if (array.size() > RULES_MAX) {
      throw new RuleInputException("rule book has " + array.size() + " rules, more than " + RULES_MAX);
    }
    List<RuleDefinition> rules = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      rules.add(rule(array.get(i), "rule " + i));
    }
    return new RuleBook(rules);
  }

  private static RuleDefinition rule(JsonNode node, String where) {
    requireObject(node, where);
    String name = text(node, "name", where);
    String at = where + " (" + name + ")";
    only(node, at, "name", "deviceType", "trigger", "merchant", "amount", "confirmation", "referenceField", "oneOrderAtATime");
    JsonNode confirmation = object(node, "confirmation", at);
    ConfirmationPolicy policy = policy(text(confirmation, "kind", at + " confirmation"), at);
    only(confirmation, at + " confirmation", "kind", "field");
    String confirmationField = policy == ConfirmationPolicy.DEVICE_CONFIRMED ? text(confirmation, "field", at + " confirmation") : null;
    JsonNode once = node.get("oneOrderAtATime");
    if (once != null && !once.isBoolean()) {
      throw new RuleInputException(at + ": oneOrderAtATime must be true or false");
    }
    return new RuleDefinition(name, text(node, "deviceType", at), trigger(object(node, "trigger", at), at),
        merchant(object(node, "merchant", at), at), amount(object(node, "amount", at), at), policy, confirmationField,
        node.has("referenceField") ? text(node, "referenceField", at) : null, once != null && once.booleanValue());
  }

  private static Trigger trigger(JsonNode node, String where) {
    String at = where + " trigger";
    return switch (text(node, "kind", at)) {
      case "level-below" -> {
        only(node, at, "kind", "field", "threshold");
        JsonNode threshold = node.get("threshold");
        if (threshold == null || !threshold.canConvertToLong() || !threshold.isIntegralNumber()) {
          throw new RuleInputException(at + ": threshold must be a whole number");
        }
        yield new Trigger.LevelBelow(text(node, "field", at), threshold.longValue());
      }
      case "field-equals" -> {
        only(node, at, "kind", "field", "value");
        yield new Trigger.FieldEquals(text(node, "field", at), text(node, "value", at));
      }
      default -> throw new RuleInputException(at + ": kind must be level-below or field-equals");
    };
  }

  private static MerchantSource merchant(JsonNode node, String where) {
    String at = where + " merchant";
    return switch (text(node, "kind", at)) {
      case "fixed" -> {
        only(node, at, "kind", "merchantId");
        yield new MerchantSource.Fixed(text(node, "merchantId", at));
      }
      case "from-field" -> {
        only(node, at, "kind", "field");
        yield new MerchantSource.FromField(text(node, "field", at));
      }
      case "biller" -> {
        only(node, at, "kind");
        yield new MerchantSource.Biller();
      }
      default -> throw new RuleInputException(at + ": kind must be fixed, from-field or biller");
    };
  }

  private static AmountSource amount(JsonNode node, String where) {
    String at = where + " amount";
    return switch (text(node, "kind", at)) {
      case "fixed" -> {
        only(node, at, "kind", "amount");
        try {
          yield new AmountSource.Fixed(Money.parse(text(node, "amount", at)));
        } catch (MoneyException e) {
          throw new RuleInputException(at + ": " + e.getMessage(), e);
        }
      }
      case "from-fields" -> {
        only(node, at, "kind", "amountField", "currencyField");
        yield new AmountSource.FromFields(text(node, "amountField", at), text(node, "currencyField", at));
      }
      case "bill-lookup" -> {
        only(node, at, "kind", "billerField", "customerField");
        yield new AmountSource.BillLookup(text(node, "billerField", at), text(node, "customerField", at));
      }
      default -> throw new RuleInputException(at + ": kind must be fixed, from-fields or bill-lookup");
    };
  }

  private static ConfirmationPolicy policy(String kind, String where) {
    return switch (kind) {
      case "mandate-threshold" -> ConfirmationPolicy.MANDATE_THRESHOLD;
      case "device-confirmed" -> ConfirmationPolicy.DEVICE_CONFIRMED;
      case "user-always" -> ConfirmationPolicy.USER_ALWAYS;
      default -> throw new RuleInputException(where + ": confirmation kind must be mandate-threshold, device-confirmed or user-always");
    };
  }

  private static void requireObject(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new RuleInputException(where + " must be a JSON object");
    }
  }

  private static JsonNode object(JsonNode parent, String member, String where) {
    JsonNode node = parent.get(member);
    requireObject(node, where + " " + member);
    return node;
  }

  private static String text(JsonNode parent, String member, String where) {
    JsonNode node = parent.get(member);
    if (node == null || !node.isTextual() || node.textValue().isEmpty() || node.textValue().length() > 64) {
      throw new RuleInputException(where + ": " + member + " must be a string of 1..64 characters");
    }
    return node.textValue();
  }

  private static void only(JsonNode node, String where, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new RuleInputException(where + ": unknown member \"" + (name.length() > 64 ? name.substring(0, 64) : name) + "\"");
      }
    }
  }
}
