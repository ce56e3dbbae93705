package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The software custody: every key in one file, {@value #FILE_NAME}, sealed under a master key with
 * AES-256-GCM (store suite INTERNATIONAL, 32-byte master key) or SM4-GCM (NATIONAL, 16 bytes); see
 * {@link SealedKeyFile} for the format. The file is rewritten (temp file, then an atomic rename)
 * after every change, so keys survive a restart; it opens only under the right master key. The
 * directory must be owner-only (0700) and the file 0600, else the store refuses to open.
 */
public final class SoftwareKeyCustody extends CustodyCore implements KeyCeremony {
  public static final String FILE_NAME = "keys.sealed";
  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Path directory;
  private final AlgorithmSuite storeSuite;
  private final byte[] masterKey;
  private final SecureRandom random;

  private SoftwareKeyCustody(Path directory, AlgorithmSuite storeSuite, byte[] masterKey, int cardKeysMax,
      TacFormula tacFormula, SecureRandom random) {
    super(cardKeysMax, tacFormula);
    this.directory = directory;
    this.storeSuite = storeSuite;
    this.masterKey = masterKey;
    this.random = random;
  }

  /** {@link #open(Path, AlgorithmSuite, SecretKeyBytes, int, TacFormula)} with no TAC formula. */
  public static SoftwareKeyCustody open(Path directory, AlgorithmSuite storeSuite, SecretKeyBytes masterKey) {
    return open(directory, storeSuite, masterKey, CardKeyCache.ENTRIES_MAX_DEFAULT, TacFormula.NONE);
  }

  /**
   * Opens (or creates, when the directory has no store yet) the custody in {@code directory}.
   *
   * @param storeSuite the file's AEAD: AES-256-GCM or SM4-GCM
   * @param masterKey 32 bytes (INTERNATIONAL) or 16 bytes (NATIONAL)
   * @param cardKeysMax bound of the derived card key cache (0: derive per use)
   * @throws KeyCustodyException BAD_PERMISSIONS, WRONG_MASTER_KEY, TAMPERED or IO; nothing is loaded
   *     then
   */
  public static SoftwareKeyCustody open(Path directory, AlgorithmSuite storeSuite, SecretKeyBytes masterKey,
      int cardKeysMax, TacFormula tacFormula) {
    if (masterKey == null || masterKey.lengthBytes() != SealedKeyFile.masterKeyBytes(storeSuite)) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "master key: " + storeSuite + " stores take "
          + SealedKeyFile.masterKeyBytes(storeSuite) + " bytes");
    }
    if (cardKeysMax < 0) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "card key cache bound is negative");
    }
    prepareDirectory(directory);
    SoftwareKeyCustody custody = new SoftwareKeyCustody(
        directory, storeSuite, masterKey.value(), cardKeysMax, tacFormula, new SecureRandom());
    Path file = directory.resolve(FILE_NAME);
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        custody.load(readOwnerOnly(file));
      }
    } catch (RuntimeException e) {
      custody.close(); // wipes the master key copy; nothing was loaded
      throw e;
    }
    return custody;
  }

  static void prepareDirectory(Path directory) {
    try {
      if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
      }
      checkOwnerOnly(directory, "directory");
    } catch (UnsupportedOperationException e) {
      throw new KeyCustodyException(Reason.BAD_PERMISSIONS, "the key store needs a POSIX file system", e);
    } catch (IOException e) {
      throw new KeyCustodyException(Reason.IO, "key store directory: " + e.getMessage(), e);
    }
  }

  private static void checkOwnerOnly(Path path, String what) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    mode.retainAll(OTHERS);
    if (!mode.isEmpty()) {
      throw new KeyCustodyException(Reason.BAD_PERMISSIONS, "key store " + what + " " + path.getFileName()
          + " is open to group or others " + PosixFilePermissions.toString(
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)) + " (expected owner only)");
    }
  }

  static byte[] readOwnerOnly(Path file) {
    try {
      checkOwnerOnly(file, "file");
      if (Files.size(file) > SealedKeyFile.FILE_BYTES_MAX) {
        throw new KeyCustodyException(Reason.TAMPERED, "key store file is larger than " + SealedKeyFile.FILE_BYTES_MAX);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeyCustodyException(Reason.IO, "key store file: " + e.getMessage(), e);
    }
  }

  /** Decodes everything first; only a fully valid store reaches the registry. */
  private void load(byte[] file) {
    List<SealedKeyFile.Entry> entries = SealedKeyFile.open(storeSuite, masterKey, file);
    TreeMap<String, TreeMap<Integer, Slot>> loaded = new TreeMap<>();
    try {
      for (SealedKeyFile.Entry e : entries) {
        KeyMaterial material = materialOf(e);
        Slot slot = new Slot(e.ref(), Instant.ofEpochMilli(e.createdMs()), material, e.retired());
        if (loaded.computeIfAbsent(e.ref().label(), any -> new TreeMap<>()).put(e.ref().version(), slot) != null) {
          throw new KeyCustodyException(Reason.TAMPERED, "key store file holds " + e.ref() + " twice");
        }
      }
    } catch (KeyCustodyException e) {
      destroyAll(loaded);
      throw e;
    } catch (CryptoException | IllegalArgumentException e) {
      destroyAll(loaded);
      throw new KeyCustodyException(Reason.TAMPERED, "key store file holds a malformed key", e);
    } finally {
      for (SealedKeyFile.Entry e : entries) {
        Arrays.fill(e.secret(), (byte) 0);
      }
    }
    labels.putAll(loaded);
  }

  private static void destroyAll(TreeMap<String, TreeMap<Integer, Slot>> loaded) {
    loaded.values().forEach(versions -> versions.values().forEach(slot -> slot.material.destroy()));
  }

  private static KeyMaterial materialOf(SealedKeyFile.Entry e) {
    KeyRef ref = e.ref();
    return switch (ref.usage().kind()) {
      case KEY_PAIR -> SoftwareMaterial.keyPair(ref.suite(), new KeyPair(
          ref.suite().signature().publicKeyFromDer(e.publicKey()),
          ref.suite().signature().privateKeyFromDer(e.secret())));
      case TDES_OR_SM4, AES_OR_SM4 ->
          SoftwareMaterial.secret(ref.suite(), ref.usage().cipher(ref.suite()), e.secret().clone());
    };
  }

  @Override
  KeyMaterial createMaterial(KeyRef ref, byte[] clear) {
    return switch (ref.usage().kind()) {
      case KEY_PAIR -> {
        if (clear != null) {
          throw new KeyCustodyException(Reason.UNSUPPORTED, "signing keys are generated inside the custody");
        }
        yield SoftwareMaterial.keyPair(ref.suite(), ref.suite().signature().generateKeyPair(random));
      }
      case TDES_OR_SM4, AES_OR_SM4 -> {
        byte[] secret = clear == null ? randomKey() : clear.clone();
        try {
          yield SoftwareMaterial.secret(ref.suite(), ref.usage().cipher(ref.suite()), secret);
        } catch (CryptoException e) {
          Arrays.fill(secret, (byte) 0);
          throw new KeyCustodyException(Reason.BAD_INPUT, "key does not fit " + ref + ": " + e.getMessage());
        }
      }
    };
  }

  private byte[] randomKey() {
    byte[] key = new byte[KeyUsage.SECRET_KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  @Override
  public KeyRef importClear(String label, AlgorithmSuite suite, KeyUsage usage, SecretKeyBytes key) {
    return writing(() -> {
      TreeMap<Integer, Slot> versions = labels.get(label);
      KeyRef ref = versions == null || versions.isEmpty() ? new KeyRef(label, 1, suite, usage)
          : versions.lastEntry().getValue().ref.next();
      if (ref.suite() != suite || ref.usage() != usage) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "label " + label + " holds " + ref.suite() + " " + ref.usage() + " keys");
      }
      byte[] clear = key.value();
      try {
        return add(ref, clear);
      } finally {
        Arrays.fill(clear, (byte) 0);
      }
    });
  }

  @Override
  byte[] wrapMaterial(Slot kek, Slot key) {
    byte[] clear = ((SoftwareMaterial) key.material).secretForSealing();
    try {
      return wrapClear(kek, clear);
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  @Override
  void persist() {
    List<SealedKeyFile.Entry> entries = new ArrayList<>();
    for (TreeMap<Integer, Slot> versions : labels.values()) {
      for (Slot slot : versions.values()) {
        SoftwareMaterial material = (SoftwareMaterial) slot.material;
        byte[] publicKey = material.isKeyPair() ? material.publicKey().getEncoded() : new byte[0];
        entries.add(new SealedKeyFile.Entry(
            slot.ref, slot.retired, slot.created.toEpochMilli(), material.secretForSealing(), publicKey));
      }
    }
    byte[] sealed;
    try {
      sealed = SealedKeyFile.seal(storeSuite, masterKey, entries, random);
    } finally {
      entries.forEach(e -> Arrays.fill(e.secret(), (byte) 0));
    }
    writeAtomically(sealed);
  }

  private void writeAtomically(byte[] sealed) {
    writeAtomically(directory, FILE_NAME, sealed);
  }

  /** Writes {@code sealed} to {@code directory/name}: an owner-only temp file, synced, renamed over it. */
  static void writeAtomically(Path directory, String name, byte[] sealed) {
    String tempName = name + ".tmp";
    Path temp = directory.resolve(tempName);
    try {
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE_MODE));
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
        out.write(sealed);
      }
      Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new KeyCustodyException(Reason.IO, "another writer holds " + tempName, e);
    } catch (IOException e) {
      throw new KeyCustodyException(Reason.IO, "key store file could not be written: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    writing(() -> {
      super.close();
      Arrays.fill(masterKey, (byte) 0);
      return null;
    });
  }

  @Override
  public String toString() {
    return "SoftwareKeyCustody[" + directory.getFileName() + ", " + storeSuite + "]";
  }
}
