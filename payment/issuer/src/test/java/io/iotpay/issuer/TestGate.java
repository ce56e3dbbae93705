package io.iotpay.issuer;

import io.iotpay.foundation.codec.Bytes;
import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitTac;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Drives the applet as a gate does (docs/card-apdus.md §8: SELECT, READ CAPP DATA, GPO with DF60 =
 * 1, UPDATE CAPP DATA CACHE, GENERATE AC for a TC) and journals the result as a TransitRecord whose
 * cryptogram input is rebuilt from the documented layout, so the TACs are the card's own.
 */
final class TestGate {
  static final PartyId OPERATOR = PartyId.of("METRO-A");
  static final LocalDate DAY = LocalDate.of(2026, 11, 22);
  private static final byte[] UN = Hex.decode("1A2B3C4D");
  private static final byte[] DATE = Hex.decode("261122");

  private final SimCard card;
  private final IssuedCard issued;
  private final byte[] aid;
  private long sequence;

  TestGate(SimCard card, IssuedCard issued, byte[] aid) {
    this.card = card;
    this.issued = issued;
    this.aid = aid;
  }

  /** Entry locking {@code maxFareMinor}, then exit charging {@code fareMinor}: two records. */
  TransitRecord[] journey(long maxFareMinor, long fareMinor) {
    return new TransitRecord[] {tap(TransitKind.ENTRY, maxFareMinor), tap(TransitKind.EXIT, fareMinor)};
  }

  TransitRecord tap(TransitKind kind, long amountMinor) {
    byte[] amount = Bcd.encodeAmount(amountMinor);
    expect(card.send(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256)), "SELECT");
    expect(card.send(new CommandApdu(0x80, 0xB4, 0x01, 0xBC, Hex.decode("5452"), 256)), "READ CAPP DATA");
    byte[] pdolData = Bytes.concat(amount, Hex.decode("0156"), DATE, UN, new byte[] {0x01});
    expect(card.send(new CommandApdu(0x80, 0xA8, 0x00, 0x00,
        Bytes.concat(new byte[] {(byte) 0x83, (byte) pdolData.length}, pdolData), 256)), "GPO");
    byte[] capp = new byte[32];
    capp[0] = (byte) (kind == TransitKind.ENTRY ? 0x01 : 0x02);
    capp[4] = 0x11;
    expect(card.send(new CommandApdu(0x80, 0xDE, 0x01, 0xBC, capp, 0)), "UPDATE CAPP DATA CACHE");
    byte[] cdol1 = Bytes.concat(amount, new byte[6], Hex.decode("0156"), new byte[5], Hex.decode("0156"), DATE,
        new byte[1], UN, TransitTac.Input.acceptor("GATE-1", OPERATOR));
    ResponseApdu ac = expect(card.send(new CommandApdu(0x80, 0xAE, 0x40, 0x00, cdol1, 256)), "GENERATE AC");
    byte[] data = ac.data();
    byte[] cid = find(data, 0x9F27);
    if (cid[0] != 0x40) {
      throw new IllegalStateException(String.format("card declined the tap: CID %02X IAD %s", cid[0],
          Hex.encode(find(data, 0x9F10))));
    }
    byte[] atc = find(data, 0x9F36);
    byte[] quotaAfter = find(data, 0x9F79);
    byte[] input = Bytes.concat(cdol1, Hex.decode("0800"), atc, cid, find(data, 0x9F10), quotaAfter,
        find(data, 0xDF63), capp);
    long fare = kind == TransitKind.ENTRY ? 0 : amountMinor;
    return new TransitRecord(new RecordId("GATE-1", ++sequence), OPERATOR, "S01", kind, issued.pan(),
        issued.panSequence(), issued.suite(), ((atc[0] & 0xFF) << 8) | (atc[1] & 0xFF),
        Money.ofMinor(fare, CurrencyUnit.CNY), Bcd.decodeAmount(quotaAfter), Instant.parse("2026-11-22T08:30:00Z"),
        DAY, input, find(data, 0x9F26), false);
  }

  private static ResponseApdu expect(ResponseApdu response, String what) {
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(String.format("%s answered %04X", what, response.sw()));
    }
    return response;
  }

  /** A primitive tag's value under the response template (77 L ...). */
  static byte[] find(byte[] data, int tag) {
    int p = 2;
    while (p < data.length) {
      int t = data[p++] & 0xFF;
      if ((t & 0x1F) == 0x1F) {
        t = (t << 8) | (data[p++] & 0xFF);
      }
      int length = data[p++] & 0xFF;
      if (t == tag) {
        return Arrays.copyOfRange(data, p, p + length);
      }
      p += length;
    }
    throw new IllegalStateException(String.format("tag %X missing from the response", tag));
  }
}
