package io.iotpay.acquirer.pos.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.Finding;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.acquirer.pos.merchant.TransactPermission;
import io.iotpay.foundation.crypto.Pem;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * The JSON answers. A merchant's owner identity number and settlement account number appear only
 * masked; nothing else about them is ever written.
 */
final class Views {
  static final ObjectMapper JSON = new ObjectMapper();

  private Views() {}

  static ObjectNode error(String code, String detail) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", code);
    node.put("detail", detail);
    return node;
  }

  static ObjectNode merchant(Merchant m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("merchant_id", m.id().value());
    node.put("state", m.state().name());
    node.put("state_reason", m.stateReason());
    node.put("legal_name", m.legalName());
    node.put("business_licence_number", m.licenceNumber());
    node.put("owner_id_number_masked", m.ownerIdMasked());
    node.put("mcc", m.mcc());
    node.put("address", m.address());
    ObjectNode account = node.putObject("settlement_account");
    account.put("bank_id", m.settlementAccount().bankId());
    account.put("account_number_masked", m.settlementAccount().masked());
    node.put("registered_at", m.registeredAt().toString());
    node.put("state_changed_at", m.stateChangedAt().toString());
    return node;
  }

  static ArrayNode findings(List<Finding> findings) {
    ArrayNode array = JSON.createArrayNode();
    for (Finding f : findings) {
      ObjectNode node = array.addObject();
      node.put("check", f.check().name());
      node.put("verdict", f.verdict().name());
      node.put("reason", f.reason());
      node.put("checked_at", f.checkedAt().toString());
    }
    return array;
  }

  static ArrayNode history(List<AuditEvent> events) {
    ArrayNode array = JSON.createArrayNode();
    for (AuditEvent e : events) {
      ObjectNode node = array.addObject();
      node.put("from", e.from());
      node.put("to", e.to());
      node.put("actor", e.actor());
      node.put("at", e.at().toString());
      node.put("reason", e.reason());
    }
    return array;
  }

  static ObjectNode terminal(Terminal t) {
    ObjectNode node = JSON.createObjectNode();
    node.put("terminal_id", t.id().value());
    node.put("merchant_id", t.merchantId().value());
    node.put("suite", t.suite().name());
    node.put("state", t.state().name());
    node.put("state_reason", t.stateReason());
    node.put("enrolled_at", t.enrolledAt().toString());
    node.put("state_changed_at", t.stateChangedAt().toString());
    node.put("certificate_pem", pem(t.certificateDer()));
    return node;
  }

  static ObjectNode permission(TransactPermission permission) {
    ObjectNode node = JSON.createObjectNode();
    switch (permission) {
      case TransactPermission.Allowed allowed -> {
        node.put("allowed", true);
        node.putNull("refusal");
      }
      case TransactPermission.Refused refused -> {
        node.put("allowed", false);
        node.put("refusal", refused.reason().name());
        node.put("detail", refused.detail());
      }
    }
    return node;
  }

  static String pem(X509Certificate certificate) {
    return Pem.write(certificate);
  }

  private static String pem(byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
  }
}
