package io.iotpay.card.emv;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.Random;

/**
 * The issuer's side in tests, built only on the host crypto of foundation ({@link
 * EmvCryptograms}): it holds the issuer master keys, derives each card's keys from its PAN, checks
 * cryptograms, answers with an ARPC and writes script commands. It shares no code with the applet.
 */
final class EmvIssuer {
  private final SecretKeyBytes[] imkAc = new SecretKeyBytes[2];
  private final SecretKeyBytes[] imkSmi = new SecretKeyBytes[2];
  private final SecretKeyBytes[] imkSmc = new SecretKeyBytes[2];

  EmvIssuer(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 2; i++) {
      imkAc[i] = key(random);
      imkSmi[i] = key(random);
      imkSmc[i] = key(random);
    }
  }

  private static SecretKeyBytes key(Random random) {
    byte[] k = new byte[16];
    random.nextBytes(k);
    return new SecretKeyBytes(k);
  }

  SecretKeyBytes imkAc(AlgorithmSuite suite) {
    return imkAc[suite.ordinal()];
  }

  SecretKeyBytes imkSmi(AlgorithmSuite suite) {
    return imkSmi[suite.ordinal()];
  }

  SecretKeyBytes imkSmc(AlgorithmSuite suite) {
    return imkSmc[suite.ordinal()];
  }

  /** SK_AC of the card for one ATC. */
  SecretKeyBytes acSessionKey(EmvCard card, int atc) {
    return EmvCryptograms.sessionKey(card.suite, card.masterKey(imkAc(card.suite)), atc);
  }

  /** True when {@code cryptogram} is the card's cryptogram over CDOL data || AIP || ATC || IAD. */
  boolean cryptogramValid(EmvCard card, byte[] cdolData, int atc, byte[] iad, byte[] cryptogram) {
    byte[] input = EmvCryptograms.cryptogramInput(cdolData, EmvApplet.AIP, atc, iad);
    return EmvCryptograms.isCryptogramValid(card.suite, acSessionKey(card, atc), input, cryptogram);
  }

  /** ARPC method 1 under SK_AC(ATC). */
  byte[] arpc(EmvCard card, int atc, byte[] arqc, byte[] arc) {
    return EmvCryptograms.arpcMethod1(card.suite, acSessionKey(card, atc), arqc, arc);
  }

  /** PIN CHANGE data: the new PIN's format 2 block enciphered under the card's SK_SMC(ATC). */
  byte[] pinChangeData(EmvCard card, int atc, String newPin) {
    SecretKeyBytes smc = EmvCryptograms.sessionKey(card.suite, card.masterKey(imkSmc(card.suite)), atc);
    return EmvCryptograms.pinChangeData(card.suite, smc, EmvCryptograms.pinBlockFormat2(newPin.toCharArray()));
  }

  /** A script command (header || Lc || data || MAC) for the card's current ATC and last ARQC. */
  byte[] script(EmvCard card, String header, int atc, byte[] arqc, byte[] data) {
    SecretKeyBytes smi = EmvCryptograms.sessionKey(card.suite, card.masterKey(imkSmi(card.suite)), atc);
    return EmvCryptograms.scriptCommand(card.suite, smi, io.iotpay.foundation.codec.Hex.decode(header), atc, arqc,
        data);
  }
}
