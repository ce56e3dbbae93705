package io.iotpay.terminal.gate;

import io.iotpay.foundation.codec.CommandApdu;

/** The command APDUs the gate sends, as documented in docs/gate.md §2 and docs/card-apdus.md §4. */
final class GateApdus {
  static final int NE_ANY = 256;
  static final int P1_TC = 0x40;
  static final int CID_TC = 0x40;
  /** The extended-application id READ CAPP DATA names ("TR"). */
  private static final byte[] TRANSIT_APP_ID = {0x54, 0x52};

  private GateApdus() {}

  static CommandApdu select(byte[] aid) {
    return new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, NE_ANY);
  }

  /** READ CAPP DATA record 1 of SFI 17 (P2 = 17 ‖ 100 = BC). */
  static CommandApdu readCappData() {
    return new CommandApdu(0x80, 0xB4, 0x01, 0xBC, TRANSIT_APP_ID, NE_ANY);
  }

  static CommandApdu gpo(byte[] pdolData) {
    byte[] data = new byte[2 + pdolData.length];
    data[0] = (byte) 0x83;
    data[1] = (byte) pdolData.length;
    System.arraycopy(pdolData, 0, data, 2, pdolData.length);
    return new CommandApdu(0x80, 0xA8, 0x00, 0x00, data, NE_ANY);
  }

  /** READ RECORD SFI 1 record 1 (P2 = 1 ‖ 100 = 0C): the PAN sequence number. */
  static CommandApdu readApplicationRecord() {
    return new CommandApdu(0x00, 0xB2, 0x01, 0x0C, new byte[0], NE_ANY);
  }

  static CommandApdu getTransProve(int atc) {
    return new CommandApdu(0x80, 0x5A, 0x00, 0x00, new byte[] {(byte) (atc >>> 8), (byte) atc}, NE_ANY);
  }

  static CommandApdu updateCappDataCache(byte[] record) {
    return new CommandApdu(0x80, 0xDE, 0x01, 0xBC, record, 0);
  }

  static CommandApdu generateAcTc(byte[] cdol1) {
    return new CommandApdu(0x80, 0xAE, P1_TC, 0x00, cdol1, NE_ANY);
  }
}
