package io.iotpay.terminal.pos;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.protocol.Pan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** One shop's terminal in tests: a kernel, its journal in a temporary directory, the loopback issuer. */
final class Till implements AutoCloseable {
  static final SecretKeyBytes TOKEN_KEY = new SecretKeyBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
      14, 15, 16});
  static final Pan PAN = Pan.withCheckDigit("621234567890123");

  final Path journalFile;
  final LoopbackIssuer issuer = new LoopbackIssuer(7);
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-12-07T10:00:00Z"),
      BusinessDayRule.UTC_MIDNIGHT);
  PosJournal journal;
  PosKernel kernel;
  io.iotpay.foundation.crypto.oda.OdaVerifier oda;

  Till(Path dir) {
    this(dir, PosConfig.defaults("T0000001", "M00000000000001", TOKEN_KEY), PinPad.NONE, new java.security.SecureRandom());
  }

  Till(Path dir, PosConfig config, PinPad pinPad, RandomGenerator selection) {
    journalFile = dir.resolve("pos.journal");
    journal = PosJournal.open(journalFile);
    kernel = new PosKernel(config, issuer, pinPad, journal, clock, null, selection);
  }

  /** Another kernel on the same journal and issuer. */
  Till reconfigure(PosConfig config, PinPad pinPad, RandomGenerator selection) {
    kernel = new PosKernel(config, issuer, pinPad, journal, clock, oda, selection);
    return this;
  }

  /** The kernel with fDDA by {@code verifier}, default configuration. */
  Till withOda(io.iotpay.foundation.crypto.oda.OdaVerifier verifier) {
    oda = verifier;
    return reconfigure(PosConfig.defaults("T0000001", "M00000000000001", TOKEN_KEY), PinPad.NONE,
        new java.security.SecureRandom());
  }

  PosCard card(AlgorithmSuite suite) {
    return new PosCard(suite, issuer, PAN);
  }

  PosOutcome charge(PosCard card, long amountMinor) {
    card.reinsert();
    return kernel.charge(card.channel(), Money.ofMinor(amountMinor, CurrencyUnit.CNY));
  }

  /** A random source whose every draw is {@code value}. */
  static RandomGenerator fixed(int value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return value;
      }

      @Override
      public int nextInt(int origin, int bound) {
        return value;
      }
    };
  }

  @Override
  public void close() {
    journal.close();
  }
}
