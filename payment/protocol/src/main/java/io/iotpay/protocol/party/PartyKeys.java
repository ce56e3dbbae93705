package io.iotpay.protocol.party;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException;
import io.iotpay.foundation.custody.SealedSecrets;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A party's own keys (link zone keys, store keys, look-up keys), written as {@code key=value}
 * entries like a configuration file but kept only sealed: each entry is a record of
 * {@code <dataDir>/custody/}{@value SealedSecrets#FILE_NAME} ({@link SealedSecrets}, AES-256-GCM or
 * SM4-GCM under the party's master key, docs/parties.md). Nothing on disk holds them in clear; the
 * party opens them at start under its master key ({@link PartyFiles#masterKey}).
 */
public final class PartyKeys {
  public static final String CUSTODY_DIR = "custody";
  /** The name the keys carry in messages (a refusal names it, never a value). */
  public static final String NAME = CUSTODY_DIR + "/" + SealedSecrets.FILE_NAME;

  private PartyKeys() {}

  /**
   * Opens a party's key custody ({@value #CUSTODY_DIR}/, sealed under its master key from the
   * environment's {@value PartyFiles#MASTER_KEY_ENV}, else {@code dataDir/master.key}).
   *
   * @throws PartyConfigException for a missing or wrong master key or a custody that does not open
   */
  public static SoftwareKeyCustody openCustody(Path dataDir, AlgorithmSuite suite) {
    SecretKeyBytes master = PartyFiles.masterKey(dataDir, System.getenv(PartyFiles.MASTER_KEY_ENV),
        masterKeyBytes(suite), false, null);
    try {
      return SoftwareKeyCustody.open(dataDir.resolve(CUSTODY_DIR), suite, master);
    } catch (KeyCustodyException e) {
      throw new PartyConfigException(dataDir.resolve(CUSTODY_DIR) + ": " + e.getMessage(), e);
    }
  }

  /** Master key bytes for a store of {@code suite}: 32 (AES-256-GCM) or 16 (SM4-GCM). */
  public static int masterKeyBytes(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16;
  }

  /**
   * Parses {@code keysText} ({@code key=value} lines) and seals every entry under the master key:
   * the environment's {@value PartyFiles#MASTER_KEY_ENV} when set (as {@link #read} takes it), else
   * {@code dataDir/master.key}, made when missing.
   *
   * @return what was sealed (for set-up code that needs a value back without opening the file again)
   */
  public static PartyProperties write(Path dataDir, AlgorithmSuite storeSuite, String keysText, SecureRandom random) {
    PartyProperties parsed = PartyProperties.parse(NAME, keysText.getBytes(StandardCharsets.UTF_8));
    SecretKeyBytes master = PartyFiles.masterKey(dataDir, System.getenv(PartyFiles.MASTER_KEY_ENV),
        masterKeyBytes(storeSuite), true, random);
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    try {
      parsed.entries().forEach((k, v) -> secrets.put(k, v.getBytes(StandardCharsets.UTF_8)));
      SealedSecrets.write(dataDir.resolve(CUSTODY_DIR), storeSuite, master, secrets, random);
    } catch (KeyCustodyException e) {
      throw new PartyConfigException(NAME + ": " + e.getMessage(), e);
    } finally {
      secrets.values().forEach(v -> Arrays.fill(v, (byte) 0));
    }
    return parsed;
  }

  /**
   * Opens the sealed keys under the master key: {@code masterKeyHex} when given, else the
   * environment's {@value PartyFiles#MASTER_KEY_ENV}, else {@code dataDir/master.key}.
   *
   * @throws PartyConfigException for a missing or wrong master key, a missing, tampered or
   *     non-owner-only file; never with a key's value
   */
  public static PartyProperties read(Path dataDir, AlgorithmSuite storeSuite, String masterKeyHex) {
    SecretKeyBytes master = PartyFiles.masterKey(dataDir,
        masterKeyHex != null ? masterKeyHex : System.getenv(PartyFiles.MASTER_KEY_ENV), masterKeyBytes(storeSuite), false, null);
    Map<String, byte[]> secrets;
    try {
      secrets = SealedSecrets.read(dataDir.resolve(CUSTODY_DIR), storeSuite, master);
    } catch (KeyCustodyException e) {
      throw new PartyConfigException(dataDir.resolve(NAME) + ": " + e.getMessage()
          + " (run iotpay party init first, or give the right master key)", e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
        try {
          values.put(e.getKey(), StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(e.getValue())).toString());
        } catch (CharacterCodingException bad) {
          throw new PartyConfigException(NAME + ": " + e.getKey() + " is not UTF-8");
        }
      }
    } finally {
      secrets.values().forEach(v -> Arrays.fill(v, (byte) 0));
    }
    return PartyProperties.of(NAME, values);
  }
}
