package io.iotpay.acquirer.party;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.party.LinkKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;

/** The tests' acquirer data directory: {@link AcquirerParty#init} with one terminal, its ports free, its switch nowhere. */
final class AcquirerDirectories {
  private AcquirerDirectories() {}

  /** Writes an acquirer {@code ACQ1} of {@code suite} into {@code data}; returns {@code data}. */
  static Path init(Path data, AlgorithmSuite suite) throws IOException {
    SecureRandom random = new SecureRandom();
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    AcquirerParty.init(data, new AcquirerParty.Setup("ACQ1", suite, "48020000", "ACQ00001",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), LinkKeys.generate(suite, random), loopback,
        LinkKeys.generate(suite, random), CurrencyUnit.CNY, 1, 150, 2_000, null, null), random);
    return data;
  }
}
