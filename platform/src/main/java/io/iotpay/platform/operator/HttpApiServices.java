package io.iotpay.platform.operator;

import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.decision.PaymentDecisionService;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.state.DeviceStateRegistry;
import java.util.Objects;

/**
 * The platform services the HTTP API is a door to. Every component is never null.
 *
 * @param identity registration, manufacturer CAs, suspend/resume/revoke
 * @param devices the registry the identity service writes (reads and listings)
 * @param merchants where {@code POST /v1/merchants} adds merchants
 * @param mandates device-to-account bindings
 * @param payments decisions, confirmations, capture/void and proofs
 * @param states what the platform knows of each device right now
 * @param inbox where device envelopes go ({@code POST /v1/devices/{id}/messages})
 * @param clock business time stamped on identity changes
 * @param auth operator and user tokens, account ownership
 */
public record HttpApiServices(
    IdentityService identity,
    DeviceRegistry devices,
    MerchantDirectory merchants,
    MandateRegistry mandates,
    PaymentDecisionService payments,
    DeviceStateRegistry states,
    DeviceInbox inbox,
    BusinessClock clock,
    HttpAuth auth) {
  public HttpApiServices {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(merchants, "merchants");
    Objects.requireNonNull(mandates, "mandates");
    Objects.requireNonNull(payments, "payments");
    Objects.requireNonNull(states, "states");
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(auth, "auth");
  }
}
