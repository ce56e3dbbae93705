package io.iotpay.platform.console;

import io.iotpay.console.FormInput;
import io.iotpay.platform.console.ConsoleViews.DecisionRow;
import io.iotpay.platform.console.ConsoleViews.DeviceRow;
import io.iotpay.platform.decision.DecisionReason;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.state.DeviceState;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/** Domain records as the console's rows: text a page shows, nothing more. */
final class ConsoleFormat {
  private ConsoleFormat() {}

  /** ISO-8601 UTC to the second; "" for null. */
  static String time(Instant at) {
    return FormInput.time(at);
  }

  static DeviceRow device(DeviceRecord device, Optional<DeviceState> live) {
    return new DeviceRow(device.deviceId().value(), device.suite().name(), device.status().name(), device.statusReason(),
        live.map(s -> s.connectivity().name()).orElse("never seen"),
        live.map(s -> time(s.lastSeen())).orElse(""),
        live.map(DeviceState::firmware).orElse(""),
        live.map(DeviceState::tampered).orElse(false),
        live.map(s -> s.cloneSuspicion() != null).orElse(false));
  }

  static DecisionRow decision(PaymentDecision decision) {
    return new DecisionRow(decision.auditIndex(), decision.key().deviceId().value(), decision.key().counter(), decision.version(),
        decision.outcome().name(), decision.amount().toString(), decision.intent().merchantId(), time(decision.decidedAt()),
        decision.reasons().stream().map(DecisionReason::code).collect(Collectors.joining(", ")));
  }
}
