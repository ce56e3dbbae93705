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
 * The wallet issuer's list for every POS (docs/wallet.md §4): the header's sequence is the list's
 * version. {@code A;cardId;counter;amount;01;issuerSignature} allows (a completed online part),
 * {@code D;cardId;counter;amount;02|03;issuerSignature} denies (a failed part: debt, or debt and
 * block), {@code B;cardId} names a blocked card, {@code R2;cardId;version;band;allowance;kinds;issuerMac}
 * carries a card's new credit rating. The issuer signatures are the card-level WRITE BACK
 * signatures (docs/wallet-apdus.md §3.4), the issuer MAC the 8-byte WRITE RATING MAC under the
 * card's key (§3.8), which the POS passes to the card; the file's own signature (protocol.pki) is
 * checked before any of it is read. The rating line's tag carries its version: {@code R} lines
 * (format 1, an issuer signature) are no longer read.
 */
public final class WalletListFile {
  /** Bound on entries in one list. */
  public static final int ENTRIES_MAX = 2_000_000;

  private WalletListFile() {}

  /** One line: kind {@code A}, {@code D} or {@code B}; for {@code B} only the card id is meaningful. */
  public record Entry(char kind, byte[] cardId, long pendingCounter, long pendingMinor, int outcome,
      byte[] issuerSignature) {
    public Entry {
      cardId = cardId.clone();
      issuerSignature = issuerSignature.clone();
    }

    @Override
    public byte[] cardId() {
      return cardId.clone();
    }

    @Override
    public byte[] issuerSignature() {
      return issuerSignature.clone();
    }
  }

  /** Tag of a rating line, format 2 (an 8-byte issuer MAC). */
  public static final String RATING_TAG = "R2";
  /** Bytes of the issuer's rating MAC. */
  public static final int RATING_MAC_BYTES = 8;

  /**
   * One {@code R2} line: the rating the card takes (docs/wallet-apdus.md §3.8).
   *
   * @param version 1..7FFFFFFF, newer ratings higher
   * @param band the band byte the card holds, 0..255
   * @param allowanceMinor 0..7FFFFFFF
   * @param splitKinds purchase-kind mask, 0..255
   * @param issuerMac 8 bytes over 61 ‖ card id ‖ version ‖ band ‖ allowance ‖ kinds ‖ currency
   */
  public record Rating(byte[] cardId, long version, int band, long allowanceMinor, int splitKinds,
      byte[] issuerMac) {
    public Rating {
      cardId = cardId.clone();
      issuerMac = issuerMac.clone();
    }

    @Override
    public byte[] cardId() {
      return cardId.clone();
    }

    @Override
    public byte[] issuerMac() {
      return issuerMac.clone();
    }
  }

  /** A read list. */
  public record Read(FileHeader header, List<Entry> entries, List<Rating> ratings) {}

  public static void write(OutputStream out, PartyId issuer, PartyId receiver, LocalDate businessDate, long version,
      CurrencyUnit currency, List<Entry> entries) {
    write(out, issuer, receiver, businessDate, version, currency, entries, List.of());
  }

  /** Writes the outcome lines, then one {@code R2} line per rating. */
  public static void write(OutputStream out, PartyId issuer, PartyId receiver, LocalDate businessDate, long version,
      CurrencyUnit currency, List<Entry> entries, List<Rating> ratings) {
    FramedFileWriter frame = new FramedFileWriter(out, new FileHeader(FileKind.WALLET_LIST, issuer, receiver,
        businessDate, version, entries.size() + ratings.size(), currency, 0));
    for (Entry e : entries) {
      LineBuilder line = frame.line().text(String.valueOf(e.kind())).separator().hex(e.cardId);
      if (e.kind() != 'B') {
        line.separator().number(e.pendingCounter()).separator().number(e.pendingMinor()).separator()
            .number(e.outcome()).separator().hex(e.issuerSignature);
      }
      frame.endLine();
    }
    for (Rating r : ratings) {
      frame.line().text(RATING_TAG).separator().hex(r.cardId).separator().number(r.version()).separator()
          .number(r.band()).separator().number(r.allowanceMinor()).separator().number(r.splitKinds()).separator()
          .hex(r.issuerMac);
      frame.endLine();
    }
    frame.finish();
  }

  /**
   * Reads a list.
   *
   * @throws ProtocolException on any defect, naming line and field
   */
  public static Read read(InputStream in, FileLimits limits) {
    FileLimits bounded = new FileLimits(limits.lineBytesMax(), Math.min(limits.recordsMax(), ENTRIES_MAX));
    FramedFileReader frame = new FramedFileReader(in, bounded, FileKind.WALLET_LIST);
    List<Entry> entries = new ArrayList<>();
    List<Rating> ratings = new ArrayList<>();
    while (frame.next()) {
      char kind = frame.firstChar();
      if (kind == 'R') {
        ratings.add(rating(frame.fields(RATING_TAG, 7, "rating")));
        continue;
      }
      FieldCursor f = switch (kind) {
        case 'B' -> frame.fields("B", 2, "blocked card");
        case 'A' -> frame.fields("A", 6, "allow");
        default -> frame.fields("D", 6, "deny");
      };
      byte[] cardId = f.hex(1, "card id", 8);
      if (cardId.length != 8) {
        throw f.field("card id", "not 8 bytes");
      }
      if (kind == 'B') {
        entries.add(new Entry(kind, cardId, 0, 0, 0, new byte[0]));
        continue;
      }
      int outcome = (int) f.number(4, "outcome", 1, 3);
      if ((kind == 'A') != (outcome == 1)) {
        throw f.field("outcome", "an allow line is outcome 1, a deny line 2 or 3");
      }
      entries.add(new Entry(kind, cardId, f.number(2, "counter", 1, 0x7FFF_FFFFL),
          f.number(3, "amount", 1, 0x7FFF_FFFFL), outcome, f.hex(5, "issuer signature", 72)));
    }
    return new Read(frame.header(), entries, ratings);
  }

  private static Rating rating(FieldCursor f) {
    byte[] cardId = f.hex(1, "card id", 8);
    if (cardId.length != 8) {
      throw f.field("card id", "not 8 bytes");
    }
    byte[] mac = f.hex(6, "issuer MAC", RATING_MAC_BYTES);
    if (mac.length != RATING_MAC_BYTES) {
      throw f.field("issuer MAC", "not 8 bytes");
    }
    return new Rating(cardId, f.number(2, "version", 1, 0x7FFF_FFFFL), (int) f.number(3, "band", 0, 0xFF),
        f.number(4, "allowance", 0, 0x7FFF_FFFFL), (int) f.number(5, "kinds", 0, 0xFF), mac);
  }
}
