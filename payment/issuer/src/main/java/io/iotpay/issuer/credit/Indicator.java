package io.iotpay.issuer.credit;

/**
 * The credit indicators: what is measured about a cardholder, over which window, in which unit,
 * what happens when data is missing, and how the value is binned for the scorecard. Definitions
 * are in {@link Indicators}; {@code docs/credit.md} has them as a table.
 *
 * <p>Windows end on the business date being scored, inclusive: a 30-day window on 2026-12-06 is
 * 2026-11-07..2026-12-06. Days before the wallet was issued count as days without activity (so a
 * longer tenure never changes another indicator). Bins are given by ascending inclusive upper
 * bounds; a value above the last bound falls in the last bin. An indicator that may be missing has
 * one more bin, {@link #missingBin()}, after the value bins.
 */
public enum Indicator {
  ACTIVE_DAY_SHARE("CR01", "permille", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.HIGHER_IS_BETTER, false,
      "Purchases were made on few days of the last 30", new long[] {100, 300, 600}),
  DAILY_SPEND_VARIATION("CR02", "percent", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.HIGHER_IS_WORSE, true,
      "Daily spending was irregular over the last 30 days", new long[] {50, 100, 200}),
  LOADS("CR03", "loads", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.NONE, false,
      "The wallet was loaded rarely, or unusually often, over the last 30 days", new long[] {0, 1, 4}),
  LOAD_COVER("CR04", "tenths of a day", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.HIGHER_IS_BETTER, true,
      "Loads were small compared with daily spending", new long[] {30, 100, 300}),
  AUTO_LOAD_SHARE("CR05", "permille", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.HIGHER_IS_BETTER, true,
      "Few loads were automatic or made online", new long[] {0, 500}),
  FAILED_PARTS("CR06", "parts", Indicator.FAILURE_WINDOW_DAYS, Direction.HIGHER_IS_WORSE, false,
      "Online parts of split payments failed in the last 180 days", new long[] {0, 1, 3}),
  UNSETTLED_DAYS_MAX("CR07", "days", Indicator.FAILURE_WINDOW_DAYS, Direction.HIGHER_IS_WORSE, false,
      "A failed online part took long to settle", new long[] {0, 2, 7, 30}),
  OUTSTANDING_PARTS("CR08", "parts", 0, Direction.HIGHER_IS_WORSE, false,
      "Failed online parts are still outstanding", new long[] {0, 1, 3}),
  OUTSTANDING_DEBT("CR09", "tenths of a day", 0, Direction.HIGHER_IS_WORSE, false,
      "Outstanding debt is large compared with daily spending", new long[] {0, 10, 50, 200}),
  BALANCE_AVERAGE("CR10", "tenths of a day", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.HIGHER_IS_BETTER, true,
      "The online account's balance was low compared with daily spending", new long[] {0, 30, 150}),
  BALANCE_NEGATIVE_DAYS("CR11", "days", Indicator.BEHAVIOUR_WINDOW_DAYS, Direction.HIGHER_IS_WORSE, true,
      "The online account was overdrawn on some days of the last 30", new long[] {0, 2, 7}),
  TENURE("CR12", "days", 0, Direction.HIGHER_IS_BETTER, false,
      "The wallet was issued recently", new long[] {30, 90, 365, 730});

  /** Window of the purchase, load and balance indicators, days. */
  public static final int BEHAVIOUR_WINDOW_DAYS = 30;
  /** Window of the failure indicators, days: a failure is remembered for half a year. */
  public static final int FAILURE_WINDOW_DAYS = 180;
  /** Reason codes of missing data are the indicator's number plus this (CR01 → CR51). */
  static final int MISSING_CODE_OFFSET = 50;

  /** Which way the points must move as the value grows; checked when a scorecard is built. */
  public enum Direction {
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    /** Not monotone (e.g. both very few and very many loads are unusual). */
    NONE
  }

  private final String reasonCode;
  private final String unit;
  private final int windowDays;
  private final Direction direction;
  private final boolean mayBeMissing;
  private final String reasonSentence;
  private final long[] upperBounds;

  Indicator(String reasonCode, String unit, int windowDays, Direction direction, boolean mayBeMissing,
      String reasonSentence, long[] upperBounds) {
    this.reasonCode = reasonCode;
    this.unit = unit;
    this.windowDays = windowDays;
    this.direction = direction;
    this.mayBeMissing = mayBeMissing;
    this.reasonSentence = reasonSentence;
    this.upperBounds = upperBounds;
  }

  /** The stable reason code when this indicator costs points, e.g. {@code CR06}. */
  public ReasonCode reason() {
    return new ReasonCode(reasonCode, reasonSentence);
  }

  /** The stable reason code when this indicator costs points because its data is missing. */
  public ReasonCode missingReason() {
    int number = Integer.parseInt(reasonCode.substring(2)) + MISSING_CODE_OFFSET;
    return new ReasonCode("CR" + number, "Not enough history: " + missingRule());
  }

  /** What makes the value missing; only meaningful when {@link #mayBeMissing()}. */
  public String missingRule() {
    return switch (this) {
      case DAILY_SPEND_VARIATION -> "fewer than 3 days with purchases in the last 30 days";
      case LOAD_COVER -> "no load or no purchase in the last 30 days";
      case AUTO_LOAD_SHARE -> "no load in the last 30 days";
      case BALANCE_AVERAGE, BALANCE_NEGATIVE_DAYS -> "no online balance known in the last 30 days";
      case ACTIVE_DAY_SHARE, LOADS, FAILED_PARTS, UNSETTLED_DAYS_MAX, OUTSTANDING_PARTS, OUTSTANDING_DEBT, TENURE ->
          "never missing";
    };
  }

  public String unit() {
    return unit;
  }

  /** The window in days, or 0 when the indicator looks at the wallet's whole life. */
  public int windowDays() {
    return windowDays;
  }

  public Direction direction() {
    return direction;
  }

  public boolean mayBeMissing() {
    return mayBeMissing;
  }

  /** Bins of values (not counting the missing bin). */
  public int valueBins() {
    return upperBounds.length + 1;
  }

  /** All bins, the missing bin included when the indicator may be missing. */
  public int bins() {
    return valueBins() + (mayBeMissing ? 1 : 0);
  }

  /** Index of the missing bin. @throws AssertionError if this indicator is never missing */
  public int missingBin() {
    io.iotpay.foundation.Assert.that(mayBeMissing, "indicator {} is never missing", this);
    return valueBins();
  }

  /** The inclusive upper bounds of the value bins but the last, ascending. */
  public long[] upperBounds() {
    return upperBounds.clone();
  }

  /** The bin of a value: the first whose upper bound is ≥ value, else the last value bin. */
  public int binOf(long value) {
    for (int bin = 0; bin < upperBounds.length; bin++) {
      if (value <= upperBounds[bin]) {
        return bin;
      }
    }
    return upperBounds.length;
  }

  /** The bin as text for documents, e.g. {@code ≤ 100}, {@code 101..300}, {@code > 600}, {@code missing}. */
  public String binLabel(int bin) {
    if (mayBeMissing && bin == valueBins()) {
      return "missing";
    }
    if (bin == upperBounds.length) {
      return "> " + upperBounds[upperBounds.length - 1];
    }
    if (bin == 0) {
      return "≤ " + upperBounds[0];
    }
    long low = upperBounds[bin - 1] + 1;
    return low == upperBounds[bin] ? String.valueOf(low) : low + ".." + upperBounds[bin];
  }
}
