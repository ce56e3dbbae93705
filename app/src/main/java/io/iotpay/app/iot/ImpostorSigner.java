package io.iotpay.app.iot;

import io.iotpay.agent.sdk.ChipDeviceSigner;
import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.PublicKey;

/**
 * An attacker's model: the owner of one device makes its chip sign messages that claim another
 * device's id. The chip signs whatever its host sends, so only the platform's check of the
 * signature against the claimed device's certificate stops it.
 */
record ImpostorSigner(String deviceId, ChipDeviceSigner ownChip) implements DeviceSigner {
  @Override
  public AlgorithmSuite suite() {
    return ownChip.suite();
  }

  @Override
  public PublicKey publicKey() {
    return ownChip.publicKey();
  }

  @Override
  public byte[] sign(byte[] data) {
    return ownChip.sign(data);
  }
}
