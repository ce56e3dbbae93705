package io.iotpay.app.iot;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;

/**
 * Settings of {@code iotpay demo iot}.
 *
 * @param devices simulated devices, 3..5,000 (a third each washing machines, cars, speakers; suites alternate)
 * @param hours simulated hours, 1..24*31
 * @param attackRate probability that an attack is injected in a simulated hour, 0..1
 * @param duplicateRate probability that a device message is delivered twice (QoS 1 redelivery, retry), 0..0.9
 * @param network devices talk to the platform's MQTT, CoAP/DTLS and HTTP doors on loopback; false: straight to its inbox
 */
public record IotSettings(int devices, int hours, long seed, double attackRate, double duplicateRate, Path dataDir,
    AlgorithmSuite auditSuite, boolean network) {
  public IotSettings {
    if (devices < 3 || devices > 5_000) {
      throw new InvalidInputException("--devices " + devices + " is outside 3..5000");
    }
    if (hours < 1 || hours > 24 * 31) {
      throw new InvalidInputException("--hours " + hours + " is outside 1..744");
    }
    if (!(attackRate >= 0 && attackRate <= 1)) {
      throw new InvalidInputException("--attack-rate " + attackRate + " is outside 0..1");
    }
    if (!(duplicateRate >= 0 && duplicateRate <= 0.9)) {
      throw new InvalidInputException("--duplicate-rate " + duplicateRate + " is outside 0..0.9");
    }
  }
}
