package io.iotpay.issuer.card;

import io.iotpay.issuer.IssuerInputException;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.Scp02;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The issuer's end of one SCP02 session (docs/card-apdus.md §6, GP 2.2 Annex E, i = 15, security
 * level C-MAC): INITIALIZE UPDATE, the card cryptogram check, EXTERNAL AUTHENTICATE and the C-MAC
 * chain of the commands that follow. One per session; not thread-safe.
 */
public final class Scp02Host {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int INIT_UPDATE_RESPONSE_BYTES = 28;

  private final AlgorithmSuite suite;
  private final Scp02.StaticKeys keys;
  private final byte[] expectedKdd;
  private final byte[] hostChallenge = new byte[Scp02.HOST_CHALLENGE_BYTES];
  private Scp02.SessionKeys session;
  private Scp02.CommandMac commandMac;
  private int sequenceCounter;
  private byte[] cardChallenge;

  public Scp02Host(CardKeys cardKeys) {
    this.suite = cardKeys.suite();
    this.keys = cardKeys.scp();
    this.expectedKdd = cardKeys.diversificationData();
    RANDOM.nextBytes(hostChallenge);
  }

  public static CommandApdu select(byte[] aid) {
    return new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256);
  }

  /** INITIALIZE UPDATE with this session's host challenge; KVN 0 = the card's current keys. */
  public CommandApdu initializeUpdate() {
    return new CommandApdu(0x80, 0x50, 0x00, 0x00, hostChallenge, 256);
  }

  /**
   * Checks the card's INITIALIZE UPDATE response: the right card (KDD), SCP02, and a card cryptogram
   * that only the holder of this card's keys can make.
   *
   * @throws IssuerInputException naming what is wrong with the response
   */
  public void acceptInitializeUpdate(ResponseApdu response) {
    if (response.sw() != 0x9000) {
      throw new IssuerInputException(String.format("INITIALIZE UPDATE answered %04X", response.sw()));
    }
    byte[] r = response.data();
    if (r.length != INIT_UPDATE_RESPONSE_BYTES) {
      throw new IssuerInputException("INITIALIZE UPDATE response has " + r.length + " bytes, expected 28");
    }
    if (!MessageDigest.isEqual(Arrays.copyOf(r, CardKeys.KDD_BYTES), expectedKdd)) {
      throw new IssuerInputException("INITIALIZE UPDATE: key diversification data is not this card's");
    }
    if (r[11] != 0x02) {
      throw new IssuerInputException(String.format("INITIALIZE UPDATE: SCP %02X, expected 02", r[11]));
    }
    sequenceCounter = ((r[12] & 0xFF) << 8) | (r[13] & 0xFF);
    cardChallenge = Arrays.copyOfRange(r, 14, 20);
    session = Scp02.sessionKeys(suite, keys, sequenceCounter);
    if (!Scp02.isCardCryptogramValid(suite, session.sEnc(), hostChallenge, sequenceCounter, cardChallenge,
        Arrays.copyOfRange(r, 20, 28))) {
      throw new IssuerInputException("INITIALIZE UPDATE: card cryptogram is wrong (not this card, or altered)");
    }
    commandMac = new Scp02.CommandMac(suite, session.cMac());
  }

  /** EXTERNAL AUTHENTICATE, security level 01 (C-MAC), with its C-MAC over ICV zero. */
  public CommandApdu externalAuthenticate() {
    byte[] cryptogram = Scp02.hostCryptogram(suite, session.sEnc(), hostChallenge, sequenceCounter, cardChallenge);
    return wrap(0x80, 0x82, 0x01, 0x00, cryptogram);
  }

  /** The command with CLA|04, Lc+8 and its C-MAC; advances the chain. */
  public CommandApdu wrap(int cla, int ins, int p1, int p2, byte[] data) {
    byte[] bytes = commandMac.wrap(new byte[] {(byte) cla, (byte) ins, (byte) p1, (byte) p2}, data);
    return CommandApdu.parse(bytes);
  }

  /** Key values for STORE DATA: ECB under the session DEK. */
  public byte[] encryptWithDek(byte[] plain) {
    return suite.cardBlockCipher().encrypt(CipherMode.ECB, session.dek(), null, plain);
  }
}
