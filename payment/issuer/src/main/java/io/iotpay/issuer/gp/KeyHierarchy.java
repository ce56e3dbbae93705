package io.iotpay.issuer.gp;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PutKey;
import io.iotpay.foundation.crypto.Scp03;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of issue 17's key hierarchy, each under the secure channel of the domain that has the
 * authority: the issuer (ISD session) creates the wallet provider's SSD and gives it its first
 * keys; the provider (SSD session) rotates them, installs the wallet and personalises it.
 */
public final class KeyHierarchy {
  /** SSD role byte of the domain applet's install data. */
  private static final byte ROLE_SSD = 0x02;
  private static final int KDD_BYTES = 10;

  private final AlgorithmSuite suite;

  public KeyHierarchy(AlgorithmSuite suite) {
    this.suite = suite;
  }

  /** The suite byte the card's applets use: 01 INTERNATIONAL, 02 NATIONAL. */
  public byte suiteByte() {
    return (byte) (suite == AlgorithmSuite.NATIONAL ? 0x02 : 0x01);
  }

  /** ISD session: INSTALL [for install] of a security domain at {@code ssdAid}, using {@code protocol}. */
  public void createDomain(GpSession isd, byte[] ssdAid, PutKey.Protocol protocol, byte[] kdd) {
    if (kdd.length != KDD_BYTES) {
      throw new IllegalArgumentException("key diversification data must be 10 bytes");
    }
    ByteArrayOutputStream parameters = new ByteArrayOutputStream();
    parameters.write(ROLE_SSD);
    parameters.write(suiteByte());
    parameters.write(protocol == PutKey.Protocol.SCP02 ? 0x02 : 0x03);
    parameters.writeBytes(kdd);
    isd.send(GpCommands.installForInstall(GpCommands.DOMAIN_LOAD_FILE, GpCommands.DOMAIN_MODULE, ssdAid,
        GpCommands.PRIVILEGE_SECURITY_DOMAIN, parameters.toByteArray()), "INSTALL [for install] of the SSD");
  }

  /**
   * ISD session: INSTALL [for personalization] of the SSD, then PUT KEY of its first key set under
   * the ISD's key-encryption key.
   *
   * @return the KCVs the card computed (3 bytes each), in ENC, MAC, DEK order
   */
  public List<byte[]> giveDomainKeys(GpSession isd, byte[] ssdAid, int version, Scp03.StaticKeys ssdKeys) {
    isd.send(GpCommands.installForPersonalization(ssdAid), "INSTALL [for personalization] of the SSD");
    return putKey(isd, 0, version, ssdKeys);
  }

  /**
   * The open session's domain replaces its own key set {@code replacedVersion} with {@code newKeys}.
   *
   * @return the KCVs the card computed, in ENC, MAC, DEK order
   */
  public List<byte[]> rotateKeys(GpSession domain, int replacedVersion, int newVersion, Scp03.StaticKeys newKeys) {
    return putKey(domain, replacedVersion, newVersion, newKeys);
  }

  private List<byte[]> putKey(GpSession domain, int replacedVersion, int newVersion, Scp03.StaticKeys newKeys) {
    byte[] answer = domain.send(GpCommands.putKey(suite, domain.protocol(), domain.keyEncryptionKey(),
        replacedVersion, newVersion, newKeys), "PUT KEY");
    if (answer.length != 10 || (answer[0] & 0xFF) != newVersion) {
      throw new GpRefusedException("PUT KEY: answer is not new version || 3 KCVs", 0);
    }
    return List.of(Arrays.copyOfRange(answer, 1, 4), Arrays.copyOfRange(answer, 4, 7), Arrays.copyOfRange(answer, 7, 10));
  }

  /** SSD session: INSTALL [for install] of the wallet application with its install data. */
  public void installWallet(GpSession ssd, byte[] walletAid, byte[] walletInstallData) {
    ssd.send(GpCommands.installForInstall(GpCommands.WALLET_LOAD_FILE, walletAid, walletAid, 0x00, walletInstallData),
        "INSTALL [for install] of the wallet");
  }

  /** One STORE DATA value for an application: its tag and value. */
  public record StoreDataBlock(int tag, byte[] value) {}

  /**
   * SSD session: INSTALL [for personalization] of the application, then one STORE DATA per block,
   * the last flagged so that the application locks.
   */
  public void personalise(GpSession ssd, byte[] applicationAid, List<StoreDataBlock> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("personalisation needs at least one block");
    }
    ssd.send(GpCommands.installForPersonalization(applicationAid), "INSTALL [for personalization] of the application");
    for (int i = 0; i < blocks.size(); i++) {
      StoreDataBlock block = blocks.get(i);
      ssd.send(GpCommands.storeData(i == blocks.size() - 1, block.tag(), block.value()), "STORE DATA");
    }
  }
}
