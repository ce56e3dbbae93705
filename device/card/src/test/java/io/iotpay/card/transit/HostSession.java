package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Arrays;
import java.util.Random;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/** The issuer's end of an SCP02 session (GP 2.2 Annex E, i = 15), written with BouncyCastle. */
final class HostSession {

  private final CardFixture card;
  private final AlgorithmSuite suite;
  final byte[] sessionEnc;
  final byte[] sessionMac;
  final byte[] sessionDek;
  private byte[] lastCMac;

  private HostSession(CardFixture card, byte[] enc, byte[] mac, byte[] dek) {
    this.card = card;
    this.suite = card.suite;
    sessionEnc = enc;
    sessionMac = mac;
    sessionDek = dek;
  }

  static HostSession open(CardFixture card) {
    byte[] hostChallenge = new byte[8];
    new Random(11).nextBytes(hostChallenge);
    ResponseAPDU init = card.send(new CommandAPDU(0x80, 0x50, 0x00, 0x00, hostChallenge, 256));
    assertThat(Integer.toHexString(init.getSW())).as("INITIALIZE UPDATE").isEqualTo("9000");
    byte[] r = init.getData();
    assertThat(r).hasSize(28);
    assertThat(Arrays.copyOfRange(r, 0, 10)).isEqualTo(card.diversification);
    assertThat(r[10]).isEqualTo(CardFixture.KVN);
    assertThat(r[11]).isEqualTo((byte) 0x02);
    int sequence = ((r[12] & 0xFF) << 8) | (r[13] & 0xFF);
    byte[] sequenceBytes = Arrays.copyOfRange(r, 12, 14);
    byte[] cardChallenge = Arrays.copyOfRange(r, 14, 20);
    byte[] enc = HostCrypto.scp02SessionKey(card.suite, card.encKey, 0x0182, sequence);
    byte[] mac = HostCrypto.scp02SessionKey(card.suite, card.macKey, 0x0101, sequence);
    byte[] dek = HostCrypto.scp02SessionKey(card.suite, card.dekKey, 0x0181, sequence);
    byte[] cardCryptogram = Arrays.copyOf(HostCrypto.fullMac(card.suite, enc,
        HostCrypto.concat(hostChallenge, sequenceBytes, cardChallenge)), 8);
    assertThat(Arrays.copyOfRange(r, 20, 28)).as("card cryptogram").isEqualTo(cardCryptogram);
    HostSession session = new HostSession(card, enc, mac, dek);
    byte[] hostCryptogram = Arrays.copyOf(HostCrypto.fullMac(card.suite, enc,
        HostCrypto.concat(sequenceBytes, cardChallenge, hostChallenge)), 8);
    ResponseAPDU auth = card.send(session.externalAuthenticate(hostCryptogram));
    assertThat(Integer.toHexString(auth.getSW())).as("EXTERNAL AUTHENTICATE").isEqualTo("9000");
    return session;
  }

  /** EXTERNAL AUTHENTICATE with its C-MAC over ICV zero. */
  CommandAPDU externalAuthenticate(byte[] hostCryptogram) {
    byte[] header = {(byte) 0x84, (byte) 0x82, 0x01, 0x00, 0x10};
    byte[] cmac = Arrays.copyOf(HostCrypto.retailMac(suite, sessionMac,
        new byte[HostCrypto.blockLength(suite)], HostCrypto.concat(header, hostCryptogram)), 8);
    lastCMac = cmac;
    return new CommandAPDU(HostCrypto.concat(header, hostCryptogram, cmac));
  }

  /** Appends the C-MAC (modified APDU: Lc counts the MAC; ICV = encrypted previous C-MAC). */
  CommandAPDU wrap(int cla, int ins, int p1, int p2, byte[] data) {
    byte[] header = {(byte) cla, (byte) ins, (byte) p1, (byte) p2, (byte) (data.length + 8)};
    byte[] icv = HostCrypto.encryptIcv(suite, sessionMac, lastCMac);
    byte[] cmac = Arrays.copyOf(
        HostCrypto.retailMac(suite, sessionMac, icv, HostCrypto.concat(header, data)), 8);
    lastCMac = cmac;
    return new CommandAPDU(HostCrypto.concat(header, data, cmac));
  }

  byte[] encryptWithDek(byte[] plain) {
    return HostCrypto.ecbEncrypt(suite, sessionDek, plain);
  }

  ResponseAPDU storeData(int p1, int p2, byte[] data) {
    return card.send(wrap(0x84, 0xE2, p1, p2, data));
  }

  /** Push PUT DATA: Push ATC || TLV || MAC(macLength) under the Push-ATC-diversified MAC key. */
  ResponseAPDU push(int pushAtc, byte[] tlv, int macLength) {
    byte[] pushData = HostCrypto.concat(new byte[] {(byte) (pushAtc >> 8), (byte) pushAtc}, tlv);
    byte[] mac = pushMac(card, pushAtc, pushData, macLength);
    return card.send(wrap(0x04, 0xDA, 0x00, 0x00, HostCrypto.concat(pushData, mac)));
  }

  static byte[] pushMac(CardFixture card, int pushAtc, byte[] pushData, int macLength) {
    byte[] key = HostCrypto.counterKey(card.suite, card.macSubKey, pushAtc);
    byte[] input = HostCrypto.concat(
        new byte[] {0x04, (byte) 0xDA, 0x00, 0x00, (byte) (pushData.length + macLength)},
        pushData);
    return Arrays.copyOf(HostCrypto.retailMac(card.suite, key, null, input), macLength);
  }
}
