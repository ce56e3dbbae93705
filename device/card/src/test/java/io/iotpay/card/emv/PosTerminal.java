package io.iotpay.card.emv;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Dol;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test harness that plays the contactless terminal (the real POS kernel comes later in
 * device/terminal, package pos): PPSE, SELECT AID, GPO with the PDOL data, READ RECORD of the AFL,
 * GENERATE AC with the CDOL data the card's records ask for (the issuer authentication data 91 in
 * CDOL2) and scripts.
 * It parses the card's answers with foundation's TLV and DOL codecs, as the kernel will.
 */
final class PosTerminal {
  static final byte[] UN = Hex.decode("1A2B3C4D");
  static final byte[] ARC_APPROVED = Hex.decode("3030");
  static final byte[] ARC_DECLINED = Hex.decode("3035");
  static final byte[] ARC_UNABLE_ONLINE = Hex.decode("5A33");
  static final int P1_AAC = 0x00;
  static final int P1_TC = 0x40;
  static final int P1_ARQC = 0x80;

  private final CardChannel channel;
  private final Map<Integer, byte[]> values = new HashMap<>();
  private Dol cdol1;
  private Dol cdol2;
  int commands;
  int bytesToCard;
  int bytesFromCard;

  /** The result of a GENERATE AC: its status word and, on 9000, CID, ATC, cryptogram and IAD. */
  record Ac(int sw, int cid, int atc, byte[] cryptogram, byte[] iad, byte[] cdolData) {
    byte cvrByte(int n) {
      return iad[3 + n];
    }
  }

  PosTerminal(CardChannel channel) {
    this.channel = channel;
  }

  ResponseApdu send(CommandApdu command) {
    commands++;
    bytesToCard += command.encode().length;
    ResponseApdu response = channel.transmit(command);
    bytesFromCard += response.encode().length;
    return response;
  }

  /** PPSE, SELECT, GPO and READ RECORD for {@code amountMinor}; returns the GPO status word. */
  int start(long amountMinor) {
    values.put(0x9F66, Hex.decode("36004000"));
    values.put(0x9F02, Bcd.encodeAmount(amountMinor));
    values.put(0x9F03, new byte[6]);
    values.put(0x9F1A, Hex.decode("0156"));
    values.put(0x95, new byte[5]);
    values.put(0x5F2A, Hex.decode("0156"));
    values.put(0x9A, Hex.decode("261207"));
    values.put(0x9C, new byte[1]);
    values.put(0x9F37, UN);
    ResponseApdu ppse = send(new CommandApdu(0x00, 0xA4, 0x04, 0x00, EmvCard.PPSE_NAME, 256));
    byte[] aid = find(EmvCard.ok(ppse, "SELECT PPSE").data(), 0x4F).orElseThrow();
    ResponseApdu fci = send(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256));
    if (fci.sw() != 0x9000) {
      return fci.sw();
    }
    Dol pdol = Dol.parse(find(fci.data(), 0x9F38).orElseThrow());
    byte[] pdolData = pdol.build(this::valueOf);
    ResponseApdu gpo = send(new CommandApdu(0x80, 0xA8, 0x00, 0x00,
        EmvCard.concat(new byte[] {(byte) 0x83, (byte) pdolData.length}, pdolData), 256));
    if (gpo.sw() != 0x9000) {
      return gpo.sw();
    }
    byte[] afl = find(gpo.data(), 0x94).orElseThrow();
    for (int i = 0; i < afl.length; i += 4) {
      int sfi = (afl[i] & 0xFF) >> 3;
      for (int record = afl[i + 1]; record <= afl[i + 2]; record++) {
        ResponseApdu r = send(new CommandApdu(0x00, 0xB2, record, (sfi << 3) | 4, new byte[0], 256));
        for (Tlv object : BerTlv.parse(EmvCard.ok(r, "READ RECORD").data())) {
          if (object instanceof Tlv.Constructed template) {
            for (Tlv child : template.children()) {
              if (child instanceof Tlv.Primitive primitive) {
                values.putIfAbsent(primitive.tag().value(), primitive.value());
              }
            }
          }
        }
      }
    }
    cdol1 = Dol.parse(values.get(0x8C));
    cdol2 = Dol.parse(values.get(0x8D));
    return gpo.sw();
  }

  private Optional<byte[]> valueOf(Tag tag) {
    return Optional.ofNullable(values.get(tag.value()));
  }

  /** A value the terminal holds or read from the card (e.g. 5A after READ RECORD). */
  byte[] value(int tag) {
    return values.get(tag);
  }

  byte[] cdol1Data() {
    return cdol1.build(this::valueOf);
  }

  /** CDOL2 data with {@code arc} and no issuer authentication data (91 left as zeros). */
  byte[] cdol2Data(byte[] arc) {
    values.remove(0x91);
    values.put(0x8A, arc);
    return cdol2.build(this::valueOf);
  }

  /** CDOL2 data with {@code arc} and 91 = {@code arpc} ‖ {@code arpcArc} (ARPC method 1). */
  byte[] cdol2Data(byte[] arc, byte[] arpc, byte[] arpcArc) {
    values.put(0x8A, arc);
    values.put(0x91, EmvCard.concat(arpc, arpcArc));
    return cdol2.build(this::valueOf);
  }

  Ac generateAc(int p1, byte[] cdolData) {
    ResponseApdu response = send(new CommandApdu(0x80, 0xAE, p1, 0x00, cdolData, 256));
    if (response.sw() != 0x9000) {
      return new Ac(response.sw(), -1, -1, null, null, cdolData);
    }
    byte[] data = response.data();
    byte[] atc = find(data, 0x9F36).orElseThrow();
    return new Ac(response.sw(), find(data, 0x9F27).orElseThrow()[0] & 0xFF,
        ((atc[0] & 0xFF) << 8) | (atc[1] & 0xFF), find(data, 0x9F26).orElseThrow(),
        find(data, 0x9F10).orElseThrow(), cdolData);
  }

  /** The first GENERATE AC with CDOL1 data. */
  Ac firstAc(int p1) {
    return generateAc(p1, cdol1Data());
  }

  int script(byte[] command) {
    return send(CommandApdu.parse(command)).sw();
  }

  int verifyPin(byte[] pinBlock) {
    return send(new CommandApdu(0x00, 0x20, 0x00, 0x80, pinBlock, 0)).sw();
  }

  static Optional<byte[]> find(byte[] data, int tag) {
    return Tlv.findIn(BerTlv.parse(data), Tag.of(tag)).map(t -> ((Tlv.Primitive) t).value());
  }

  static List<Tlv> parse(byte[] data) {
    return BerTlv.parse(data);
  }
}
