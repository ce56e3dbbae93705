package io.iotpay.platform.identity;

/** How a device came into the registry. */
public enum RegistrationOrigin {
  /** A CSR made by the device's chip, certificate issued by the platform's device CA. */
  CSR,
  /** Just-in-time: first contact with a certificate from a registered manufacturer CA. */
  JUST_IN_TIME
}
