package io.iotpay.terminal.gate;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import java.time.Duration;
import java.util.Map;

/**
 * One gate's settings. Immutable; {@link #of} fills the defaults.
 *
 * @param operator the metro operator (acquirer) owning the gate
 * @param operatorCode the operator's 2-byte code written into the card's CAPP record, 1..65535
 * @param terminalId the gate's terminal id (journal record ids), 1..16 of A-Z, 0-9, '-'
 * @param stationNumber this station's number in the fare table
 * @param gateNumber the gate's number within the station, 0..65535
 * @param direction entry or exit gate
 * @param passbackWindow default 20 min, 1 s..1 day: an entry within this time of the card's last
 *     entry, with no exit since, is refused (anti-passback)
 * @param journeyTimeLimit default 4 h, at least the passback window, at most 1 day: an open journey
 *     older than this is incomplete and charged the locked maximum fare
 * @param currency the network's currency (5F2A, default CNY)
 * @param countryCode the terminal country code (9F1A, default 156)
 * @param operatorsByCode operator codes of the network's operators, to name the operator of a
 *     transaction recovered from a card tapped at another operator's gate
 */
public record GateConfig(
    PartyId operator,
    int operatorCode,
    String terminalId,
    int stationNumber,
    int gateNumber,
    Direction direction,
    Duration passbackWindow,
    Duration journeyTimeLimit,
    CurrencyUnit currency,
    int countryCode,
    Map<Integer, PartyId> operatorsByCode) {

  /** Which way the gate lets riders through. */
  public enum Direction {
    ENTRY,
    EXIT
  }

  public static final Duration PASSBACK_WINDOW_DEFAULT = Duration.ofMinutes(20);
  public static final Duration JOURNEY_TIME_LIMIT_DEFAULT = Duration.ofHours(4);

  /** @throws GateException naming the first setting out of its bound */
  public GateConfig {
    check(operator != null && direction != null && currency != null && passbackWindow != null
        && journeyTimeLimit != null && operatorsByCode != null, "a setting is missing");
    check(operatorCode >= 1 && operatorCode <= 0xFFFF, "operator code " + operatorCode + " is outside 1..65535");
    check(terminalId != null && terminalId.matches("[A-Z0-9-]{1,16}"), "terminal id '" + terminalId + "' is not 1..16 of A-Z, 0-9, '-'");
    check(stationNumber >= 1 && stationNumber <= 0xFFFF, "station number " + stationNumber + " is outside 1..65535");
    check(gateNumber >= 0 && gateNumber <= 0xFFFF, "gate number " + gateNumber + " is outside 0..65535");
    check(passbackWindow.compareTo(Duration.ofSeconds(1)) >= 0 && passbackWindow.compareTo(Duration.ofDays(1)) <= 0,
        "passback window " + passbackWindow + " is outside 1 s..1 day");
    check(journeyTimeLimit.compareTo(passbackWindow) >= 0 && journeyTimeLimit.compareTo(Duration.ofDays(1)) <= 0,
        "journey time limit " + journeyTimeLimit + " is outside passback window..1 day");
    check(countryCode >= 0 && countryCode <= 999, "country code " + countryCode + " is outside 0..999");
    operatorsByCode = Map.copyOf(operatorsByCode);
  }

  /** A gate with the default windows, CNY, country 156, and only its own operator known. */
  public static GateConfig of(PartyId operator, int operatorCode, String terminalId, int stationNumber,
      int gateNumber, Direction direction) {
    return new GateConfig(operator, operatorCode, terminalId, stationNumber, gateNumber, direction,
        PASSBACK_WINDOW_DEFAULT, JOURNEY_TIME_LIMIT_DEFAULT, CurrencyUnit.CNY, 156,
        Map.of(operatorCode, operator));
  }

  /** This configuration with other passback and journey windows. */
  public GateConfig withWindows(Duration passback, Duration journeyLimit) {
    return new GateConfig(operator, operatorCode, terminalId, stationNumber, gateNumber, direction, passback,
        journeyLimit, currency, countryCode, operatorsByCode);
  }

  /** The operator for a code read from a card; this gate's own operator when the code is unknown. */
  public PartyId operatorFor(int code) {
    return operatorsByCode.getOrDefault(code, operator);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new GateException("gate config: " + what);
    }
  }
}
