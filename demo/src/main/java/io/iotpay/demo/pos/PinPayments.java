package io.iotpay.demo.pos;

import io.iotpay.bench.pos.OdaScheme;
import io.iotpay.bench.pos.PosCard;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.phone.pos.PhonePinPad;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.terminal.pos.PinPad;
import io.iotpay.terminal.pos.PosKernel;
import io.iotpay.terminal.pos.PosOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The run's online PIN payments (docs/demo-pos.md): amounts above the terminals' CVM limit, so the
 * card's CVM list asks for "enciphered PIN verified online"; the PIN is typed on the phone's
 * keypad (a model of the TEE's trusted keypad), enciphered under the phone's DUKPT key (AES DUKPT on
 * even terminals, the SM4 analogue on odd ones), translated by the acquirer and the switch and
 * verified by the issuer. Per issuer: a right PIN (approved), a wrong PIN (55), and a card taken to
 * its try limit (55, 55, 75) whose right PIN is then refused too (75).
 */
final class PinPayments {
  /** Above the demo terminals' CVM limit (30,000). */
  static final long AMOUNT_MINOR = 48_000;
  /** PIN payments per issuer. */
  static final int PER_ISSUER = 6;
  /** PINs checked and found wrong per issuer (the payment after the try limit is not checked). */
  static final int FAILED_PER_ISSUER = 4;

  /** The phone's trusted keypad (a model): types the PIN the scenario's cardholder chose. */
  private static final class Cardholder implements PhonePinPad.TrustedKeypad {
    private String typing;

    @Override
    public Optional<char[]> readPin(Money amount) {
      return Optional.of(typing.toCharArray());
    }
  }

  /** One PIN payment: the card, the PIN the cardholder types, and the answer the issuer should give. */
  private record Attempt(PosCard card, String typed, ResponseCode expected) {}

  private final Cardholder cardholder = new Cardholder();
  private final PinKeys keys;
  private final List<String> notes;

  PinPayments(PinKeys keys, List<String> notes) {
    this.keys = keys;
    this.notes = notes;
  }

  /** The PIN pad of terminal {@code n}: its own DUKPT initial key, AES for even n and SM4 for odd. */
  PinPad pinPad(int n) {
    return keys.pinPad(n % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL, cardholder);
  }

  /** Two new cardholders per issuer choose PINs; then the payments above, spread over {@code kernels}. */
  void run(List<IssuerNode> issuers, List<PosKernel> kernels, Runnable betweenTaps) {
    int next = 0;
    for (IssuerNode issuer : issuers) {
      PosCard steady = cardholder(issuer, "739164825031");
      PosCard forgetful = cardholder(issuer, "582047");
      List<Attempt> plan = List.of(
          new Attempt(steady, "739164825031", ResponseCode.APPROVED),
          new Attempt(steady, "739164825030", ResponseCode.INCORRECT_PIN),
          new Attempt(forgetful, "582048", ResponseCode.INCORRECT_PIN),
          new Attempt(forgetful, "582049", ResponseCode.INCORRECT_PIN),
          new Attempt(forgetful, "582040", ResponseCode.PIN_TRIES_EXCEEDED),
          new Attempt(forgetful, "582047", ResponseCode.PIN_TRIES_EXCEEDED));
      for (Attempt attempt : plan) {
        cardholder.typing = attempt.typed();
        attempt.card().reinsert();
        PosOutcome outcome = kernels.get(next++ % kernels.size()).charge(attempt.card().channel(),
            Money.ofMinor(AMOUNT_MINOR, CurrencyUnit.CNY));
        check(outcome, attempt.expected());
        betweenTaps.run();
      }
    }
    cardholder.typing = null;
  }

  private PosCard cardholder(IssuerNode issuer, String pin) {
    Pan pan = issuer.issueCard(500_000, 40, 300_000);
    issuer.enrolPin(pan, pin);
    return PosCard.withOda(issuer.suite, issuer.cardMasterKeys(pan), pan, PosCard.Profile.STANDARD,
        OdaScheme.of(issuer.suite));
  }

  private void check(PosOutcome outcome, ResponseCode expected) {
    String arc = Hex.encode(expected.code().getBytes(StandardCharsets.US_ASCII)).toUpperCase();
    if (outcome.cvm() != PosOutcome.Cvm.ONLINE_PIN || !arc.equals(outcome.entry().arc())) {
      notes.add("a PIN payment expected " + expected.code() + " and ended " + outcome.reason() + " with ARC "
          + outcome.entry().arc() + " (CVM " + outcome.cvm() + ")");
    }
  }
}
