package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.settlement.GrossSource;
import io.iotpay.switching.settlement.MultilateralNetting;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Closes an online business day at the switch process and stores its settlement window
 * (docs/console.md, "The switch's console"): {@link OnlineClearing#close} (the day is shut to
 * presentments and its accepted captures and refunds summed), {@link MultilateralNetting}, the window
 * stored with each participant's gross and net position ({@link SettlementWindowStore}), then the day
 * marked settled. Idempotent: a day with a window gets that window back and is never netted twice; a
 * crash between the steps is repaired by closing again (the closed day's sums do not change).
 */
public final class SettlementClose {
  private static final System.Logger LOG = System.getLogger(SettlementClose.class.getName());
  /** Longest operator name kept with a window. */
  public static final int OPERATOR_CHARS_MAX = 64;

  /** Why a close was refused; nothing was changed. */
  public static final class RefusedException extends RuntimeException {
    public RefusedException(String message) {
      super(message);
    }
  }

  private final OnlineClearing clearing;
  private final SettlementWindowStore store;
  private final CurrencyUnit currency;
  private final List<PartyId> issuers;
  private final List<PartyId> acquirers;
  private final Clock clock;

  /**
   * @param issuers every issuer (each gets a position, zero when it has no amount)
   * @param acquirers every acquirer (likewise)
   * @param clock the switch's clock: a date after its today is refused
   */
  public SettlementClose(OnlineClearing clearing, SettlementWindowStore store, CurrencyUnit currency,
      List<PartyId> issuers, List<PartyId> acquirers, Clock clock) {
    this.clearing = Assert.notNull(clearing, "clearing");
    this.store = Assert.notNull(store, "store");
    this.currency = Assert.notNull(currency, "currency");
    this.issuers = List.copyOf(issuers);
    this.acquirers = List.copyOf(acquirers);
    this.clock = Assert.notNull(clock, "clock");
  }

  /**
   * Closes {@code businessDate} (once) and returns its window, positions summing to zero. From that
   * moment a presentment file of the date is refused ({@link OnlineClearing.Refusal#DAY_SETTLED}).
   *
   * @param operator who closes it (kept with the window; a repeated close keeps the first)
   * @throws RefusedException when the date is after the switch's today or the operator's name is not
   *     1..{@value #OPERATOR_CHARS_MAX} printable characters
   */
  public synchronized SettlementWindowStore.Window close(LocalDate businessDate, String operator) {
    Assert.notNull(businessDate, "businessDate");
    if (operator == null || operator.isBlank() || operator.length() > OPERATOR_CHARS_MAX
        || !operator.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
      throw new RefusedException("the operator's name must be 1.." + OPERATOR_CHARS_MAX + " printable characters");
    }
    LocalDate today = LocalDate.now(clock);
    if (businessDate.isAfter(today)) {
      throw new RefusedException("day " + businessDate + " has not begun (today is " + today + ")");
    }
    var before = store.window(businessDate);
    if (before.isPresent() && before.get().state() == SettlementWindowStore.State.SETTLED) {
      return before.get();
    }
    SettlementWindowStore.Window window = before.orElseGet(() -> store.insertIfAbsent(net(businessDate, operator)));
    clearing.settled(businessDate);
    store.markSettled(businessDate);
    LOG.log(Level.INFO, "Settlement window closed [window={0}, day={1}, records={2}, participants={3}]",
        window.windowId(), businessDate, window.records(), window.positions().size());
    return store.window(businessDate).orElseThrow();
  }

  /** The day's gross amounts netted into a window (not stored). */
  private SettlementWindowStore.Window net(LocalDate businessDate, String operator) {
    GrossSource.Gross gross = clearing.close(businessDate);
    SettlementReport report = MultilateralNetting.net(businessDate, currency, issuers, acquirers,
        gross.payerToReceiverMinor(), gross.records()); // refuses positions that do not sum to zero
    Map<PartyId, long[]> paysReceives = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    for (var payer : gross.payerToReceiverMinor().entrySet()) {
      for (var receiver : payer.getValue().entrySet()) {
        long[] pays = paysReceives.computeIfAbsent(payer.getKey(), p -> new long[2]);
        pays[0] = Math.addExact(pays[0], receiver.getValue());
        long[] receives = paysReceives.computeIfAbsent(receiver.getKey(), p -> new long[2]);
        receives[1] = Math.addExact(receives[1], receiver.getValue());
      }
    }
    List<SettlementWindowStore.Position> positions = report.positions().stream().map(p -> position(p, paysReceives))
        .toList();
    return new SettlementWindowStore.Window("SW-" + businessDate.toString().replace("-", ""), businessDate,
        currency.alphaCode(), report.recordsSettled(), SettlementWindowStore.State.CLOSED, operator, clock.instant(),
        positions);
  }

  private SettlementWindowStore.Position position(NetPosition p, Map<PartyId, long[]> paysReceives) {
    long[] amounts = paysReceives.getOrDefault(p.party(), new long[2]);
    String role = issuers.contains(p.party()) ? "issuer" : "acquirer";
    Assert.that(p.net().amountMinor() == amounts[1] - amounts[0], "net differs from gross [party={}]", p.party());
    return new SettlementWindowStore.Position(p.party().value(), role, amounts[0], amounts[1], p.net().amountMinor());
  }
}
