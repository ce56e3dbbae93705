package io.iotpay.platform.console;

import io.iotpay.console.FormInput;
import io.iotpay.platform.console.ConsoleViews.DecisionRow;
import io.iotpay.platform.console.ConsoleViews.DeviceRow;
import io.iotpay.platform.console.ConsoleViews.MandateRow;
import io.iotpay.foundation.money.Money;
import io.iotpay.platform.mandate.Mandate;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.decision.DecisionReason;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.state.DeviceState;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
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

  /** What a mandate's payments used today and this month, in minor units. */
  record Usage(long todayMinor, long monthMinor) {}

  /** @param usage null for a revoked mandate (its usage no longer limits anything) */
  static MandateRow mandate(Mandate mandate, Usage usage) {
    MandateTerms terms = mandate.terms();
    return new MandateRow(mandate.id().value(), mandate.userId(), mandate.accountId(), mandate.status().name(), time(mandate.boundAt()),
        terms.perPaymentMax().toString(), terms.perDayMax().toString(), terms.perMonthMax().toString(),
        terms.confirmationThreshold().toString(), String.join(", ", new TreeSet<>(terms.allowedMerchants())),
        String.join(", ", new TreeSet<>(terms.allowedCategories())),
        usage == null ? "" : Money.ofMinor(usage.todayMinor(), terms.currency()).toString(),
        usage == null ? "" : Money.ofMinor(usage.monthMinor(), terms.currency()).toString());
  }

  static DecisionRow decision(PaymentDecision decision) {
    return new DecisionRow(decision.auditIndex(), decision.key().deviceId().value(), decision.key().counter(), decision.version(),
        decision.outcome().name(), decision.amount().toString(), decision.intent().merchantId(), time(decision.decidedAt()),
        decision.reasons().stream().map(DecisionReason::code).collect(Collectors.joining(", ")));
  }
}
