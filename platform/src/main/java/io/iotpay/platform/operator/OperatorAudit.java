package io.iotpay.platform.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.platform.access.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Where an operator's verdicts are recorded: the node's signed audit log (a Merkle leaf each, so a
 * verdict cannot be taken back or altered later without {@code audit verify} failing). The leaf is
 * UTF-8 JSON, {@code {"kind":"operator-action","action":…,"device_id":…,"reason":…,"evidence":…,"at":…}}.
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
}
