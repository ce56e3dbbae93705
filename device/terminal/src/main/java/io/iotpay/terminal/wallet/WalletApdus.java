package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.CommandApdu;
import java.io.ByteArrayOutputStream;

/** The command APDUs the POS sends to the wallet and to its PSAM (docs/wallet-apdus.md §3, §4). */
public final class WalletApdus {
  /** Wallet application id (proprietary RID F0 + "IOTPAYWL"). */
  public static final byte[] WALLET_AID = {(byte) 0xF0, 'I', 'O', 'T', 'P', 'A', 'Y', 'W', 'L'};
  /** PSAM application id (proprietary RID F0 + "IOTPAYSM"). */
  public static final byte[] PSAM_AID = {(byte) 0xF0, 'I', 'O', 'T', 'P', 'A', 'Y', 'S', 'M'};
  static final int NE_ANY = 256;

  private WalletApdus() {}

  public static CommandApdu select(byte[] aid) {
    return new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, NE_ANY);
  }

  static CommandApdu initialize(byte[] posChallenge) {
    return new CommandApdu(0x80, 0x50, 0x00, 0x00, posChallenge, NE_ANY);
  }

  static CommandApdu debit(long offlineMinor, long onlineMinor, byte[] posCertificate, byte[] psamSignature) {
    return new CommandApdu(0x80, 0x54, 0x00, 0x00,
        concat(int4(offlineMinor), int4(onlineMinor), new byte[] {(byte) posCertificate.length}, posCertificate,
            psamSignature), NE_ANY);
  }

  static CommandApdu readLog(int newestFirst) {
    return new CommandApdu(0x80, 0xB2, newestFirst, 0x00, new byte[0], NE_ANY);
  }

  static CommandApdu load(long amountMinor, long loadNumber, byte[] issuerSignature) {
    return new CommandApdu(0x80, 0x52, 0x00, 0x00, concat(int4(amountMinor), int4(loadNumber), issuerSignature), NE_ANY);
  }

  static CommandApdu writeBack(long pendingCounter, int outcome, byte[] issuerSignature) {
    return new CommandApdu(0x80, 0x5A, 0x00, 0x00,
        concat(int4(pendingCounter), new byte[] {(byte) outcome}, issuerSignature), NE_ANY);
  }

  static CommandApdu writeRating(byte[] cardId, OutcomeList.SignedRating rating) {
    return new CommandApdu(0x80, 0x5C, 0x00, 0x00, concat(cardId, int4(rating.version()),
        new byte[] {(byte) rating.band()}, int4(rating.allowanceMinor()), new byte[] {(byte) rating.splitKinds()},
        rating.issuerMac()), NE_ANY);
  }

  static CommandApdu psamGetData(int tag) {
    return new CommandApdu(0x80, 0xCA, 0x00, tag, new byte[0], NE_ANY);
  }

  static CommandApdu psamGetChallenge() {
    return new CommandApdu(0x80, 0x84, 0x00, 0x00, new byte[0], NE_ANY);
  }

  static CommandApdu psamVerifyCardCertificate(byte[] certificate) {
    return new CommandApdu(0x80, 0x86, 0x00, 0x00, certificate, 0);
  }

  static CommandApdu psamAuthenticate(byte[] cardId, byte[] cardChallenge, byte[] posChallenge, long offlineMinor,
      long onlineMinor) {
    return new CommandApdu(0x80, 0x88, 0x00, 0x00,
        concat(cardId, cardChallenge, posChallenge, int4(offlineMinor), int4(onlineMinor)), NE_ANY);
  }

  static CommandApdu psamCountersign(CardDebit signed) {
    return new CommandApdu(0x80, 0x8A, 0x00, 0x00, concat(int4(signed.counter()), int4(signed.offlineMinor()),
        int4(signed.onlineMinor()), int4(signed.balanceAfterMinor()), int2(signed.currencyNumeric()),
        signed.posChallenge(), signed.cardSignature()), NE_ANY);
  }

  /** Big-endian 4 bytes of a 31-bit value. */
  public static byte[] int4(long value) {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("value outside 0..7FFFFFFF: " + value);
    }
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  static byte[] int2(int value) {
    return new byte[] {(byte) (value >>> 8), (byte) value};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
