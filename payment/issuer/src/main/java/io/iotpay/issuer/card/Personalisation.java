package io.iotpay.issuer.card;

import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.IssuerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.iotpay.foundation.codec.Bytes;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import io.iotpay.protocol.transit.TransitOdaPersonalisation;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;

/**
 * The personalisation script of one card (docs/card-apdus.md §7) and its safe retry: SELECT,
 * SCP02 session, then STORE DATA DGI 8000 (AC key ‖ MAC sub-key under the session DEK), 0101 (SFI 1
 * record: PAN, expiry, PSN), 9200 (PDOL, quota 0, DF62) as the last block. After a lost command or
 * response the whole script runs again in a new session: blocks the card holds answer {@code 6200}.
 * If the card is already personalised (its FCI carries the PDOL), the issuer checks its PAN instead.
 */
final class Personalisation {
  private static final Logger LOG = LoggerFactory.getLogger(Personalisation.class);
  /** PDOL: 9F02 06, 5F2A 02, 9A 03, 9F37 04, DF60 01 — the gate's amount, currency, date, UN, DF60. */
  static final byte[] PDOL = Hex.decode("9F02065F2A029A039F3704DF6001");
  private static final byte[] EXPIRY = Hex.decode("301231");
  /** The month of {@link #EXPIRY}: the card's ODA certificate expires with the card. */
  private static final YearMonth EXPIRY_MONTH = YearMonth.of(2030, 12);
  private static final int ATTEMPTS_MAX = 3;

  private final IssuerConfig config;
  private final CardKeys keys;
  private final CardRecord card;
  private final OdaIssuing.IssuerCredentials oda;
  private final SecureRandom random = new SecureRandom();

  Personalisation(IssuerConfig config, CardKeys keys, CardRecord card, OdaIssuing.IssuerCredentials oda) {
    this.config = config;
    this.keys = keys;
    this.card = card;
    this.oda = oda;
  }

  /** GP install parameters: {@code Li AID ‖ 00 ‖ La suite ‖ KVN ‖ KDD ‖ ENC ‖ MAC ‖ DEK}. */
  static byte[] installParameters(byte[] aid, CardKeys keys, int kvn) {
    byte suiteByte = switch (keys.suite()) {
      case INTERNATIONAL -> 0x01;
      case NATIONAL -> 0x02;
    };
    byte[] data = Bytes.concat(new byte[] {suiteByte, (byte) kvn}, keys.diversificationData(),
        keys.scp().enc().value(), keys.scp().mac().value(), keys.scp().dek().value());
    return Bytes.concat(new byte[] {(byte) aid.length}, aid, new byte[] {0}, new byte[] {(byte) data.length}, data);
  }

  void run(CardChannel channel) {
    CardGoneException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
      try {
        attempt(channel);
        return;
      } catch (CardGoneException e) {
        // The exchange broke mid-script; a new session resends it and 6200 skips held blocks.
        LOG.info("personalisation of {} interrupted (attempt {}): {}", card.pan(), attempt, e.getMessage());
        last = e;
      }
    }
    throw new IssuerInputException("personalisation of " + card.pan() + " failed after " + ATTEMPTS_MAX
        + " attempts: " + (last == null ? "" : last.getMessage()));
  }

  private void attempt(CardChannel channel) {
    ResponseApdu fci = expect(channel.transmit(Scp02Host.select(config.aid())), "SELECT", false);
    if (containsPdol(fci.data())) {
      checkPersonalised(channel);
      return;
    }
    OdaPublicKey generated = oda != null && card.suite() == AlgorithmSuite.NATIONAL
        ? new OdaPublicKey.Sm2(expect(channel.transmit(CommandApdu.parse(TransitOdaPersonalisation.GENERATE_ODA_KEY)),
            "GENERATE ODA KEY", false).data())
        : null;
    Scp02Host host = new Scp02Host(keys);
    host.acceptInitializeUpdate(channel.transmit(host.initializeUpdate()));
    expect(channel.transmit(host.externalAuthenticate()), "EXTERNAL AUTHENTICATE", false);
    byte[] keyBlock = host.encryptWithDek(Bytes.concat(keys.ac().value(), keys.macSub().value()));
    expect(channel.transmit(host.wrap(0x80, 0xE2, 0x00, 0, dgi(0x8000, keyBlock))), "STORE DATA 8000", true);
    expect(channel.transmit(host.wrap(0x80, 0xE2, 0x00, 1, dgi(0x0101, record()))), "STORE DATA 0101", true);
    if (oda != null) {
      List<byte[]> blocks = odaBlocks(host, generated);
      for (int i = 0; i < blocks.size(); i++) {
        expect(channel.transmit(host.wrap(0x80, 0xE2, 0x00, 3 + i, blocks.get(i))), "STORE DATA (ODA)", true);
      }
    }
    expect(channel.transmit(host.wrap(0x80, 0xE2, 0x80, 2, dgi(0x9200, applicationData()))), "STORE DATA 9200", true);
  }

  /**
   * The ODA blocks (docs/card-apdus.md §11): an SM2 key generated on the card, or an RSA key made
   * here (a production issuer's HSM) and sent with its private parts under the session DEK; then the
   * card's certificate under this issuer's ODA credentials, valid to the card's expiry.
   */
  private List<byte[]> odaBlocks(Scp02Host host, OdaPublicKey generated) {
    byte[] pan = Bcd.encodeCompressed(card.pan().digits(), (card.pan().digits().length() + 1) / 2);
    return TransitOdaPersonalisation.blocks(card.suite(), generated, host::encryptWithDek, oda, pan, EXPIRY_MONTH,
        key -> key, random);
  }

  /** Already personalised (the last block went through, its response was lost): is it this card? */
  private void checkPersonalised(CardChannel channel) {
    ResponseApdu record = expect(channel.transmit(new CommandApdu(0x00, 0xB2, 0x01, 0x0C, new byte[0], 256)),
        "READ RECORD SFI 1", false);
    byte[] expected = record();
    if (!Arrays.equals(Arrays.copyOfRange(record.data(), 2, record.data().length), expected)) {
      throw new IssuerInputException("card answering as personalised holds another card's record");
    }
  }

  byte[] record() {
    byte[] pan = Bcd.encodeCompressed(card.pan().digits(), (card.pan().digits().length() + 1) / 2);
    return Bytes.concat(new byte[] {0x5A, (byte) pan.length}, pan, new byte[] {0x5F, 0x24, 0x03}, EXPIRY,
        new byte[] {0x5F, 0x34, 0x01, (byte) (((card.panSequence() / 10) << 4) | (card.panSequence() % 10))});
  }

  private byte[] applicationData() {
    return Bytes.concat(new byte[] {(byte) 0x9F, 0x38, (byte) PDOL.length}, PDOL,
        new byte[] {(byte) 0x9F, 0x79, 0x06}, Bcd.encodeAmount(0),
        new byte[] {(byte) 0xDF, 0x62, 0x06}, Bcd.encodeAmount(config.maxFareMinor()));
  }

  private static byte[] dgi(int dgi, byte[] value) {
    return Bytes.concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
  }

  private static boolean containsPdol(byte[] fci) {
    for (int i = 0; i + 1 < fci.length; i++) {
      if (fci[i] == (byte) 0x9F && fci[i + 1] == 0x38) {
        return true;
      }
    }
    return false;
  }

  private static ResponseApdu expect(ResponseApdu response, String what, boolean heldIsOk) {
    if (response.sw() == 0x9000 || (heldIsOk && response.sw() == 0x6200)) {
      return response;
    }
    throw new IssuerInputException(String.format("personalisation: %s answered %04X", what, response.sw()));
  }
}
