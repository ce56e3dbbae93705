package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Iso8583CodecTest {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();

  /** One message of every type; the 0800/101's key exchange is made under {@code suite}'s ciphers. */
  static List<Iso8583Message> everyType(AlgorithmSuite suite) {
    CardTransaction t = Samples.transaction(42, "TERM0001");
    CardTransaction noPin = new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), 43,
        t.localTime(), t.expiry(), t.posEntryMode(), null, t.acquirerId(), t.rrn(), t.terminalId(), t.merchantId(),
        null, null);
    AuthorisationRequest auth = new AuthorisationRequest(t);
    ReversalRequest reversal = new ReversalRequest(Mti.REVERSAL_REQUEST, noPin, ResponseCode.ISSUER_UNAVAILABLE,
        OriginalData.of(Mti.AUTHORISATION_REQUEST, t));
    ReversalRequest reversalAdvice =
        new ReversalRequest(Mti.REVERSAL_ADVICE, noPin, ResponseCode.ISSUER_UNAVAILABLE, reversal.original());
    NetworkManagementRequest keyChange = new NetworkManagementRequest(NetworkCode.KEY_CHANGE, Samples.AT, 7,
        "48020000", "ACQ00001", Samples.zoneKeys(suite).wrap(ZoneKeys.newZak()));
    NetworkManagementRequest echo =
        new NetworkManagementRequest(NetworkCode.ECHO, Samples.AT, 8, "48020000", "ACQ00001", null);
    // An 0220 completing the 0100 above: no chip data (the account path), field 90 names the 0100.
    AdviceRequest completion = AdviceRequest.completion(
        new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), t.stan() + 1, t.localTime(),
            t.expiry(), "010", null, t.acquirerId(), t.rrn(), t.terminalId(), t.merchantId(), null, null),
        "A1B2C3", OriginalData.of(Mti.AUTHORISATION_REQUEST, t));
    return List.of(
        auth,
        CardResponse.answering(auth, ResponseCode.APPROVED, "A1B2C3", Samples.ICC),
        new FinancialRequest(t),
        CardResponse.answering(new FinancialRequest(t), ResponseCode.INSUFFICIENT_FUNDS, null, null),
        new AdviceRequest(t, ResponseCode.APPROVED, "STIP01"),
        CardResponse.answering(new AdviceRequest(t, ResponseCode.APPROVED, null), ResponseCode.APPROVED, null, null),
        completion,
        CardResponse.answering(completion, ResponseCode.APPROVED, null, null),
        reversal,
        CardResponse.answering(reversal, ResponseCode.APPROVED, null, null),
        reversalAdvice,
        CardResponse.answering(reversalAdvice, ResponseCode.APPROVED, null, null),
        verification(),
        AccountVerificationResponse.answering(verification(), ResponseCode.APPROVED, "123456"),
        AccountVerificationResponse.answering(verification(), ResponseCode.CLOSED_ACCOUNT, null),
        keyChange,
        echo,
        NetworkManagementResponse.answering(echo, ResponseCode.APPROVED));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyMessageType_roundTripsThroughTheBytes(AlgorithmSuite suite) {
    List<Iso8583Message> messages = everyType(suite);
    assertThat(messages).extracting(Iso8583Message::mti).containsOnly(Mti.values());
    for (Iso8583Message message : messages) {
      byte[] bytes = WIRE.write(message);
      Iso8583Wire.Received received = WIRE.read(bytes);
      assertThat(received.message()).as(message.mti().code()).isEqualTo(message);
      assertThat(received.mac()).isNull();
      assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo(message.mti().code());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void walletPart0200_carriesTheCardSignedBytesInField62_andRoundTrips(AlgorithmSuite suite) {
    // The 51-byte signature input and a real signature of the suite: what the POS pushes.
    byte[] input = new byte[51];
    Arrays.fill(input, (byte) 0x21);
    var keys = suite.signature().generateKeyPair(new java.security.SecureRandom());
    byte[] signature = suite.signature().sign(keys.getPrivate(), input);
    byte[] part = new byte[input.length + signature.length];
    System.arraycopy(input, 0, part, 0, input.length);
    System.arraycopy(signature, 0, part, input.length, signature.length);
    assertThat(part.length).isLessThanOrEqualTo(Iso8583Limits.WALLET_PART_BYTES_MAX);
    FinancialRequest request = new FinancialRequest(Samples.transaction(44, "TERM0001"), new WalletPartData(part));

    FinancialRequest read = (FinancialRequest) WIRE.read(WIRE.write(request)).message();

    assertThat(read).isEqualTo(request);
    assertThat(read.isWalletPart()).isTrue();
    assertThat(read.walletPart().value()).isEqualTo(part);
    assertThat(((FinancialRequest) WIRE.read(WIRE.write(new FinancialRequest(request.transaction()))).message())
        .isWalletPart()).isFalse();
  }

  @Test
  void walletPartData_outsideItsBound_isRefusedTyped() {
    assertThatThrownBy(() -> new WalletPartData(new byte[0])).isInstanceOf(Iso8583Exception.class)
        .hasMessageContaining("field 62");
    assertThatThrownBy(() -> new WalletPartData(new byte[Iso8583Limits.WALLET_PART_BYTES_MAX + 1]))
        .isInstanceOf(Iso8583Exception.class).hasMessageContaining("field 62");
    assertThat(new WalletPartData(new byte[Iso8583Limits.WALLET_PART_BYTES_MAX]).value())
        .hasSize(Iso8583Limits.WALLET_PART_BYTES_MAX);
  }

  @Test
  void completionAdvice_namesItsOriginal_andAStandInAdviceDoesNot() {
    CardTransaction t = Samples.transaction(42, "TERM0001");
    CardTransaction noPin = new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), 43,
        t.localTime(), t.expiry(), "010", null, t.acquirerId(), t.rrn(), t.terminalId(), t.merchantId(), null, null);
    OriginalData original = OriginalData.of(Mti.AUTHORISATION_REQUEST, t);
    assertThatThrownBy(() -> new AdviceRequest(Mti.FINANCIAL_ADVICE, noPin, ResponseCode.APPROVED, null, null))
        .isInstanceOf(Iso8583Exception.class).hasMessageContaining("field 90");
    assertThatThrownBy(() -> new AdviceRequest(Mti.AUTHORISATION_ADVICE, noPin, ResponseCode.APPROVED, null, original))
        .isInstanceOf(Iso8583Exception.class).hasMessageContaining("field 90");
    assertThatThrownBy(() -> AdviceRequest.completion(t, null, original)).as("a PIN block in an 0220")
        .isInstanceOf(Iso8583Exception.class);
    assertThatThrownBy(() -> AdviceRequest.completion(noPin, null, OriginalData.of(Mti.FINANCIAL_REQUEST, t)))
        .as("an 0220 completes an 0100 only").isInstanceOf(Iso8583Exception.class);
    assertThatThrownBy(() -> new AdviceRequest(Mti.REVERSAL_ADVICE, noPin, ResponseCode.APPROVED, null, null))
        .isInstanceOf(Iso8583Exception.class);
    AdviceRequest completion = AdviceRequest.completion(noPin, null, original);
    byte[] bytes = WIRE.write(completion);
    assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("0220");
    assertThat(WIRE.read(bytes).message()).isEqualTo(completion);
    assertThat(CardResponse.answering(completion, ResponseCode.APPROVED, null, null).mti())
        .isEqualTo(Mti.FINANCIAL_ADVICE_RESPONSE);
  }

  /** The acquirer's penny test: an account verification of a settlement account at bank 10200000. */
  static AccountVerificationRequest verification() {
    return new AccountVerificationRequest(Samples.AT, 77, "48020000", "AV0000000077", "ACQPENNY", "10200000",
        "6222000011112222", CurrencyUnit.CNY);
  }

  @Test
  void accountVerification_isAZeroAmount0100_withTheAccountIn103_andTheBankIn100() {
    byte[] bytes = WIRE.write(verification());
    String text = new String(bytes, 20, bytes.length - 20, StandardCharsets.ISO_8859_1);
    // No field 2: field 3, a zero field 4, field 7, 11, 32, 37, 41, 49, then 100 and 103 (LLVAR).
    assertThat(bytes[4] & 0xFF).as("bits 1..8: 1, 3, 4, 7").isEqualTo(0xB2);
    assertThat(text).startsWith("000000" + "000000000000" + "1206235501" + "000077" + "0848020000" + "AV0000000077"
        + "ACQPENNY" + "156" + "0810200000" + "166222000011112222");
    assertThat(verification().toString()).contains("************2222").doesNotContain("6222000011112222");
    assertThat(AccountVerificationResponse.answering(verification(), ResponseCode.INVALID_CARD_NUMBER, null).toString())
        .contains("************2222").doesNotContain("6222000011112222");
    assertThat(verification().amount().amountMinor()).isZero();
    byte[] nonZero = bytes.clone();
    nonZero[20 + 6 + 11] = '1';
    assertThatThrownBy(() -> WIRE.read(nonZero)).isInstanceOfSatisfying(Iso8583Exception.class,
        e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.FIELD_INVALID));
    byte[] otherCode = bytes.clone();
    otherCode[20] = '2';
    assertThatThrownBy(() -> WIRE.read(otherCode)).isInstanceOf(Iso8583Exception.class);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void accountVerification_isMacedAsTheOtherMessages_andAForgedMacIsRefused(AlgorithmSuite suite) {
    ZoneKeys keys = Samples.zoneKeys(suite);
    for (Iso8583Message message : List.of(verification(),
        AccountVerificationResponse.answering(verification(), ResponseCode.APPROVED, "123456"))) {
      byte[] bytes = WIRE.write(message, suite, keys.current());
      assertThat(Iso8583Wire.verify(WIRE.read(bytes), suite, keys.acceptable(0))).isEqualTo(keys.current());
      byte[] forged = bytes.clone();
      forged[forged.length - 1] = (byte) (forged[forged.length - 1] == '0' ? '1' : '0');
      assertThatThrownBy(() -> Iso8583Wire.verify(WIRE.read(forged), suite, keys.acceptable(0)))
          .isInstanceOfSatisfying(Iso8583Exception.class,
              e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.MAC_INVALID));
    }
  }

  @Test
  void accountVerification_withAMalformedAccountOrBank_isRefusedWhenBuilt_namingTheFieldNotTheValue() {
    for (String bad : List.of("62220", "6222-0000-1111", "6222abcd1111", "1".repeat(35))) {
      assertThatThrownBy(() -> new AccountVerificationRequest(Samples.AT, 1, "48020000", "AV0000000001", "ACQPENNY",
          "10200000", bad, CurrencyUnit.CNY)).isInstanceOfSatisfying(Iso8583Exception.class, e -> {
            assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.FIELD_INVALID);
            assertThat(e.getMessage()).contains("field 103").doesNotContain(bad);
          });
    }
    assertThatThrownBy(() -> new AccountVerificationRequest(Samples.AT, 1, "48020000", "AV0000000001", "ACQPENNY",
        "BANK", "6222000011112222", CurrencyUnit.CNY)).isInstanceOf(Iso8583Exception.class)
        .hasMessageContaining("field 100");
  }

  @Test
  void authorisationRequest_hasTheDocumentedLayout() {
    byte[] bytes = WIRE.write(Samples.authorisation(42));
    // MTI, then 16 binary bitmap bytes with bit 1 (secondary present), 2, 3, 4, 7 set: 0xF2.
    assertThat(bytes[4] & 0xFF).isEqualTo(0xF2);
    String text = new String(bytes, 20, bytes.length - 20, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("16" + Samples.PAN.digits() + "000000" + "000000012345" + "1206235501" + "000042");
    // Field 55 as LLLBIN in ASCII: the length counts hex characters.
    assertThat(text).contains("046" + "9F2608A1B2C3D4E5F607189F3602002A95050000000000");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mac_verifiesUnderItsKey_andFailsAfterAnyOneBitChange(AlgorithmSuite suite) {
    ZoneKeys keys = Samples.zoneKeys(suite);
    byte[] bytes = WIRE.write(Samples.authorisation(42), suite, keys.current());
    Iso8583Wire.Received received = WIRE.read(bytes);
    assertThat(Iso8583Wire.verify(received, suite, keys.acceptable(0))).isEqualTo(keys.current());
    for (int bit = 0; bit < (bytes.length - 16) * 8; bit += 7) {
      byte[] flipped = bytes.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      try {
        Iso8583Wire.Received tampered = WIRE.read(flipped);
        assertThatThrownBy(() -> Iso8583Wire.verify(tampered, suite, keys.acceptable(0)))
            .isInstanceOfSatisfying(Iso8583Exception.class,
                e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.MAC_INVALID));
      } catch (Iso8583Exception e) {
        assertThat(e.reason()).isNotIn(Iso8583Exception.Reason.MAC_INVALID, Iso8583Exception.Reason.MAC_MISSING);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mac_underAnotherKey_isRefused_andAMissingMacToo(AlgorithmSuite suite) {
    ZoneKeys keys = Samples.zoneKeys(suite);
    byte[] bytes = WIRE.write(Samples.authorisation(42), suite, new ZoneKeys.Generation(9, ZoneKeys.newZak()));
    assertThatThrownBy(() -> Iso8583Wire.verify(WIRE.read(bytes), suite, keys.acceptable(0)))
        .isInstanceOfSatisfying(Iso8583Exception.class, e -> {
          assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.MAC_INVALID);
          assertThat(e.responseCode()).isEqualTo(ResponseCode.MAC_FAILURE);
        });
    byte[] plain = WIRE.write(Samples.authorisation(42));
    assertThatThrownBy(() -> Iso8583Wire.verify(WIRE.read(plain), suite, keys.acceptable(0)))
        .isInstanceOfSatisfying(Iso8583Exception.class,
            e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.MAC_MISSING));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mac_isTheSuiteAlgorithmOverTheBytesBeforeField128(AlgorithmSuite suite) {
    ZoneKeys keys = Samples.zoneKeys(suite);
    byte[] bytes = WIRE.write(Samples.authorisation(42), suite, keys.current());
    byte[] input = Arrays.copyOf(bytes, bytes.length - 16);
    byte[] expected = switch (suite) {
      case INTERNATIONAL -> io.iotpay.foundation.crypto.MacAlgorithm.ISO9797_1_M3.mac(keys.current().zak(), input,
          io.iotpay.foundation.crypto.MacPadding.METHOD_2);
      case NATIONAL -> Arrays.copyOf(
          io.iotpay.foundation.crypto.MacAlgorithm.pbocSm4Block(keys.current().zak(), null, input), 8);
    };
    assertThat(new String(bytes, bytes.length - 16, 16, StandardCharsets.US_ASCII))
        .isEqualTo(io.iotpay.foundation.codec.Hex.encode(expected).toUpperCase(java.util.Locale.ROOT));
  }

  @Test
  void trailingBytes_lowerCaseHex_andAMissingSecondaryBitmap_areMalformed() {
    byte[] bytes = WIRE.write(Samples.authorisation(42));
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    trailing[bytes.length] = '0';
    assertMalformed(trailing);
    byte[] lower = bytes.clone();
    int at = new String(lower, StandardCharsets.ISO_8859_1).indexOf("9F2608A1");
    lower[at + 1] = 'f';
    assertMalformed(lower);
    byte[] noSecondary = bytes.clone();
    noSecondary[4] &= 0x7F;
    assertThatThrownBy(() -> WIRE.read(noSecondary)).isInstanceOf(Iso8583Exception.class);
  }

  @Test
  void unknownMti_andOversizedMessage_areRefusedTyped() {
    byte[] bytes = WIRE.write(Samples.authorisation(42));
    bytes[1] = '5'; // 0500 is not one of ours
    assertThatThrownBy(() -> WIRE.read(bytes)).isInstanceOfSatisfying(Iso8583Exception.class,
        e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.UNKNOWN_MTI));
    byte[] huge = new byte[Iso8583Limits.MESSAGE_BYTES_MAX + 1];
    System.arraycopy("0100".getBytes(StandardCharsets.US_ASCII), 0, huge, 0, 4);
    assertThatThrownBy(() -> WIRE.read(huge)).isInstanceOfSatisfying(Iso8583Exception.class,
        e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.TOO_LONG));
  }

  @Test
  void field55_overItsBound_orNotTlv_isRefusedAtConstruction() {
    assertThatThrownBy(() -> new IccData(new byte[Iso8583Limits.ICC_DATA_BYTES_MAX + 1]))
        .isInstanceOfSatisfying(Iso8583Exception.class,
            e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.FIELD_INVALID));
    assertThatThrownBy(() -> new IccData(new byte[] {(byte) 0x9F, 0x26, 0x08, 1}))
        .isInstanceOf(Iso8583Exception.class);
  }

  @Test
  void toString_masksThePan_andHidesPinAndChipData() {
    String text = Samples.authorisation(42).toString();
    assertThat(text).doesNotContain(Samples.PAN.digits()).contains(Samples.PAN.masked())
        .doesNotContain("0123456789ABCDEF").doesNotContain("A1B2C3D4");
  }

  @Test
  void invalidFields_areRefusedWhenBuilt() {
    assertThatThrownBy(() -> Samples.transaction(0, "TERM0001")).isInstanceOf(Iso8583Exception.class);
    assertThatThrownBy(() -> Samples.transaction(1, "TERM01")).isInstanceOf(Iso8583Exception.class);
    CardTransaction t = Samples.transaction(1, "TERM0001");
    assertThatThrownBy(() -> new CardTransaction(t.pan(), t.processingCode(),
        Money.ofMinor(1_000_000_000_000L, CurrencyUnit.CNY), t.transmittedAt(), 1, t.localTime(), t.expiry(),
        t.posEntryMode(), null, t.acquirerId(), t.rrn(), t.terminalId(), t.merchantId(), null, null))
        .isInstanceOfSatisfying(Iso8583Exception.class,
            e -> assertThat(e.detail()).contains("field 4"));
  }

  private static void assertMalformed(byte[] bytes) {
    assertThatThrownBy(() -> WIRE.read(bytes)).isInstanceOfSatisfying(Iso8583Exception.class,
        e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.MALFORMED));
  }
}
