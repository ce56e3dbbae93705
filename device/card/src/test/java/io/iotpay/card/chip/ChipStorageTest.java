package io.iotpay.card.chip;

import static io.iotpay.card.chip.ChipFixture.expectSw;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Identity, certificate and trust-anchor storage, and the personalisation lock. */
class ChipStorageTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void deviceIdAndState_areReadable(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.installed(suite);
    assertThat(new String(chip.getData(ChipApplet.TAG_DEVICE_ID), StandardCharsets.US_ASCII))
        .isEqualTo("washer-0001");
    byte suiteByte = suite == AlgorithmSuite.INTERNATIONAL ? ChipApplet.SUITE_INTERNATIONAL
        : ChipApplet.SUITE_NATIONAL;
    assertThat(chip.getData(ChipApplet.TAG_STATE))
        .containsExactly(suiteByte, ChipApplet.LIFE_PERSONALISING);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void objects_writtenInChunks_readBackWhole_andAreLockedAfterPersonalisation(
      AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.installed(suite);
    byte[] certificate = ChipFixture.pattern(ChipApplet.OBJECT_CAPACITY, 3);
    byte[] anchor = ChipFixture.pattern(450, 4);
    expectSw(chip.readObject(ChipApplet.OBJECT_CERTIFICATE, 0), 0x6A88);
    chip.writeObjectFully(ChipApplet.OBJECT_CERTIFICATE, certificate);
    chip.writeObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR, anchor);
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x9000);

    assertThat(chip.readObjectFully(ChipApplet.OBJECT_CERTIFICATE)).isEqualTo(certificate);
    assertThat(chip.readObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR)).isEqualTo(anchor);
    assertThat(chip.getData(ChipApplet.TAG_STATE)[1]).isEqualTo(ChipApplet.LIFE_LOCKED);
    // Locked: no append, no overwrite from offset 0, no second END PERSONALISATION.
    expectSw(chip.writeObject(ChipApplet.OBJECT_TRUST_ANCHOR, 450, new byte[] {1}), 0x6986);
    expectSw(chip.writeObject(ChipApplet.OBJECT_TRUST_ANCHOR, 0, new byte[] {1}), 0x6986);
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x6986);
    chip.tear();
    chip.select();
    expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, 0, new byte[] {1}), 0x6986);
    assertThat(chip.readObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR)).isEqualTo(anchor);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void writeObject_isAppendOnly_andBounded(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.installed(suite);
    byte[] part = ChipFixture.pattern(100, 1);
    expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, 0, part), 0x9000);
    // Rewriting what is there, or leaving a hole, is refused.
    expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, 0, part), 0x6A80);
    expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, 150, part), 0x6A80);
    for (int offset = 100; offset < 1000; offset += 100) {
      expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, offset, part), 0x9000);
    }
    expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, 1000, ChipFixture.pattern(25, 1)),
        0x6A84);
    expectSw(chip.writeObject(ChipApplet.OBJECT_CERTIFICATE, 1000, ChipFixture.pattern(24, 1)),
        0x9000);
    expectSw(chip.writeObject((byte) 3, 0, part), 0x6A86);
    expectSw(chip.send(0x80, 0xD6, 1, 0, new byte[] {0, 0}), 0x6700);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void endPersonalisation_withAnObjectMissing_isRefused(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.installed(suite);
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x6985);
    chip.writeObjectFully(ChipApplet.OBJECT_CERTIFICATE, ChipFixture.pattern(10, 1));
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x6985);
    chip.writeObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR, ChipFixture.pattern(10, 1));
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x9000);
  }

  @org.junit.jupiter.api.Test
  void install_withAnUnknownSuiteOrABadDeviceIdLength_fails() {
    javacard.framework.AID aid = new javacard.framework.AID(ChipFixture.AID_BYTES, (short) 0,
        (byte) ChipFixture.AID_BYTES.length);
    byte[] good = ChipFixture.installParameters(AlgorithmSuite.NATIONAL, new byte[] {'a'});
    byte[] unknownSuite = good.clone();
    unknownSuite[unknownSuite.length - 3] = 0x03;
    byte[] longerIdThanData = good.clone();
    longerIdThanData[longerIdThanData.length - 2] = 0x02;
    byte[] noId = ChipFixture.installParameters(AlgorithmSuite.NATIONAL, new byte[0]);
    // jCardSim reports any exception from an applet's install as a SystemException, so the
    // 6A80/6700 the constructor throws is not visible here; the good install data below, which
    // differs from each bad one in one field only, shows the refusal is that field's.
    for (byte[] install : new byte[][] {unknownSuite, longerIdThanData, noId}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> new com.licel.jcardsim.smartcardio.CardSimulator().installApplet(aid,
                  ChipApplet.class, install, (short) 0, (byte) install.length))
          .as(io.iotpay.foundation.codec.Hex.encode(install))
          .isInstanceOf(javacard.framework.SystemException.class);
    }
    new com.licel.jcardsim.smartcardio.CardSimulator().installApplet(aid, ChipApplet.class, good,
        (short) 0, (byte) good.length);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badInput_getsTheDocumentedStatusWord(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    expectSw(chip.send(0x00, 0xCA, 0, 1, null), 0x6E00);
    expectSw(chip.send(0x84, 0x2A, 0, 0, new byte[] {1}), 0x6E00);
    expectSw(chip.send(0x80, 0x10, 0, 0, null), 0x6D00);
    expectSw(chip.send(0x80, 0xCA, 0, 0x09, null), 0x6A88);
    expectSw(chip.send(0x80, 0xCA, 1, 0x01, null), 0x6A86);
    expectSw(chip.send(0x80, 0x4A, 0, 1, null), 0x6A86);
    expectSw(chip.send(0x80, 0x2A, 0, 0, null), 0x6700);
    expectSw(chip.send(0x80, 0x2A, 0, 0, new byte[ChipApplet.MESSAGE_MAX + 1]), 0x6700);
    expectSw(chip.readObject(ChipApplet.OBJECT_CERTIFICATE, 601), 0x6B00);
    expectSw(chip.readObject(ChipApplet.OBJECT_CERTIFICATE, 0x8000), 0x6B00);
    expectSw(chip.readObject((byte) 0, 0), 0x6A86);
    expectSw(chip.send(0x80, 0xB0, 1, 0, new byte[] {0}), 0x6700);
    expectSw(chip.send(0x80, 0x42, 0, 1, new byte[] {0}), 0x6A86);
    expectSw(chip.send(0x80, 0x86, 0, 0, new byte[] {4}), 0x6700);
    // An empty object at the end offset reads as its length alone.
    assertThat(expectSw(chip.readObject(ChipApplet.OBJECT_CERTIFICATE, 600), 0x9000).getData())
        .containsExactly(0x02, 0x58);
  }
}
