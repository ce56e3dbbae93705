package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named secrets a process needs in clear at run time (a link's zone keys for the ISO 8583 MAC, a
 * store's sealing keys, an HMAC look-up key), kept at rest sealed under the same master key and in
 * the same format as {@link SoftwareKeyCustody}'s file ({@link SealedKeyFile}, AES-256-GCM or
 * SM4-GCM, docs/key-custody.md), in {@code <dir>/}{@value #FILE_NAME}. Each secret is one record:
 * the label is the secret's name, version 1, the store suite, usage {@link KeyUsage#ZONE_MASTER}
 * (the usage byte is not used for these records), the secret as the material. Unlike the custody,
 * {@link #read} returns the secrets: this is for keys whose users take clear keys, so that nothing
 * on disk is a clear key.
 */
public final class SealedSecrets {
  public static final String FILE_NAME = "secrets.sealed";
  /** Most bytes one secret may have. */
  public static final int SECRET_BYTES_MAX = SealedKeyFile.MATERIAL_BYTES_MAX;

  private SealedSecrets() {}

  /**
   * Seals {@code secrets} (name → bytes) into {@code directory/}{@value #FILE_NAME}, replacing what
   * was there (an owner-only temp file renamed over it). The directory is made owner-only when missing.
   *
   * @throws KeyCustodyException BAD_INPUT for a bad name, an empty or oversized secret, or a master
   *     key of the wrong length; BAD_PERMISSIONS or IO from the file system
   */
  public static void write(Path directory, AlgorithmSuite storeSuite, SecretKeyBytes masterKey, Map<String, byte[]> secrets,
      SecureRandom random) {
    byte[] master = master(storeSuite, masterKey);
    if (secrets.size() > CustodyCore.KEYS_MAX) {
      throw new KeyCustodyException(KeyCustodyException.Reason.LIMIT, "more than " + CustodyCore.KEYS_MAX + " secrets");
    }
    List<SealedKeyFile.Entry> entries = new ArrayList<>();
    try {
      for (Map.Entry<String, byte[]> s : secrets.entrySet()) {
        byte[] value = s.getValue();
        if (value == null || value.length == 0 || value.length > SECRET_BYTES_MAX) {
          throw new KeyCustodyException(KeyCustodyException.Reason.BAD_INPUT, "secret " + s.getKey() + ": 1.."
              + SECRET_BYTES_MAX + " bytes expected");
        }
        entries.add(new SealedKeyFile.Entry(new KeyRef(s.getKey(), 1, storeSuite, KeyUsage.ZONE_MASTER), false, 0,
            value.clone(), new byte[0]));
      }
      SoftwareKeyCustody.prepareDirectory(directory);
      SoftwareKeyCustody.writeAtomically(directory, FILE_NAME, SealedKeyFile.seal(storeSuite, master, entries, random));
    } finally {
      entries.forEach(e -> Arrays.fill(e.secret(), (byte) 0));
      Arrays.fill(master, (byte) 0);
    }
  }

  /** True when {@code directory} holds a sealed secrets file. */
  public static boolean exists(Path directory) {
    return Files.isRegularFile(directory.resolve(FILE_NAME), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Opens {@code directory/}{@value #FILE_NAME}: the whole file is authenticated and decoded first.
   *
   * @return name → secret, in file order; the caller's to zeroise
   * @throws KeyCustodyException BAD_PERMISSIONS for a file or directory open to others,
   *     WRONG_MASTER_KEY, TAMPERED, IO (also when the file is missing)
   */
  public static Map<String, byte[]> read(Path directory, AlgorithmSuite storeSuite, SecretKeyBytes masterKey) {
    byte[] master = master(storeSuite, masterKey);
    try {
      SoftwareKeyCustody.prepareDirectory(directory);
      List<SealedKeyFile.Entry> entries = SealedKeyFile.open(storeSuite, master,
          SoftwareKeyCustody.readOwnerOnly(directory.resolve(FILE_NAME)));
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (SealedKeyFile.Entry e : entries) {
        if (out.put(e.ref().label(), e.secret()) != null) {
          out.values().forEach(v -> Arrays.fill(v, (byte) 0));
          throw new KeyCustodyException(KeyCustodyException.Reason.TAMPERED, "sealed secrets hold " + e.ref().label() + " twice");
        }
      }
      return out;
    } finally {
      Arrays.fill(master, (byte) 0);
    }
  }

  private static byte[] master(AlgorithmSuite storeSuite, SecretKeyBytes masterKey) {
    if (masterKey == null || masterKey.lengthBytes() != SealedKeyFile.masterKeyBytes(storeSuite)) {
      throw new KeyCustodyException(KeyCustodyException.Reason.BAD_INPUT, "master key: " + storeSuite + " stores take "
          + SealedKeyFile.masterKeyBytes(storeSuite) + " bytes");
    }
    return masterKey.value();
  }
}
