package io.iotpay.terminal.gate;

import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test network: 8 stations on a line in 4 zones (fare 2.00 + 1.00 per zone crossed, so 2.00..5.00),
 * two entry gates at S01 and two exit gates at S08 and S03, each with its own journal, one clock.
 */
final class Metro {
  static final PartyId OPERATOR = PartyId.of("METRO-1");
  final FareTable fares = FareTable.line(8, 200, 100);
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-23T08:00:00Z"),
      BusinessDayRule.UTC_MIDNIGHT);
  final Map<String, GateKernel> gates = new LinkedHashMap<>();
  private final Path dir;

  private final OdaVerifier oda;

  Metro(Path dir) {
    this(dir, null);
  }

  /** A network whose gates authenticate cards offline with {@code oda} (null: no ODA). */
  Metro(Path dir, OdaVerifier oda) {
    this.dir = dir;
    this.oda = oda;
    add("IN-A", 1, 1, GateConfig.Direction.ENTRY);
    add("IN-B", 1, 2, GateConfig.Direction.ENTRY);
    add("OUT-C", 8, 1, GateConfig.Direction.EXIT);
    add("OUT-D", 8, 2, GateConfig.Direction.EXIT);
    add("OUT-E", 3, 1, GateConfig.Direction.EXIT);
  }

  private void add(String id, int station, int gate, GateConfig.Direction direction) {
    GateConfig config = GateConfig.of(OPERATOR, 1, id, station, gate, direction);
    gates.put(id, new GateKernel(config, fares, GateJournal.open(dir.resolve(id + ".journal")), clock, oda));
  }

  GateKernel gate(String id) {
    return gates.get(id);
  }

  /** Every gate's records, de-duplicated on the card key (what the switch does). */
  Map<TransitRecord.CardTransactionKey, TransitRecord> union() {
    Map<TransitRecord.CardTransactionKey, TransitRecord> out = new LinkedHashMap<>();
    for (GateKernel gate : gates.values()) {
      for (TransitRecord r : gate.journal().records()) {
        out.putIfAbsent(r.cardKey(), r);
      }
    }
    return out;
  }

  /** Every record of every gate, duplicates included. */
  List<TransitRecord> all() {
    List<TransitRecord> out = new ArrayList<>();
    gates.values().forEach(g -> out.addAll(g.journal().records()));
    return out;
  }

  void close() {
    gates.values().forEach(g -> g.journal().close());
  }
}
