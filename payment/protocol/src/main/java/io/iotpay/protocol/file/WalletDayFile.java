package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A wallet POS's day file (docs/wallet.md §3): one {@code P} line per journalled purchase,
 * {@code P;cardSignedDebit;tac;cardSignature;psamSequence;psamSignature} (hex; the 51-byte DEBIT
 * input the card signed, the card's 8-byte TAC over it, then the signatures), then one
 * {@code C2;confirmationInput;cardMac} line per rating a card confirmed (the 21-byte input and the
 * card's 8-byte confirmation MAC over it, docs/wallet-apdus.md §3.8; the tag carries the line's
 * version: {@code C} lines, format 1 with a card signature, are no longer read). The header's
 * total is the sum of the offline parts, its record count the number of lines. The issuer reads
 * every amount from the card-signed bytes.
 */
public final class WalletDayFile {
  /** Length of the card-signed DEBIT input. */
  public static final int DEBIT_BYTES = 51;
  /** Bound on a DER signature over a 256-bit curve. */
  public static final int SIGNATURE_BYTES_MAX = 72;
  /** Length of the card's rating confirmation input. */
  public static final int CONFIRMATION_BYTES = 21;
  /** Length of the card's confirmation MAC. */
  public static final int CONFIRMATION_MAC_BYTES = 8;
  /** Tag of a confirmation line, format 2 (an 8-byte card MAC). */
  public static final String CONFIRMATION_TAG = "C2";
  /** Length of the card's TAC over the DEBIT input (docs/wallet-apdus.md §3.3). */
  public static final int TAC_BYTES = 8;

  private WalletDayFile() {}

  /** One purchase as the POS journalled it. */
  public record Purchase(byte[] signedDebit, byte[] tac, byte[] cardSignature, long psamSequence,
      byte[] psamSignature) {
    public Purchase {
      signedDebit = signedDebit.clone();
      tac = tac.clone();
      cardSignature = cardSignature.clone();
      psamSignature = psamSignature.clone();
    }

    /** The offline amount, read from the card-signed bytes (offset 13). */
    public long offlineMinor() {
      return ((signedDebit[13] & 0xFFL) << 24) | ((signedDebit[14] & 0xFFL) << 16) | ((signedDebit[15] & 0xFFL) << 8)
          | (signedDebit[16] & 0xFFL);
    }

    @Override
    public byte[] signedDebit() {
      return signedDebit.clone();
    }

    @Override
    public byte[] tac() {
      return tac.clone();
    }

    @Override
    public byte[] cardSignature() {
      return cardSignature.clone();
    }

    @Override
    public byte[] psamSignature() {
      return psamSignature.clone();
    }
  }

  /** A rating a card confirmed: the 21-byte input ({@code 71 ‖ …}) and the card's 8-byte MAC over it. */
  public record Confirmation(byte[] input, byte[] cardMac) {
    public Confirmation {
      input = input.clone();
      cardMac = cardMac.clone();
    }

    @Override
    public byte[] input() {
      return input.clone();
    }

    @Override
    public byte[] cardMac() {
      return cardMac.clone();
    }
  }

  /** A read day file. */
  public record Read(FileHeader header, List<Purchase> purchases, List<Confirmation> confirmations) {}

  /** Writes the day file of {@code sender} (the POS) for {@code receiver} (the issuer). */
  public static void write(OutputStream out, PartyId sender, PartyId receiver, LocalDate businessDate, long sequence,
      CurrencyUnit currency, List<Purchase> purchases) {
    write(out, sender, receiver, businessDate, sequence, currency, purchases, List.of());
  }

  /** As above, with the rating confirmations after the purchases. */
  public static void write(OutputStream out, PartyId sender, PartyId receiver, LocalDate businessDate, long sequence,
      CurrencyUnit currency, List<Purchase> purchases, List<Confirmation> confirmations) {
    long total = purchases.stream().mapToLong(Purchase::offlineMinor).sum();
    FramedFileWriter frame = new FramedFileWriter(out, new FileHeader(FileKind.WALLET_DAY, sender, receiver,
        businessDate, sequence, purchases.size() + confirmations.size(), currency, total));
    for (Purchase p : purchases) {
      frame.line().text("P").separator().hex(p.signedDebit).separator().hex(p.tac).separator()
          .hex(p.cardSignature).separator()
          .number(p.psamSequence).separator().hex(p.psamSignature);
      frame.endLine();
    }
    for (Confirmation c : confirmations) {
      frame.line().text(CONFIRMATION_TAG).separator().hex(c.input).separator().hex(c.cardMac);
      frame.endLine();
    }
    frame.finish();
  }

  /**
   * Reads a day file.
   *
   * @throws ProtocolException on any defect, naming line and field, or when the total is not the offline sum
   */
  public static Read read(InputStream in, FileLimits limits) {
    FramedFileReader frame = new FramedFileReader(in, limits, FileKind.WALLET_DAY);
    FileHeader header = frame.header();
    List<Purchase> purchases = new ArrayList<>();
    List<Confirmation> confirmations = new ArrayList<>();
    long total = 0;
    while (frame.next()) {
      if (frame.firstChar() == 'C') {
        FieldCursor c = frame.fields(CONFIRMATION_TAG, 3, "rating confirmation");
        byte[] input = c.hex(1, "confirmation", CONFIRMATION_BYTES);
        if (input.length != CONFIRMATION_BYTES || input[0] != 0x71) {
          throw c.field("confirmation", "not a 21-byte rating confirmation input");
        }
        byte[] mac = c.hex(2, "card MAC", CONFIRMATION_MAC_BYTES);
        if (mac.length != CONFIRMATION_MAC_BYTES) {
          throw c.field("card MAC", "not an 8-byte confirmation MAC");
        }
        confirmations.add(new Confirmation(input, mac));
        continue;
      }
      FieldCursor f = frame.fields("P", 6, "wallet purchase");
      byte[] debit = f.hex(1, "debit", DEBIT_BYTES);
      if (debit.length != DEBIT_BYTES || debit[0] != 0x21) {
        throw f.field("debit", "not a 51-byte card-signed DEBIT");
      }
      byte[] tac = f.hex(2, "TAC", TAC_BYTES);
      if (tac.length != TAC_BYTES) {
        throw f.field("TAC", "not an 8-byte TAC");
      }
      Purchase p = new Purchase(debit, tac, f.hex(3, "card signature", SIGNATURE_BYTES_MAX),
          f.number(4, "PSAM sequence", 0, 0xFFFF_FFFFL), f.hex(5, "PSAM signature", SIGNATURE_BYTES_MAX));
      total += p.offlineMinor();
      purchases.add(p);
    }
    if (total != header.totalMinor()) {
      throw new ProtocolException("wallet day file: total " + header.totalMinor() + " is not the offline sum " + total);
    }
    return new Read(header, purchases, confirmations);
  }
}
