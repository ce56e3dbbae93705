package io.iotpay.protocol.party;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files of a party's data directory: owner-only directories and files (written atomically), and
 * the master key that seals the party's key store (docs/parties.md).
 */
public final class PartyFiles {
  /** Environment variable holding the master key in hex; else the data directory's {@link #MASTER_KEY_FILE}. */
  public static final String MASTER_KEY_ENV = "IOTPAY_PARTY_MASTER_KEY";
  public static final String MASTER_KEY_FILE = "master.key";
  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PartyFiles() {}

  /** Creates {@code dir} (and parents) owner-only when missing; refuses an existing one open to others. */
  public static Path ownerOnlyDirectory(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
      }
      checkOwnerOnly(dir);
      return dir;
    } catch (IOException e) {
      throw new PartyConfigException(dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code text} to {@code file} owner-only, atomically (a temp file renamed over it). */
  public static void writeOwnerOnly(Path file, String text) {
    writeOwnerOnly(file, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeOwnerOnly(Path file, byte[] bytes) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE_MODE));
      Files.write(temp, bytes);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new PartyConfigException(file + ": " + e.getMessage(), e);
    }
  }

  /** @throws PartyConfigException when {@code path} is open to group or others */
  public static void checkOwnerOnly(Path path) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    mode.retainAll(OTHERS);
    if (!mode.isEmpty()) {
      throw new PartyConfigException(path + " is open to group or others ("
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))
          + "); it must be owner-only");
    }
  }

  /**
   * The master key sealing the party's key store: {@code environmentValue} (hex) when set, else
   * {@code dir/master.key} (owner-only, hex), made with {@code random} when {@code create} and missing.
   */
  public static SecretKeyBytes masterKey(Path dir, String environmentValue, int bytes, boolean create, SecureRandom random) {
    if (environmentValue != null && !environmentValue.isBlank()) {
      return hexKey(MASTER_KEY_ENV, environmentValue.strip(), bytes);
    }
    Path file = dir.resolve(MASTER_KEY_FILE);
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        if (!create) {
          throw new PartyConfigException(file + ": missing and " + MASTER_KEY_ENV + " is not set");
        }
        byte[] key = new byte[bytes];
        random.nextBytes(key);
        writeOwnerOnly(file, Hex.encode(key) + "\n");
        return new SecretKeyBytes(key);
      }
      checkOwnerOnly(file);
      if (Files.size(file) > 200) {
        throw new PartyConfigException(file + ": not a master key (too long)");
      }
      return hexKey(file.toString(), Files.readString(file, StandardCharsets.US_ASCII).strip(), bytes);
    } catch (IOException e) {
      throw new PartyConfigException(file + ": " + e.getMessage(), e);
    }
  }

  private static SecretKeyBytes hexKey(String where, String hex, int bytes) {
    if (hex.length() != 2 * bytes || !hex.matches("[0-9A-Fa-f]+")) {
      throw new PartyConfigException(where + ": the master key must be " + bytes + " bytes in hex");
    }
    return SecretKeyBytes.fromHex(hex);
  }
}
