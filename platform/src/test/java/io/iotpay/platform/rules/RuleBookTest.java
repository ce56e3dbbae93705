package io.iotpay.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import org.junit.jupiter.api.Test;

class RuleBookTest {
  @Test
  void builtInBook_declaresTheThreeScenarios() {
    RuleBook book = BuiltInRules.book();
    assertThat(book.rules()).extracting(RuleDefinition::name)
        .containsExactly("washer.detergent-reorder", "car.fuel", "car.parking", "speaker.utility-bill");
    RuleDefinition washer = book.forDeviceType(BuiltInRules.WASHER).get(0);
    assertThat(washer.trigger()).isEqualTo(new Trigger.LevelBelow("detergentLevelPercent", 15));
    assertThat(washer.amount()).isEqualTo(new AmountSource.Fixed(Money.ofMinor(3_990, CurrencyUnit.CNY)));
    assertThat(washer.oneOrderAtATime()).isTrue();
    assertThat(book.forDeviceType(BuiltInRules.CAR)).allSatisfy(r -> {
      assertThat(r.confirmation()).isEqualTo(ConfirmationPolicy.DEVICE_CONFIRMED);
      assertThat(r.merchant()).isInstanceOf(MerchantSource.FromField.class);
    });
    assertThat(book.forDeviceType(BuiltInRules.SPEAKER).get(0).amount()).isInstanceOf(AmountSource.BillLookup.class);
    assertThat(book.forDeviceType("toaster")).isEmpty();
  }

  private static String rule(String body) {
    return "{\"rules\": [{\"name\": \"r\", \"deviceType\": \"washing-machine\", " + body + "}]}";
  }

  private static final String GOOD_PARTS = "\"trigger\": {\"kind\": \"level-below\", \"field\": \"level\", \"threshold\": 10}, "
      + "\"merchant\": {\"kind\": \"fixed\", \"merchantId\": \"shop\"}, \"amount\": {\"kind\": \"fixed\", \"amount\": \"1.00 CNY\"}, "
      + "\"confirmation\": {\"kind\": \"mandate-threshold\"}";

  @Test
  void aMinimalRuleParses() {
    assertThat(RuleBook.fromJson(rule(GOOD_PARTS)).rules()).hasSize(1);
  }

  @Test
  void malformedBooks_areRefusedNamingTheRuleAndMember() {
    assertThatThrownBy(() -> RuleBook.fromJson("{")).isInstanceOf(RuleInputException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> RuleBook.fromJson("[]")).isInstanceOf(RuleInputException.class).hasMessageContaining("\"rules\" array");
    assertThatThrownBy(() -> RuleBook.fromJson(rule(GOOD_PARTS + ", \"oneOrderAtATme\": true")))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("rule 0 (r): unknown member \"oneOrderAtATme\"");
    assertThatThrownBy(() -> RuleBook.fromJson(rule(GOOD_PARTS.replace("\"threshold\": 10", "\"threshold\": \"ten\""))))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("threshold must be a whole number");
    assertThatThrownBy(() -> RuleBook.fromJson(rule(GOOD_PARTS.replace("1.00 CNY", "1.001 CNY"))))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("rule 0 (r) amount");
    assertThatThrownBy(() -> RuleBook.fromJson(rule(GOOD_PARTS.replace("level-below", "level-above"))))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("kind must be level-below or field-equals");
    assertThatThrownBy(() -> RuleBook.fromJson(rule(GOOD_PARTS.replace("mandate-threshold", "device-confirmed"))))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("confirmation");
    assertThatThrownBy(() -> RuleBook.fromJson(rule(GOOD_PARTS.replace("{\"kind\": \"fixed\", \"merchantId\": \"shop\"}", "{\"kind\": \"biller\"}"))))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("biller merchant and the bill-lookup amount go together");
    assertThatThrownBy(() -> RuleBook.fromJson("x".repeat(RuleBook.TEXT_CHARS_MAX + 1)))
        .isInstanceOf(RuleInputException.class).hasMessageContaining("longer than");
    String twice = "{\"rules\": [{\"name\": \"r\", \"deviceType\": \"w\", " + GOOD_PARTS + "}, {\"name\": \"r\", \"deviceType\": \"w\", " + GOOD_PARTS + "}]}";
    assertThatThrownBy(() -> RuleBook.fromJson(twice)).isInstanceOf(RuleInputException.class).hasMessageContaining("defined twice");
  }

  @Test
  void deeplyNestedInput_isRefusedWithoutRecursingIntoIt() {
    String deep = "{\"rules\": [" + "[".repeat(2_000) + "]".repeat(2_000) + "]}";
    assertThatThrownBy(() -> RuleBook.fromJson(deep)).isInstanceOf(RuleInputException.class);
  }
}
