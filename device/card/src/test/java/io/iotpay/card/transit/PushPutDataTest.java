package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issuer-initiated Push PUT DATA inside SCP02: restore, replay, forgery, whitelist. */
class PushPutDataTest {

  private static final byte[] QUOTA_TLV = Hex.decode("9F7906000000005000");

  private static TestTerminal spend(CardFixture card) {
    TestTerminal gate = new TestTerminal(card);
    gate.tap(TestTerminal.ENTRY, "000000000800", 1);
    gate.tap(TestTerminal.EXIT, "000000000800", 2);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000004200");
    return gate;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_withFreshAtcAndGoodMac_restoresTheQuota(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = spend(card);
    HostSession session = card.openSecureChannel();
    assertThat(session.push(1, QUOTA_TLV, 8).getSW()).isEqualTo(0x9000);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000005000");
    HostSession next = card.openSecureChannel();
    assertThat(next.push(2, Hex.decode("DF6206000000001000"), 4).getSW()).isEqualTo(0x9000);
    assertThat(gate.amount(0xDF62)).isEqualTo("000000001000");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_whenPushAtcNotGreater_returns6982(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = spend(card);
    assertThat(card.openSecureChannel().push(5, QUOTA_TLV, 8).getSW()).isEqualTo(0x9000);
    gate.tap(TestTerminal.ENTRY, "000000000800", 1);
    gate.tap(TestTerminal.EXIT, "000000000800", 2);
    // A relay replays the same script, then an older one: both refused, quota stays spent.
    assertThat(card.openSecureChannel().push(5, QUOTA_TLV, 8).getSW()).isEqualTo(0x6982);
    assertThat(card.openSecureChannel().push(4, QUOTA_TLV, 8).getSW()).isEqualTo(0x6982);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000004200");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_replayOfTheExactRecordedApdus_failsTheSecureChannel(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    HostSession session = card.openSecureChannel();
    byte[] pushData = HostCrypto.concat(Hex.decode("0001"), QUOTA_TLV);
    CommandAPDU recorded = session.wrap(0x04, 0xDA, 0, 0,
        HostCrypto.concat(pushData, HostSession.pushMac(card, 1, pushData, 8)));
    assertThat(card.send(recorded).getSW()).isEqualTo(0x9000);
    card.openSecureChannel();
    assertThat(card.send(recorded).getSW()).as("C-MAC of another session").isEqualTo(0x6988);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_withWrongMac_returns6988AndKeepsTheQuota(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = spend(card);
    HostSession session = card.openSecureChannel();
    byte[] pushData = HostCrypto.concat(Hex.decode("0001"), QUOTA_TLV);
    byte[] mac = HostSession.pushMac(card, 1, pushData, 8);
    mac[7] ^= 0x01;
    ResponseAPDU forged = card.send(session.wrap(0x04, 0xDA, 0, 0,
        HostCrypto.concat(pushData, mac)));
    assertThat(forged.getSW()).isEqualTo(0x6988);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000004200");
    // A forgery does not burn the Push ATC: the genuine script still works.
    assertThat(card.openSecureChannel().push(1, QUOTA_TLV, 8).getSW()).isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_macFromAnotherPushAtcsKey_returns6988(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    HostSession session = card.openSecureChannel();
    byte[] pushData = HostCrypto.concat(Hex.decode("0002"), QUOTA_TLV);
    byte[] macUnderAtc1 = HostSession.pushMac(card, 1, pushData, 8);
    assertThat(card.send(session.wrap(0x04, 0xDA, 0, 0,
        HostCrypto.concat(pushData, macUnderAtc1))).getSW()).isEqualTo(0x6988);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_tagOffTheWhitelist_returns6A81(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    assertThat(card.openSecureChannel().push(1, Hex.decode("DF6306000000000000"), 8).getSW())
        .isEqualTo(0x6A81);
    assertThat(card.openSecureChannel().push(2, Hex.decode("9F3602FFFF"), 8).getSW())
        .isEqualTo(0x6A81);
    assertThat(gate.atc()).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_withoutSecureChannel_returns6982(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    card.select();
    byte[] pushData = HostCrypto.concat(Hex.decode("0001"), QUOTA_TLV);
    byte[] data = HostCrypto.concat(pushData, HostSession.pushMac(card, 1, pushData, 8),
        new byte[8]);
    assertThat(card.send(new CommandAPDU(0x04, 0xDA, 0, 0, data)).getSW()).isEqualTo(0x6982);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_malformed_isRefusedWithItsStatusWord(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    HostSession session = card.openSecureChannel();
    byte[] shortMac = HostCrypto.concat(Hex.decode("0001"), QUOTA_TLV, new byte[3]);
    assertThat(card.send(session.wrap(0x04, 0xDA, 0, 0, shortMac)).getSW()).isEqualTo(0x6987);
    session = card.openSecureChannel();
    byte[] tlvOverrun = HostCrypto.concat(Hex.decode("00019F7920000000005000"), new byte[8]);
    assertThat(card.send(session.wrap(0x04, 0xDA, 0, 0, tlvOverrun)).getSW()).isEqualTo(0x6A85);
    session = card.openSecureChannel();
    byte[] longMac = HostCrypto.concat(Hex.decode("0001"), QUOTA_TLV, new byte[9]);
    assertThat(card.send(session.wrap(0x04, 0xDA, 0, 0, longMac)).getSW()).isEqualTo(0x6A85);
    session = card.openSecureChannel();
    assertThat(session.push(1, Hex.decode("9F79060000000050AA"), 8).getSW()).isEqualTo(0x6A80);
    session = card.openSecureChannel();
    assertThat(card.send(session.wrap(0x04, 0xDA, 0x9F, 0x79, new byte[16])).getSW())
        .isEqualTo(0x6A86);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void push_pushAtcIsComparedUnsigned(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    assertThat(card.openSecureChannel().push(0x7FFF, QUOTA_TLV, 8).getSW()).isEqualTo(0x9000);
    assertThat(card.openSecureChannel().push(0x8000, QUOTA_TLV, 8).getSW()).isEqualTo(0x9000);
    assertThat(card.openSecureChannel().push(0x7FFF, QUOTA_TLV, 8).getSW()).isEqualTo(0x6982);
    assertThat(card.openSecureChannel().push(0xFFFF, QUOTA_TLV, 8).getSW()).isEqualTo(0x9000);
    assertThat(card.openSecureChannel().push(0x0001, QUOTA_TLV, 8).getSW()).isEqualTo(0x6982);
  }
}
