package io.iotpay.app.iot;

import io.iotpay.app.iot.IotDemo.Attack;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.platform.decision.DecisionStats;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.inbox.SecurityEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's verdict on each attack, read from the platform's own records — never from what the
 * demo's attacker saw: the security log (refused messages and connections, with their reasons), the
 * broker's refused PUBLISH counter, the device registry, the device-state registry's clone flag, the
 * payment decisions and the ledger's balances. An attack is blocked only if its record shows the
 * expected refusal (or flag) <em>and</em> no decision was made and no balance moved while it ran.
 */
final class AttackRecords {
  /** What the platform had recorded when an attack began. */
  record Mark(long securitySequence, Map<Long, AccountBalance> balances, long decisions, long refusedPublishes) {}

  /** The platform's verdict on one attack, and the record it rests on. */
  record Verdict(boolean blocked, String record, String evidence) {}

  private final IotNode node;
  private final IotServer server;
  /** Blocked attacks by the record that shows it (the report's {@code attacks_blocked_by_record}). */
  private final Map<String, Long> blockedByRecord = new TreeMap<>();
  /** Refusals in the security log that attacks caused, by reason. */
  private final Map<String, Long> attackRefusals = new TreeMap<>();

  AttackRecords(IotNode node, IotServer server) {
    this.node = node;
    this.server = server;
  }

  Mark mark() {
    List<SecurityEvent> latest = node.inbox.securityLog().latest();
    long sequence = latest.isEmpty() ? 0 : latest.get(latest.size() - 1).sequence();
    return new Mark(sequence, node.ledger.balances(), decisions(node.decisions.stats()),
        server == null ? 0 : server.broker.stats().refusedPublishes());
  }

  /**
   * @param subject the device the attack was about (for an unregistered manufacturer CA: the id its
   *     certificate claims)
   */
  Verdict verdict(Attack kind, DeviceId subject, Mark mark) {
    List<SecurityEvent> since = node.inbox.securityLog().latest().stream().filter(e -> e.sequence() > mark.securitySequence()).toList();
    since.forEach(e -> attackRefusals.merge(e.reason(), 1L, Long::sum));
    boolean untouched = mark.balances().equals(node.ledger.balances()) && mark.decisions() == decisions(node.decisions.stats());
    Verdict verdict = switch (kind) {
      case UNREGISTERED_MANUFACTURER_CA -> new Verdict(node.identity.deviceForMessage(subject).isEmpty(), "device_registry",
          subject + (node.identity.deviceForMessage(subject).isEmpty() ? " not registered" : " REGISTERED"));
      case CLONE_RACING -> {
        String flag = node.states.state(subject).map(s -> s.cloneSuspicion()).orElse(null);
        yield new Verdict(flag != null, "clone_flag", flag == null ? "no clone flag on " + subject : "clone flag: " + flag);
      }
      case ANOTHER_DEVICES_TOPIC -> {
        long refused = server.broker.stats().refusedPublishes() - mark.refusedPublishes();
        yield new Verdict(refused > 0, "broker_refusals", refused + " PUBLISH refused NOT_AUTHORISED by the broker");
      }
      default -> {
        Set<String> expected = expected(kind);
        List<String> reasons = since.stream().map(SecurityEvent::reason).toList();
        yield new Verdict(reasons.stream().anyMatch(expected::contains), "refusal_log",
            "security log since the attack: " + reasons + ", expected one of " + expected);
      }
    };
    Verdict result = new Verdict(verdict.blocked() && untouched, verdict.record(),
        verdict.evidence() + (untouched ? "" : "; a decision was made or a balance moved"));
    if (result.blocked()) {
      blockedByRecord.merge(result.record(), 1L, Long::sum);
    }
    return result;
  }

  /** The refusal reasons that show an attack of {@code kind} was refused (docs/demo-iot.md's table). */
  static Set<String> expected(Attack kind) {
    return switch (kind) {
      case UNKNOWN_DEVICE -> Set.of("UNKNOWN_DEVICE");
      case REVOKED_DEVICE -> Set.of("DEVICE_REVOKED");
      case WRONG_SUITE -> Set.of("SUITE_MISMATCH");
      case REPLAYED_COUNTER -> Set.of("REPLAYED_COUNTER");
      case SIGNED_BY_ANOTHER_DEVICE -> Set.of("BAD_SIGNATURE");
      case ANOTHER_DEVICES_CHANNEL -> Set.of("CHANNEL_MISMATCH");
      case TAMPERED -> Set.of("BAD_SIGNATURE", "MALFORMED");
      case OVERSIZED -> Set.of("OVERSIZED");
      case MALFORMED -> Set.of("MALFORMED");
      case UNREGISTERED_MANUFACTURER_CA, CLONE_RACING, ANOTHER_DEVICES_TOPIC -> Set.of();
    };
  }

  Map<String, Long> blockedByRecord() {
    return new TreeMap<>(blockedByRecord);
  }

  Map<String, Long> attackRefusals() {
    return new TreeMap<>(attackRefusals);
  }

  private static long decisions(DecisionStats stats) {
    return stats.approved() + stats.declined() + stats.confirmationsRequested();
  }
}
