package io.iotpay.app.iot;

import io.iotpay.agent.sdk.ChipDeviceSigner;
import io.iotpay.bench.oda.SecureElementTimings;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What signing one device message costs the device's chip, reported by {@code iotpay bench iot}
 * apart from the platform's CPU (the bench's load generator signs in software so that the platform,
 * not thousands of simulated chips, is what it measures): SIGN ENVELOPE APDUs per message counted
 * through a real chip applet in jCardSim, and the modelled card time of the signature from a
 * published secure-element figure ({@link SecureElementTimings#ECDSA_P256_JCOP4_P71_MS}: ECDSA P-256
 * on NXP JCOP4 J3R180, JCAlgTest; a stand-in for SM2 on an SE with native SM2). jCardSim's own time
 * is printed too, labelled as a JVM's, not a card's.
 *
 * @param apdusPerMessage APDUs one sealed message takes (BEGIN, UPDATEs, FINAL)
 * @param modelledCardMs modelled card time of one signature, ms
 * @param jcardsimMedianMs median wall time of one sealed message's APDUs in jCardSim, ms
 */
public record ChipSigningCost(AlgorithmSuite suite, int envelopeBytes, double apdusPerMessage, double modelledCardMs,
    double jcardsimMedianMs) {

  /** Signs {@code messages} envelopes of {@code envelopeBytes} bytes on a fresh chip of {@code suite}. */
  public static ChipSigningCost measure(AlgorithmSuite suite, int envelopeBytes, int messages, SecureRandom random) {
    ChipDeviceSigner chip = DeviceChips.install("bench-chip", suite);
    chip.personalise(new byte[] {0x30, 0x00}, new byte[] {0x30, 0x00});
    byte[] data = new byte[envelopeBytes];
    random.nextBytes(data);
    long apdusBefore = chip.apdus();
    double[] ms = new double[messages];
    for (int i = 0; i < messages; i++) {
      long start = System.nanoTime();
      chip.next();
      chip.sign(data);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new ChipSigningCost(suite, envelopeBytes, (chip.apdus() - apdusBefore) / (double) messages,
        SecureElementTimings.ECDSA_P256_JCOP4_P71_MS, ms[messages / 2]);
  }
}
