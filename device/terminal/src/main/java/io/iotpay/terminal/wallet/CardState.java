package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The wallet's answer to INITIALIZE PURCHASE (docs/wallet-apdus.md §3.2), parsed with fixed
 * offsets and a bounded certificate. Byte arrays are copies.
 */
public record CardState(byte[] cardId, int suite, int currencyNumeric, long balanceMinor, long counter,
    long loadNumber, long debtMinor, int offlineLeft, int flags, long pendingMinor, long pendingCounter,
    int rating, long allowanceMinor, long purchaseMaxMinor, long balanceCapMinor, byte[] cardChallenge,
    byte[] lastPosId, byte[] lastPosChallenge, long ratingVersion, int splitKinds, byte[] certificate) {
  static final int FIXED_LENGTH = 96;
  /** Certificate body 75 bytes + DER signature of at most 72. */
  static final int CERTIFICATE_MAX = 147;
  static final int FLAG_PENDING = 0x01;
  static final int FLAG_BLOCKED = 0x02;

  /**
   * Parses the response data.
   *
   * @throws WalletException (device WALLET, sw 0) when the length or certificate length is wrong
   */
  public static CardState parse(byte[] data) {
    if (data.length < FIXED_LENGTH) {
      throw new WalletException(WalletException.Device.WALLET, "INITIALIZE answer of " + data.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    byte[] cardId = take(b, 8);
    int suite = b.get() & 0xFF;
    int currency = b.getShort() & 0xFFFF;
    long balance = u4(b);
    long counter = u4(b);
    long loadNumber = u4(b);
    long debt = u4(b);
    int offlineLeft = b.get() & 0xFF;
    int flags = b.get() & 0xFF;
    long pending = u4(b);
    long pendingCounter = u4(b);
    int rating = b.get() & 0xFF;
    long allowance = u4(b);
    long purchaseMax = u4(b);
    long cap = u4(b);
    byte[] challenge = take(b, 16);
    byte[] lastPos = take(b, 8);
    byte[] lastChallenge = take(b, 16);
    long ratingVersion = u4(b);
    int splitKinds = b.get() & 0xFF;
    int certLength = b.get() & 0xFF;
    if (certLength > CERTIFICATE_MAX || certLength != b.remaining()) {
      throw new WalletException(WalletException.Device.WALLET, "certificate length " + certLength
          + " with " + b.remaining() + " bytes left");
    }
    return new CardState(cardId, suite, currency, balance, counter, loadNumber, debt, offlineLeft, flags, pending,
        pendingCounter, rating, allowance, purchaseMax, cap, challenge, lastPos, lastChallenge, ratingVersion,
        splitKinds, take(b, certLength));
  }

  /** This state after a WRITE BACK answered {@code flags} and {@code debtMinor}: no pending part. */
  CardState afterWriteBack(int newFlags, long newDebtMinor) {
    return new CardState(cardId, suite, currencyNumeric, balanceMinor, counter, loadNumber, newDebtMinor, offlineLeft,
        newFlags, 0, 0, rating, allowanceMinor, purchaseMaxMinor, balanceCapMinor, cardChallenge, lastPosId,
        lastPosChallenge, ratingVersion, splitKinds, certificate);
  }

  /** This state after the card took {@code written} (WRITE RATING answered 9000). */
  CardState afterRating(RatingConfirmation written) {
    return new CardState(cardId, suite, currencyNumeric, balanceMinor, counter, loadNumber, debtMinor, offlineLeft,
        flags, pendingMinor, pendingCounter, written.band(), written.allowanceMinor(), purchaseMaxMinor,
        balanceCapMinor, cardChallenge, lastPosId, lastPosChallenge, written.version(), written.splitKinds(),
        certificate);
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static long u4(ByteBuffer b) {
    return b.getInt() & 0xFFFF_FFFFL;
  }

  public boolean pending() {
    return (flags & FLAG_PENDING) != 0;
  }

  public boolean blocked() {
    return (flags & FLAG_BLOCKED) != 0;
  }

  public String cardIdHex() {
    return Hex.encode(cardId);
  }

  @Override
  public byte[] cardId() {
    return cardId.clone();
  }

  @Override
  public byte[] cardChallenge() {
    return cardChallenge.clone();
  }

  @Override
  public byte[] lastPosId() {
    return lastPosId.clone();
  }

  @Override
  public byte[] lastPosChallenge() {
    return lastPosChallenge.clone();
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CardState s && Arrays.equals(cardId, s.cardId) && counter == s.counter
        && balanceMinor == s.balanceMinor && Arrays.equals(cardChallenge, s.cardChallenge);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cardId) * 31 + Long.hashCode(counter);
  }

  @Override
  public String toString() {
    return "CardState[card=" + cardIdHex() + ", balanceMinor=" + balanceMinor + ", counter=" + counter
        + ", debtMinor=" + debtMinor + ", flags=" + flags + ", pendingMinor=" + pendingMinor + ", rating=" + rating
        + ", ratingVersion=" + ratingVersion + "]";
  }
}
