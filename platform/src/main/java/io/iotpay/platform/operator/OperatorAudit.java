package io.iotpay.platform.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.platform.access.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Where an operator's verdicts are recorded: the node's signed audit log (a Merkle leaf each, so a
 * verdict cannot be taken back or altered later without {@code audit verify} failing). The leaf is
 * UTF-8 JSON: a verdict on a device is {@code {"kind":"operator-action","action":…,"device_id":…,"reason":…,
 * "evidence":…,"at":…}}; a bulk registration is {@code {"kind":"operator-action","action":"devices-registered",
 * "source":…,"registered":[ids…],"refused":[{"line":…,"device_id":…,"reason":…}…],"at":…}}.
 */
@FunctionalInterface
public interface OperatorAudit {
  /**
   * Appends one leaf.
   *
   * @return its leaf index
   * @throws SQLException when the store refused it (nothing appended)
   */
  long append(byte[] leaf) throws SQLException;

  /** The leaf of an operator's verdict on a device. */
  static byte[] verdict(String action, String deviceId, String reason, String evidence, Instant at) {
    ObjectNode leaf = Exchange.JSON.createObjectNode()
        .put("kind", "operator-action")
        .put("action", action)
        .put("device_id", deviceId)
        .put("reason", reason)
        .put("evidence", evidence)
        .put("at", at.toString());
    return leaf.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One refused row of a bulk registration: its line in the file, the id it named (as shown), the reason code. */
  record RefusedRow(int line, String deviceId, String reason) {}

  /**
   * The leaf of a bulk registration.
   *
   * @param source where the rows came from, e.g. {@code console-csv}
   * @param registered the device ids registered, in file order
   * @param refused the rows refused (nothing of them was stored)
   */
  static byte[] registrations(String source, List<String> registered, List<RefusedRow> refused, Instant at) {
    ObjectNode leaf = Exchange.JSON.createObjectNode()
        .put("kind", "operator-action")
        .put("action", "devices-registered")
        .put("source", source);
    ArrayNode ids = leaf.putArray("registered");
    registered.forEach(ids::add);
    ArrayNode rows = leaf.putArray("refused");
    refused.forEach(row -> rows.addObject().put("line", row.line()).put("device_id", row.deviceId()).put("reason", row.reason()));
    leaf.put("at", at.toString());
    return leaf.toString().getBytes(StandardCharsets.UTF_8);
  }
}
