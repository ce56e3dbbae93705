package io.iotpay.bench.oda;

import io.iotpay.bench.tap.AirTimeModel;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.CardOdaData;
import io.iotpay.foundation.crypto.oda.FddaData;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaResult;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cost of fast offline data authentication per suite, at docs/oda.md's key sizes (RSA: CA 1984,
 * issuer 1408, card 1024 bits; SM2 throughout): host verification time measured here (whole chain +
 * signature for a card seen first, signature alone with the ICC key cached), the card's signature
 * time modelled from a published secure-element figure ({@link SecureElementTimings}), and the
 * APDU bytes ODA adds to a tap (the certificate records read, 9F69 + 9F4B in the card's answer)
 * with their modelled ISO 14443-A air time ({@link AirTimeModel}).
 *
 * <p>Run: {@code java -cp … io.iotpay.bench.oda.OdaBench [iterations]} (default 2000, after 500 warm-up).
 */
public final class OdaBench {
  /** Largest record a short READ RECORD response carries with its SW (ISO 7816-4: 256 bytes of data, less room). */
  static final int RECORD_BYTES_MAX = 254;
  private static final int READ_RECORD_COMMAND_BYTES = 5;
  private static final int SW_BYTES = 2;
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

  /** One suite's figures. */
  public record Figures(AlgorithmSuite suite, int recordReads, int recordBytesToCard, int recordBytesFromCard,
      int answerBytes, double airMs, double cardSignatureMs, String cardFigureSource, long chainMedianNanos,
      long chainP99Nanos, long signatureMedianNanos, long signatureP99Nanos) {}

  private OdaBench() {}

  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    if (iterations < 1 || iterations > 100_000) {
      throw new io.iotpay.foundation.InvalidInputException("iterations must be 1..100000");
    }
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      print(run(suite, 500, iterations));
    }
  }

  /** Builds one scheme and card of {@code suite} and measures it. */
  public static Figures run(AlgorithmSuite suite, int warmup, int iterations) {
    SecureRandom random = new SecureRandom();
    byte[] rid = Hex.decode("A000000999");
    byte[] pan = Hex.decode("6212345678901234");
    byte[] staticData = Hex.decode("5A0862123456789012345F24032912319F0702FF002000");
    OdaIssuing.CaKeyPair ca = OdaIssuing.newCa(suite, rid, 1, 1984, random);
    OdaIssuing.IssuerCredentials issuer = OdaIssuing.newIssuer(ca, "621234", YearMonth.of(2030, 12), Hex.decode("000001"), 1408, random);
    KeyPair cardKeys = OdaIssuing.newCardKeyPair(suite, 1024, random);
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(issuer, pan, YearMonth.of(2029, 12), Hex.decode("000001"),
        OdaIssuing.publicKey(cardKeys.getPublic()), staticData, random);
    CardOdaData card = new CardOdaData(rid, 1, pan, issuer.certificate(), issuer.remainder(), issuer.exponent(),
        icc.certificate(), icc.remainder(), icc.exponent(), staticData);
    OdaVerifier verifier = new OdaVerifier(OdaTrustStore.of(List.of(ca.publicKey())), CaRevocationList.empty());

    FddaData data = new FddaData(Hex.decode("0A0B0C0D"), Hex.decode("000000000250"), Hex.decode("0156"), Hex.decode("01123456788000"));
    byte[] signed = OdaIssuing.signDynamicData(cardKeys.getPrivate(), Hex.decode("080102030405060708"), data.signedData(), random);
    OdaResult.Verified chain = (OdaResult.Verified) verifier.verifyChain(suite, card, TODAY);
    long[] chainNanos = time(warmup, iterations, () -> require(verifier.verifyFdda(suite, card, data, signed, TODAY)));
    long[] signatureNanos = time(warmup, iterations,
        () -> require(OdaVerifier.verifySignature(chain.iccPublicKey(), data.signedData(), signed)));

    List<byte[]> records = records(card);
    int fromCard = records.stream().mapToInt(r -> r.length + SW_BYTES).sum();
    int toCard = records.size() * READ_RECORD_COMMAND_BYTES;
    // What fDDA adds to the card's answer: 9F69 (3 + 7) and 9F4B with its tag and length.
    int answerBytes = 3 + FddaData.CARD_AUTHENTICATION_DATA_BYTES + 2 + (signed.length >= 0x80 ? 2 : 1) + signed.length;
    AirTimeModel air = AirTimeModel.iso14443a106();
    double airMicros = 0;
    for (byte[] record : records) {
      airMicros += air.exchangeMicros(READ_RECORD_COMMAND_BYTES, record.length + SW_BYTES);
    }
    // The answer's extra bytes ride an exchange the tap makes anyway: only their own bit time counts.
    airMicros += answerBytes * air.bitsPerByte() * air.bitClocks() / air.carrierHz() * 1e6;
    boolean rsa = suite == AlgorithmSuite.INTERNATIONAL;
    return new Figures(suite, records.size(), toCard, fromCard, answerBytes, airMicros / 1000.0,
        rsa ? SecureElementTimings.RSA_1024_CRT_JCOP4_P71_MS : SecureElementTimings.ECDSA_P256_JCOP4_P71_MS,
        rsa ? "RSA-1024 CRT, NXP JCOP4 J3R180 (JCAlgTest)" : "ECDSA P-256 as SM2 stand-in, NXP JCOP4 J3R180 (JCAlgTest)",
        percentile(chainNanos, 50), percentile(chainNanos, 99), percentile(signatureNanos, 50), percentile(signatureNanos, 99));
  }

  /** The certificate data objects packed in order into 70 records of at most {@link #RECORD_BYTES_MAX} bytes. */
  static List<byte[]> records(CardOdaData card) {
    List<Tlv> objects = new ArrayList<>();
    objects.add(new Tlv.Primitive(Tag.of(0x8F), new byte[] {(byte) card.caIndex()}));
    addIfPresent(objects, 0x90, card.issuerCertificate());
    addIfPresent(objects, 0x92, card.issuerRemainder());
    addIfPresent(objects, 0x9F32, card.issuerExponent());
    addIfPresent(objects, 0x9F46, card.iccCertificate());
    addIfPresent(objects, 0x9F47, card.iccExponent());
    addIfPresent(objects, 0x9F48, card.iccRemainder());
    List<byte[]> records = new ArrayList<>();
    List<Tlv> current = new ArrayList<>();
    for (Tlv object : objects) {
      List<Tlv> candidate = new ArrayList<>(current);
      candidate.add(object);
      if (!current.isEmpty() && encodeRecord(candidate).length > RECORD_BYTES_MAX) {
        records.add(encodeRecord(current));
        candidate = new ArrayList<>(List.of(object));
      }
      current = candidate;
    }
    records.add(encodeRecord(current));
    return records;
  }

  private static byte[] encodeRecord(List<Tlv> objects) {
    return BerTlv.encode(List.of(new Tlv.Constructed(Tag.of(0x70), objects)));
  }

  private static void addIfPresent(List<Tlv> objects, int tag, byte[] value) {
    if (value != null && value.length > 0) {
      objects.add(new Tlv.Primitive(Tag.of(tag), value));
    }
  }

  private static void require(OdaResult result) {
    if (!result.ok()) {
      throw new IllegalStateException("bench card refused: " + result);
    }
  }

  private static long[] time(int warmup, int iterations, Runnable work) {
    for (int i = 0; i < warmup; i++) {
      work.run();
    }
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      work.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static long percentile(long[] sorted, int percent) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
  }

  static void print(Figures f) {
    System.out.printf(Locale.ROOT, "oda %s: %d READ RECORD (%d B to card, %d B from card) + %d B in the card's answer,"
            + " air %.2f ms; card signature %.2f ms (%s); host chain+signature p50 %.3f ms p99 %.3f ms,"
            + " signature alone p50 %.3f ms p99 %.3f ms; card + air %.2f ms%n",
        f.suite(), f.recordReads(), f.recordBytesToCard(), f.recordBytesFromCard(), f.answerBytes(), f.airMs(),
        f.cardSignatureMs(), f.cardFigureSource(), f.chainMedianNanos() / 1e6, f.chainP99Nanos() / 1e6,
        f.signatureMedianNanos() / 1e6, f.signatureP99Nanos() / 1e6, f.cardSignatureMs() + f.airMs());
  }
}
