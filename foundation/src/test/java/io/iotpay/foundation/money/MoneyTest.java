package io.iotpay.foundation.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
  private static final CurrencyUnit CNY = CurrencyUnit.CNY;

  @ParameterizedTest(name = "{0} {1} = {2} minor")
  @CsvSource({
    "50.00, CNY, 5000",
    "50, CNY, 5000",
    "50.5, CNY, 5050",
    "0.01, CNY, 1",
    "-0.05, CNY, -5",
    "-12.34, USD, -1234",
    "500, JPY, 500",
    "1.234, BHD, 1234",
    "92233720368547758.07, CNY, 9223372036854775807",
    "-92233720368547758.08, CNY, -9223372036854775808"
  })
  void parse_readsMinorUnits(String text, String code, long amountMinor) {
    assertThat(Money.parse(text, CurrencyUnit.of(code)).amountMinor()).isEqualTo(amountMinor);
  }

  @ParameterizedTest(name = "{0} minor {1} -> {2}")
  @CsvSource({
    "5000, CNY, 50.00 CNY",
    "1, CNY, 0.01 CNY",
    "-5, CNY, -0.05 CNY",
    "0, CNY, 0.00 CNY",
    "500, JPY, 500 JPY",
    "-9223372036854775808, CNY, -92233720368547758.08 CNY"
  })
  void toString_formatsWithCurrencyDigits(long amountMinor, String code, String text) {
    Money money = Money.ofMinor(amountMinor, CurrencyUnit.of(code));
    assertThat(money).hasToString(text);
    assertThat(Money.parse(text)).isEqualTo(money);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", ".5", "5.", "1.234", "1e3", "1,00", " 1", "+1", "1.2.3", "١٢"})
  void parse_malformedText_isRejectedNamingIt(String text) {
    assertThatThrownBy(() -> Money.parse(text, CNY))
        .isInstanceOf(MoneyException.class)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("money: amount '" + text + "'");
  }

  @Test
  void parse_tooManyDecimalsForCurrency_saysHowMany() {
    assertThatThrownBy(() -> Money.parse("1.5", CurrencyUnit.JPY))
        .isInstanceOf(MoneyException.class)
        .hasMessage("money: amount '1.5' has 1 decimals but JPY has 0");
  }

  @Test
  void parse_overflow_isRejected() {
    assertThatThrownBy(() -> Money.parse("92233720368547758.08", CNY))
        .isInstanceOf(MoneyException.class).hasMessageContaining("overflows a long");
  }

  @Test
  void parse_withCurrency_needsAmountSpaceCode() {
    assertThat(Money.parse("50.00 CNY")).isEqualTo(Money.ofMinor(5000, CNY));
    assertThatThrownBy(() -> Money.parse("50.00")).isInstanceOf(MoneyException.class)
        .hasMessageContaining("not of the form '<amount> <currency>'");
    assertThatThrownBy(() -> Money.parse("50.00 XYZ")).isInstanceOf(MoneyException.class)
        .hasMessage("money: unknown currency 'XYZ'");
  }

  @Test
  void arithmetic_inOneCurrency() {
    Money fare = Money.parse("3.50", CNY);
    Money quota = Money.parse("50.00", CNY);
    assertThat(quota.minus(fare)).isEqualTo(Money.parse("46.50", CNY));
    assertThat(quota.plus(fare)).isEqualTo(Money.parse("53.50", CNY));
    assertThat(fare.times(3)).isEqualTo(Money.parse("10.50", CNY));
    assertThat(fare.negate()).isEqualTo(Money.parse("-3.50", CNY));
    assertThat(fare.minus(fare).isZero()).isTrue();
    assertThat(fare.negate().isNegative()).isTrue();
    assertThat(fare.isPositive()).isTrue();
    assertThat(quota.isGreaterThan(fare)).isTrue();
    assertThat(fare.isLessThan(quota)).isTrue();
    assertThat(fare.compareTo(Money.ofMinor(350, CNY))).isZero();
  }

  @Test
  void mixedCurrencies_areRefusedNamingBoth() {
    Money yuan = Money.parse("1.00", CNY);
    Money dollar = Money.parse("1.00", CurrencyUnit.USD);
    assertThatThrownBy(() -> yuan.plus(dollar)).isInstanceOf(MoneyException.class)
        .hasMessage("money: cannot add 1.00 CNY and 1.00 USD: currencies CNY and USD differ");
    assertThatThrownBy(() -> yuan.minus(dollar)).isInstanceOf(MoneyException.class).hasMessageContaining("subtract");
    assertThatThrownBy(() -> yuan.compareTo(dollar)).isInstanceOf(MoneyException.class).hasMessageContaining("compare");
  }

  @Test
  void overflow_isRefused_neverWrapped() {
    Money max = Money.ofMinor(Long.MAX_VALUE, CNY);
    Money min = Money.ofMinor(Long.MIN_VALUE, CNY);
    Money one = Money.ofMinor(1, CNY);
    assertThatThrownBy(() -> max.plus(one)).isInstanceOf(MoneyException.class).hasMessageContaining("overflows a long");
    assertThatThrownBy(() -> min.minus(one)).isInstanceOf(MoneyException.class);
    assertThatThrownBy(min::negate).isInstanceOf(MoneyException.class).hasMessageContaining("negating");
    assertThatThrownBy(() -> max.times(2)).isInstanceOf(MoneyException.class);
  }

  @Test
  void currency_tableAndIsoLookups() {
    // ISO 4217: CNY numeric 156 with 2 minor digits; JPY 392 with 0; CHF 756 with 2.
    assertThat(CurrencyUnit.ofNumeric(156)).isEqualTo(CNY);
    assertThat(CurrencyUnit.of("JPY").minorDigits()).isZero();
    assertThat(CurrencyUnit.of("CHF")).isEqualTo(new CurrencyUnit("CHF", 756, 2));
    assertThat(CurrencyUnit.ofNumeric(756).alphaCode()).isEqualTo("CHF");
    assertThat(CNY.minorPerMajor()).isEqualTo(100);
    assertThat(CurrencyUnit.common()).contains(CurrencyUnit.CNY, CurrencyUnit.USD, CurrencyUnit.EUR);
  }

  @Test
  void currency_unknownOrWithoutMinorUnit_isRejected() {
    assertThatThrownBy(() -> CurrencyUnit.of("cny")).isInstanceOf(MoneyException.class);
    assertThatThrownBy(() -> CurrencyUnit.of("XAU")).isInstanceOf(MoneyException.class)
        .hasMessage("money: unknown currency 'XAU'");
    assertThatThrownBy(() -> CurrencyUnit.ofNumeric(1)).isInstanceOf(MoneyException.class)
        .hasMessageContaining("numeric currency code 1");
    assertThatThrownBy(() -> new CurrencyUnit("CN", 156, 2)).isInstanceOf(MoneyException.class);
    assertThatThrownBy(() -> new CurrencyUnit("CNY", 156, 5)).isInstanceOf(MoneyException.class);
  }
}
