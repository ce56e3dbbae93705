package io.iotpay.platform.identity;

/** Life cycle of a registered device. REVOKED is final; SUSPENDED can be resumed. */
public enum DeviceStatus {
  ACTIVE,
  SUSPENDED,
  REVOKED
}
