package io.iotpay.issuer.gp;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.Scp03;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The GlobalPlatform commands of the key hierarchy, before secure messaging (docs/gp-hierarchy.md
 * §3): INSTALL [for install and make selectable], INSTALL [for personalization], PUT KEY and
 * STORE DATA. {@link Scp03Host#send} adds the C-MAC.
 */
public final class GpCommands {
  /** Load file of the security domain applet (GlobalPlatform's SSD package AID). */
  public static final byte[] DOMAIN_LOAD_FILE = hex("A0000001515350");
  /** Module of the security domain applet. */
  public static final byte[] DOMAIN_MODULE = hex("A000000151535041");
  /** Load file of the wallet (F0 + "IOTPAYW", proprietary). */
  public static final byte[] WALLET_LOAD_FILE = hex("F0494F5450415957");
  /** Privilege byte 1, bit 8: the new application is a security domain. */
  public static final int PRIVILEGE_SECURITY_DOMAIN = 0x80;
  /** Install parameter tag for application-specific parameters. */
  public static final int TAG_APPLICATION_PARAMETERS = 0xC9;
  private static final int P1_FOR_INSTALL_AND_SELECTABLE = 0x0C;
  private static final int P1_FOR_PERSONALIZATION = 0x20;

  private GpCommands() {}

  /**
   * {@code 80 E6 0C 00}: load file || module || application AID || privileges (1 byte) ||
   * install parameters {@code C9 len data} || no token.
   */
  public static CommandApdu installForInstall(byte[] loadFile, byte[] module, byte[] application, int privileges,
      byte[] parameters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, loadFile);
    field(out, module);
    field(out, application);
    field(out, new byte[] {(byte) privileges});
    ByteArrayOutputStream c9 = new ByteArrayOutputStream();
    c9.write(TAG_APPLICATION_PARAMETERS);
    field(c9, parameters);
    field(out, c9.toByteArray());
    out.write(0);
    return new CommandApdu(0x80, 0xE6, P1_FOR_INSTALL_AND_SELECTABLE, 0x00, out.toByteArray(), 0);
  }

  /** {@code 80 E6 20 00}: 00 || 00 || application AID || 00 || 00 || 00. */
  public static CommandApdu installForPersonalization(byte[] application) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(0);
    field(out, application);
    out.writeBytes(new byte[3]);
    return new CommandApdu(0x80, 0xE6, P1_FOR_PERSONALIZATION, 0x00, out.toByteArray(), 0);
  }

  /**
   * {@code 80 D8 replaced 81}: new version || ENC, MAC, DEK in the {@code protocol}'s key-block
   * layout under {@code dek} (SCP02: the session DEK; SCP03: the sending domain's static DEK);
   * answers new version || three KCVs.
   *
   * @param replacedVersion the key version replaced, 0 for a new domain's first keys
   */
  public static CommandApdu putKey(AlgorithmSuite suite, PutKey.Protocol protocol, SecretKeyBytes dek,
      int replacedVersion, int newVersion, Scp03.StaticKeys keys) {
    byte[] data = PutKey.dataField(suite, protocol, dek, newVersion, List.of(keys.enc(), keys.mac(),
        keys.dek()));
    return new CommandApdu(0x80, 0xD8, replacedVersion, 0x81, data, 256);
  }

  /** {@code 80 E2 P1 tag}: P1 {@code 80} on the last block, else {@code 00}; tag is the application's. */
  public static CommandApdu storeData(boolean last, int tag, byte[] value) {
    return new CommandApdu(0x80, 0xE2, last ? 0x80 : 0x00, tag, value, 0);
  }

  private static void field(ByteArrayOutputStream out, byte[] value) {
    if (value.length > 255) {
      throw new IllegalArgumentException("GP field longer than 255 bytes");
    }
    out.write(value.length);
    out.writeBytes(value);
  }

  static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }
}
