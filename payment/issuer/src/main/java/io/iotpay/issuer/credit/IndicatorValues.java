package io.iotpay.issuer.credit;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * One cardholder's indicator values: a value per {@link Indicator}, or missing. Immutable.
 */
public final class IndicatorValues {
  private static final Indicator[] INDICATORS = Indicator.values();

  private final long[] values;
  private final boolean[] missing;

  private IndicatorValues(long[] values, boolean[] missing) {
    this.values = values;
    this.missing = missing;
  }

  /** A builder; every indicator starts at 0, present. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value, or empty when missing. */
  public OptionalLong value(Indicator indicator) {
    return missing[indicator.ordinal()] ? OptionalLong.empty() : OptionalLong.of(values[indicator.ordinal()]);
  }

  public boolean isMissing(Indicator indicator) {
    return missing[indicator.ordinal()];
  }

  /** The bin of this indicator's value (its missing bin when missing). */
  public int binOf(Indicator indicator) {
    return missing[indicator.ordinal()] ? indicator.missingBin() : indicator.binOf(values[indicator.ordinal()]);
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    System.arraycopy(values, 0, builder.values, 0, values.length);
    System.arraycopy(missing, 0, builder.missing, 0, missing.length);
    return builder;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IndicatorValues that && Arrays.equals(values, that.values)
        && Arrays.equals(missing, that.missing);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(missing);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("IndicatorValues{");
    for (Indicator indicator : INDICATORS) {
      text.append(indicator.name()).append('=')
          .append(missing[indicator.ordinal()] ? "missing" : String.valueOf(values[indicator.ordinal()])).append(' ');
    }
    return text.append('}').toString();
  }

  /** Sets values one by one; {@link #build} checks that only indicators that may be missing are. */
  public static final class Builder {
    private final long[] values = new long[INDICATORS.length];
    private final boolean[] missing = new boolean[INDICATORS.length];

    private Builder() {}

    public Builder set(Indicator indicator, long value) {
      values[indicator.ordinal()] = value;
      missing[indicator.ordinal()] = false;
      return this;
    }

    /** @throws AssertionError if the indicator is never missing (a programmer error) */
    public Builder missing(Indicator indicator) {
      io.iotpay.foundation.Assert.that(indicator.mayBeMissing(), "indicator {} is never missing", indicator.name());
      values[indicator.ordinal()] = 0;
      missing[indicator.ordinal()] = true;
      return this;
    }

    public IndicatorValues build() {
      return new IndicatorValues(values.clone(), missing.clone());
    }
  }
}
