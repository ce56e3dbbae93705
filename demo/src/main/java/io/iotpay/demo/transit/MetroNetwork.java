package io.iotpay.demo.transit;

import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.terminal.gate.FareTable;
import io.iotpay.terminal.gate.GateConfig;
import io.iotpay.terminal.gate.GateJournal;
import io.iotpay.terminal.gate.GateKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's metro: one line of {@value #STATIONS} stations in 4 zones (fare 3.00 + 1.50 per zone
 * crossed, so 3.00..7.50, below the cards' DF62 of 8.00), stations 1..4 run by operator METRO-A and
 * 5..8 by METRO-B. Each station has {@value #GATES_PER_DIRECTION} entry and as many exit gates,
 * each with its own journal file.
 * A transaction recovered from another operator's gate is attributed to that operator: the one its
 * TAC covers (docs/gate.md §4).
 */
final class MetroNetwork implements AutoCloseable {
  static final int STATIONS = 8;
  static final int GATES_PER_DIRECTION = 2;
  static final PartyId METRO_A = PartyId.of("METRO-A");
  static final PartyId METRO_B = PartyId.of("METRO-B");
  static final List<PartyId> OPERATORS = List.of(METRO_A, METRO_B);
  private static final Map<Integer, PartyId> OPERATOR_CODES = Map.of(1, METRO_A, 2, METRO_B);

  final FareTable fares = FareTable.line(STATIONS, 300, 150);
  private final List<GateKernel> entryGates = new ArrayList<>();
  private final List<GateKernel> exitGates = new ArrayList<>();

  /** @param oda the scheme's CA keys and revocation list every gate authenticates cards with */
  MetroNetwork(Path journalDir, BusinessClock clock, OdaVerifier oda) {
    for (int station = 1; station <= STATIONS; station++) {
      for (int number = 1; number <= GATES_PER_DIRECTION; number++) {
        entryGates.add(gate(journalDir, clock, station, number, GateConfig.Direction.ENTRY, oda));
        exitGates.add(gate(journalDir, clock, station, number, GateConfig.Direction.EXIT, oda));
      }
    }
  }

  private GateKernel gate(Path journalDir, BusinessClock clock, int station, int number,
      GateConfig.Direction direction, OdaVerifier oda) {
    int operatorCode = station <= STATIONS / 2 ? 1 : 2;
    PartyId operator = OPERATOR_CODES.get(operatorCode);
    String terminal = String.format("%s-S%02d-%s%d", operator.value(), station,
        direction == GateConfig.Direction.ENTRY ? "IN" : "OUT", number);
    GateConfig config = new GateConfig(operator, operatorCode, terminal, station, number, direction,
        GateConfig.PASSBACK_WINDOW_DEFAULT, GateConfig.JOURNEY_TIME_LIMIT_DEFAULT,
        io.iotpay.foundation.money.CurrencyUnit.CNY, 156, OPERATOR_CODES);
    return new GateKernel(config, fares, GateJournal.open(journalDir.resolve(terminal + ".journal")), clock,
        oda);
  }

  /** The entry gates of {@code station} (1..{@value #STATIONS}). */
  List<GateKernel> entryGates(int station) {
    return entryGates.subList((station - 1) * GATES_PER_DIRECTION, station * GATES_PER_DIRECTION);
  }

  /** The exit gates of {@code station} (1..{@value #STATIONS}). */
  List<GateKernel> exitGates(int station) {
    return exitGates.subList((station - 1) * GATES_PER_DIRECTION, station * GATES_PER_DIRECTION);
  }

  /** Every gate of {@code operator}, entry gates first. */
  List<GateKernel> gatesOf(PartyId operator) {
    List<GateKernel> out = new ArrayList<>();
    for (GateKernel gate : allGates()) {
      if (gate.config().operator().equals(operator)) {
        out.add(gate);
      }
    }
    return out;
  }

  /** The record {@code id} as its gate's journal holds it (read from the gate's journal), if the gate journaled it. */
  Optional<TransitRecord> journaled(RecordId id) {
    return allGates().stream().filter(g -> g.config().terminalId().equals(id.terminalId())).findFirst()
        .flatMap(gate -> gate.journal().records().stream().filter(r -> r.id().equals(id)).findFirst());
  }

  List<GateKernel> allGates() {
    List<GateKernel> out = new ArrayList<>(entryGates);
    out.addAll(exitGates);
    return out;
  }

  @Override
  public void close() {
    allGates().forEach(g -> g.journal().close());
  }
}
