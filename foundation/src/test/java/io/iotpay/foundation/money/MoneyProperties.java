package io.iotpay.foundation.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MoneyProperties {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @Provide
  Arbitrary<CurrencyUnit> currencies() {
    return Arbitraries.of(CurrencyUnit.CNY, CurrencyUnit.JPY, CurrencyUnit.USD, CurrencyUnit.of("BHD"));
  }

  @Property(tries = 1000)
  void textRoundTrips(@ForAll long amountMinor, @ForAll("currencies") CurrencyUnit currency) {
    Money money = Money.ofMinor(amountMinor, currency);
    assertThat(Money.parse(money.toString())).isEqualTo(money);
    assertThat(Money.parse(money.toPlainString(), currency)).isEqualTo(money);
  }

  @Property(tries = 1000)
  void formatAgreesWithBigDecimal(@ForAll long amountMinor, @ForAll("currencies") CurrencyUnit currency) {
    // Independent oracle: BigDecimal's unscaled value with the currency's scale.
    String expected = new BigDecimal(BigInteger.valueOf(amountMinor), currency.minorDigits()).toPlainString();
    assertThat(Money.ofMinor(amountMinor, currency).toPlainString()).isEqualTo(expected);
  }

  @Property(tries = 2000)
  void plusIsExactOrRefused(@ForAll long a, @ForAll long b) {
    BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
    Money left = Money.ofMinor(a, CurrencyUnit.CNY);
    Money right = Money.ofMinor(b, CurrencyUnit.CNY);
    if (fitsLong(exact)) {
      assertThat(left.plus(right).amountMinor()).isEqualTo(exact.longValueExact());
    } else {
      assertThatThrownBy(() -> left.plus(right)).isInstanceOf(MoneyException.class);
    }
  }

  @Property(tries = 2000)
  void minusIsExactOrRefused(@ForAll long a, @ForAll long b) {
    BigInteger exact = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b));
    Money left = Money.ofMinor(a, CurrencyUnit.CNY);
    Money right = Money.ofMinor(b, CurrencyUnit.CNY);
    if (fitsLong(exact)) {
      assertThat(left.minus(right).amountMinor()).isEqualTo(exact.longValueExact());
    } else {
      assertThatThrownBy(() -> left.minus(right)).isInstanceOf(MoneyException.class);
    }
  }

  @Property(tries = 2000)
  void timesIsExactOrRefused(@ForAll long a, @ForAll long factor) {
    BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(factor));
    Money money = Money.ofMinor(a, CurrencyUnit.CNY);
    if (fitsLong(exact)) {
      assertThat(money.times(factor).amountMinor()).isEqualTo(exact.longValueExact());
    } else {
      assertThatThrownBy(() -> money.times(factor)).isInstanceOf(MoneyException.class);
    }
  }

  @Property(tries = 500)
  void plusThenMinusGivesBackTheStart(@ForAll int a, @ForAll int b) {
    Money start = Money.ofMinor(a, CurrencyUnit.EUR);
    Money other = Money.ofMinor(b, CurrencyUnit.EUR);
    assertThat(start.plus(other).minus(other)).isEqualTo(start);
  }

  private static boolean fitsLong(BigInteger value) {
    return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
  }
}
