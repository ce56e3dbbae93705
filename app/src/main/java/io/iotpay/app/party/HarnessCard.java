package io.iotpay.app.party;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.MonthDayTime;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A card as the test harness and load generator act it out, from {@code cards.properties}
 * (docs/parties.md). TEST HARNESS ONLY: it holds the card's master key for application
 * cryptograms, which a real card never lets out; here it makes genuine ARQCs (EMV common session
 * key, CVN 0x10-style IAD) the issuer verifies through its custody, and checks the issuer's ARPC.
 *
 * @param issuer the issuer's party id
 * @param accountIndex the card's account at its issuer, in set-up order
 */
public record HarnessCard(String issuer, AlgorithmSuite suite, Pan pan, int panSequence, YearMonth expiry,
    SecretKeyBytes cardMasterKey, int accountIndex) {
  private static final byte[] AIP = Hex.decode("1C00");
  private static final byte[] IAD = Hex.decode("0110A00000");

  /** One authorisation request as the terminal would send it, with what the card computed. */
  public record Tap(AuthorisationRequest request, int atc, byte[] arqc) {}

  /**
   * An 0100 for {@code amount} with a genuine ARQC for {@code atc}; field 55 carries the chip data
   * the issuer's {@code ChipData} reads (9F26, 9F27, 9F10, 9F36, 82 and the CDOL1 items).
   */
  public Tap authorisation(int stan, Money amount, int atc, String acquirerId, String terminalId, String merchantId,
      MonthDayTime at) {
    byte[] cdol1 = cdol1(amount, at);
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, sessionKey(atc),
        EmvCryptograms.cryptogramInput(cdol1, AIP, atc, IAD));
    List<Tlv> chip = new ArrayList<>();
    chip.add(Tlv.primitive(Tag.of(0x9F26), arqc));
    chip.add(Tlv.primitive(Tag.of(0x9F27), new byte[] {(byte) 0x80}));
    chip.add(Tlv.primitive(Tag.of(0x9F10), IAD));
    chip.add(Tlv.primitive(Tag.of(0x9F36), new byte[] {(byte) (atc >> 8), (byte) atc}));
    chip.add(Tlv.primitive(Tag.of(0x82), AIP));
    int offset = 0;
    int[][] cdol = {{0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}};
    for (int[] entry : cdol) {
      chip.add(Tlv.primitive(Tag.of(entry[0]), Arrays.copyOfRange(cdol1, offset, offset + entry[1])));
      offset += entry[1];
    }
    CardTransaction t = new CardTransaction(pan, "000000", amount, at, stan, at, expiry, "071", panSequence, acquirerId,
        String.format("%012d", stan), terminalId, merchantId, null, new IccData(BerTlv.encode(chip)));
    return new Tap(new AuthorisationRequest(t), atc, arqc);
  }

  /** True when {@code response}'s field 55 carries tag 91 = ARPC (method 1) ‖ ARC that this card accepts. */
  public boolean arpcValid(Tap tap, CardResponse response) {
    if (response.iccData() == null) {
      return false;
    }
    for (Tlv tlv : response.iccData().objects()) {
      if (tlv instanceof Tlv.Primitive primitive && tlv.tag().equals(Tag.of(0x91)) && primitive.value().length == 10) {
        byte[] arpc = Arrays.copyOf(primitive.value(), 8);
        byte[] arc = Arrays.copyOfRange(primitive.value(), 8, 10);
        return Arrays.equals(arc, response.responseCode().code().getBytes(StandardCharsets.US_ASCII))
            && EmvCryptograms.isArpcMethod1Valid(suite, sessionKey(tap.atc()), tap.arqc(), arc, arpc);
      }
    }
    return false;
  }

  private SecretKeyBytes sessionKey(int atc) {
    return EmvCryptograms.sessionKey(suite, cardMasterKey, atc);
  }

  /** CDOL1 data: amount, other amount 0, country 0156, TVR 0, the currency, date, type 00, UN. */
  private static byte[] cdol1(Money amount, MonthDayTime at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Hex.decode(String.format("%012d", amount.amountMinor())));
    out.writeBytes(Hex.decode("000000000000" + "0156" + "0000000000"));
    out.writeBytes(Hex.decode(String.format("%04d", amount.currency().numericCode())));
    out.writeBytes(Hex.decode(String.format("%02d%02d%02d", java.time.Year.now(java.time.ZoneOffset.UTC).getValue() % 100,
        at.date().getMonthValue(), at.date().getDayOfMonth())));
    out.writeBytes(Hex.decode("00"));
    byte[] un = new byte[4];
    new java.security.SecureRandom().nextBytes(un);
    out.writeBytes(un);
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "HarnessCard[" + issuer + ", " + suite + ", " + pan.masked() + "]"; // no key, no full PAN
  }
}
