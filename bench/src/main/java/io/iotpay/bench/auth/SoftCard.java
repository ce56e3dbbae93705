package io.iotpay.bench.auth;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.IccData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A card for the load generator: its MK_AC derived from the issuer's IMK by option A (the same
 * derivation the issuer's custody uses), an ATC that counts up, and the chip data a POS kernel
 * sends in field 55 for an ARQC (docs/emv-card-apdus.md §3, §8, docs/pos-kernel.md §5): a genuine
 * ARQC over CDOL1 data ‖ AIP ‖ ATC ‖ IAD. It checks the issuer's ARPC (method 1) as the card does
 * in its second GENERATE AC. Not thread-safe: one card is used by one sender at a time.
 */
final class SoftCard {
  /** AIP of the project's card (docs/emv-card-apdus.md §3). */
  private static final byte[] AIP = Hex.decode("1800");
  private static final int[][] CDOL1 = {{0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3},
      {0x9C, 1}, {0x9F37, 4}};

  final Pan pan;
  final int panSequence;
  private final AlgorithmSuite suite;
  private final SecretKeyBytes masterKey;
  private final byte[] iad;
  private int atc;

  SoftCard(AlgorithmSuite suite, SecretKeyBytes imkAc, Pan pan, int panSequence) {
    this.suite = suite;
    this.pan = pan;
    this.panSequence = panSequence;
    this.masterKey = EmvKeyDerivation.cardMasterKey(suite, imkAc, pan.digits(), String.format("%02d", panSequence));
    // IAD as the applet makes it: 06, DKI 01, CVN (01 3DES, 04 SM4), CVR 03 A0 00 00 (first AC ARQC).
    this.iad = Hex.decode("0601" + (suite == AlgorithmSuite.INTERNATIONAL ? "01" : "04") + "03A00000");
  }

  /**
   * One ARQC for {@code amountMinor} with the next ATC: field 55, and what the ARQC MACs (the input
   * the issuer rebuilds from field 55).
   */
  record Arqc(IccData field55, int atc, byte[] arqc, byte[] cryptogramInput) {}

  Arqc arqc(long amountMinor, byte[] unpredictableNumber) {
    atc = (atc + 1) & 0xFFFF;
    byte[] cdol1 = Hex.decode(String.format("%012d", amountMinor) + "000000000000" + "0156" + "0000000000" + "0156"
        + "261207" + "00" + Hex.encode(unpredictableNumber));
    SecretKeyBytes sessionKey = EmvCryptograms.sessionKey(suite, masterKey, atc);
    byte[] input = EmvCryptograms.cryptogramInput(cdol1, AIP, atc, iad);
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, sessionKey, input);
    List<Tlv> objects = new ArrayList<>(13);
    objects.add(Tlv.primitive(Tag.of(0x9F26), arqc));
    objects.add(Tlv.primitive(Tag.of(0x9F27), new byte[] {(byte) 0x80}));
    objects.add(Tlv.primitive(Tag.of(0x9F10), iad));
    objects.add(Tlv.primitive(Tag.of(0x9F36), new byte[] {(byte) (atc >> 8), (byte) atc}));
    objects.add(Tlv.primitive(Tag.of(0x82), AIP));
    int offset = 0;
    for (int[] entry : CDOL1) {
      objects.add(Tlv.primitive(Tag.of(entry[0]), Arrays.copyOfRange(cdol1, offset, offset + entry[1])));
      offset += entry[1];
    }
    return new Arqc(new IccData(BerTlv.encode(objects)), atc, arqc, input);
  }

  /** True when {@code issuerData} (response field 55) starts with 91 = a valid ARPC ‖ {@code arc} for {@code arqc}. */
  boolean arpcValid(Arqc arqc, IccData issuerData, byte[] arc) {
    if (issuerData == null) {
      return false;
    }
    return Tlv.findIn(BerTlv.parse(issuerData.value()), Tag.of(0x91))
        .map(t -> ((Tlv.Primitive) t).value())
        .filter(v -> v.length == 8 + arc.length && Arrays.equals(Arrays.copyOfRange(v, 8, v.length), arc))
        .map(v -> EmvCryptograms.isArpcMethod1Valid(suite, EmvCryptograms.sessionKey(suite, masterKey, arqc.atc()),
            arqc.arqc(), arc, Arrays.copyOf(v, 8)))
        .orElse(false);
  }
}
