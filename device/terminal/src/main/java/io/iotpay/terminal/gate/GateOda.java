package io.iotpay.terminal.gate;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CardOdaData;
import io.iotpay.foundation.crypto.oda.FddaData;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import io.iotpay.foundation.crypto.oda.OdaResult;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.List;

/**
 * The gate's offline data authentication (docs/gate.md §2a, docs/oda.md): foundation's
 * {@link OdaVerifier}, the code the POS kernel calls, over what the transit card sends. The chain
 * CA → issuer → card is checked before money moves (8F, 9F32, 9F46, 9F47 … from the GPO response,
 * 90 from SFI 1 record 2); the card's fDDA signature over this tap's unpredictable number, amount
 * and currency comes back in the TC (or, for a tap that opens without a transaction, in INTERNAL
 * AUTHENTICATE) and is checked before the record is journaled. Any failure is a {@link Failure};
 * the gate stays shut and journals nothing of this tap.
 *
 * <p>A verified chain is kept per card (its certificates' digest) for the day, so a card seen again
 * costs one signature verification, not three ({@link #CHAINS_CACHED_MAX}); the CA revocation list
 * is the verifier's, fixed for the gate's life, so a cached chain cannot outlive a revocation.
 *
 * <p>The static data to be authenticated is the AIP (the card lists no records for ODA): a card
 * that drops the DDA bit to dodge ODA is refused, and one that keeps it is checked.
 */
final class GateOda {
  /** AIP byte 1 bit 6: DDA supported (EMV Book 3 C1). */
  static final int AIP_DDA = 0x20;
  private static final byte[] RID = Arrays.copyOf(GateKernel.TRANSIT_AID, 5);

  /** Verified chains kept (about 300 bytes each): more cards than a gate sees in a day. */
  static final int CHAINS_CACHED_MAX = 10_000;

  private final OdaVerifier verifier;
  private final Map<ByteBuffer, CachedChain> chains = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteBuffer, CachedChain> eldest) {
      return size() > CHAINS_CACHED_MAX;
    }
  };

  private record CachedChain(Chain chain, LocalDate verifiedOn) {}

  GateOda(OdaVerifier verifier) {
    this.verifier = verifier;
  }

  /** Why ODA refused a card; carries the verifier's reason in its message. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String detail) {
      super(detail, null, false, false);
    }
  }

  /** READ RECORD SFI 1 record 2 (P2 = 1 ‖ 100 = 0C): the issuer certificate 90. */
  static CommandApdu readIssuerCertificate() {
    return new CommandApdu(0x00, 0xB2, 0x02, 0x0C, new byte[0], GateApdus.NE_ANY);
  }

  /** INTERNAL AUTHENTICATE with the fDDA terminal data 9F37 ‖ 9F02 ‖ 5F2A. */
  static CommandApdu internalAuthenticate(byte[] terminalData) {
    return new CommandApdu(0x00, 0x88, 0x00, 0x00, terminalData, GateApdus.NE_ANY);
  }

  /**
   * Checks that the card claims DDA; call right after GPO, before anything is journaled.
   *
   * @throws Failure when it does not
   */
  static void requireOffered(byte[] aip) {
    if ((aip[0] & AIP_DDA) == 0) {
      throw new Failure("NO_ODA: the card does not offer DDA (AIP " + String.format("%02X%02X", aip[0], aip[1]) + ")");
    }
  }

  /**
   * The chain CA → issuer → card over the GPO response and SFI 1 record 2.
   *
   * @return the card's public key, for {@link #checkSignature}
   * @throws Failure naming the verifier's reason
   */
  Chain verifyChain(byte[] gpoResponse, byte[] issuerRecord, byte[] aip, LocalDate today) {
    List<Tlv> read = List.of(BerTlv.parseSingle(gpoResponse), BerTlv.parseSingle(issuerRecord));
    CardOdaData card = CardOdaData.fromRecords(RID, read, aip.clone());
    ByteBuffer key = digest(card);
    CachedChain cached = chains.get(key);
    if (cached != null && cached.verifiedOn().equals(today)) {
      return cached.chain();
    }
    // RSA issuer certificates come with their exponent (9F32); SM2 ones never (docs/oda.md §3).
    AlgorithmSuite suite = card.issuerExponent() != null ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
    Chain chain = switch (verifier.verifyChain(suite, card, today)) {
      case OdaResult.Verified v -> new Chain(suite, v.iccPublicKey());
      case OdaResult.Refused r -> throw new Failure(r.reason() + ": " + r.detail());
    };
    chains.put(key, new CachedChain(chain, today));
    return chain;
  }

  /** SHA-256 over every input of the chain check, each length-prefixed (absent: length −1). */
  private static ByteBuffer digest(CardOdaData card) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
    sha.update((byte) card.caIndex());
    for (byte[] part : new byte[][] {card.pan(), card.issuerCertificate(), card.issuerRemainder(),
        card.issuerExponent(), card.iccCertificate(), card.iccRemainder(), card.iccExponent(), card.staticData()}) {
      int length = part == null ? -1 : part.length;
      sha.update((byte) (length >> 8));
      sha.update((byte) length);
      if (part != null) {
        sha.update(part);
      }
    }
    return ByteBuffer.wrap(sha.digest());
  }

  /** A verified chain: the card's suite (by its certificates) and public key. */
  record Chain(AlgorithmSuite suite, OdaPublicKey iccKey) {}

  /**
   * The card's fDDA signature over this tap's data.
   *
   * @param terminalData 9F37 ‖ 9F02 ‖ 5F2A as the card received them
   * @param response the card's answer holding 9F69 and 9F4B
   * @throws Failure when absent or not the card's
   */
  static void checkSignature(Chain chain, byte[] terminalData, byte[] response) {
    byte[] cardData = CardData.find(response, 0x9F69, "fDDA");
    byte[] signed = CardData.find(response, 0x9F4B, "fDDA");
    if (cardData == null || signed == null || cardData.length != FddaData.CARD_AUTHENTICATION_DATA_BYTES) {
      throw new Failure("DATA_MISSING: no 9F69 of 7 bytes or no 9F4B in the card's answer");
    }
    FddaData data = new FddaData(Arrays.copyOfRange(terminalData, 0, 4), Arrays.copyOfRange(terminalData, 4, 10),
        Arrays.copyOfRange(terminalData, 10, 12), cardData);
    if (OdaVerifier.verifySignature(chain.iccKey(), data.signedData(), signed) instanceof OdaResult.Refused r) {
      throw new Failure(r.reason() + ": " + r.detail());
    }
  }
}
