package io.iotpay.app.cli;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.BlockCipherAlgorithm;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.PinBlock;
import io.iotpay.foundation.crypto.Scp02;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay crypto …}: the crypto suites from the command line. Hex in, hex out; nothing but
 * the result goes to stdout. Rejected input exits 2 with one line on stderr (Main's handlers).
 */
@Command(
    name = "crypto",
    mixinStandardHelpOptions = true,
    description = "Digests, ciphers, MACs, key derivation and signatures of both suites (hex in, hex out).",
    subcommands = {
      CryptoCommand.DigestCommand.class,
      CryptoCommand.EncryptCommand.class,
      CryptoCommand.DecryptCommand.class,
      CryptoCommand.MacCommand.class,
      CryptoCommand.KcvCommand.class,
      CryptoCommand.DeriveCommand.class,
      CryptoCommand.KeygenCommand.class,
      CryptoCommand.SignCommand.class,
      CryptoCommand.VerifyCommand.class,
      CryptoCommand.DukptCommand.class,
      CryptoCommand.PinBlockCommand.class
    })
public final class CryptoCommand implements Runnable {
  /** Exit status of {@code verify} for a signature that does not verify. */
  public static final int EXIT_INVALID_SIGNATURE = 1;

  /** Key files larger than this are refused unread. */
  static final long KEY_FILE_BYTES_MAX = 64 * 1024;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A file the operator named could not be used. */
  static final class FileInputException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    FileInputException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static void printHex(CommandSpec spec, byte[] bytes) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(Hex.encode(bytes));
    out.flush();
  }

  private static byte[] hex(String text, String option) {
    try {
      return Hex.decode(text);
    } catch (io.iotpay.foundation.codec.CodecException e) {
      // Say which option held the bad hex; the codec message says where in it.
      throw new io.iotpay.foundation.codec.CodecException(option + ": " + e.getMessage());
    }
  }

  private static SecretKeyBytes key(String text) {
    return new SecretKeyBytes(hex(text, "--key"));
  }

  static String readFile(Path path) {
    try {
      long size = Files.size(path);
      if (size > KEY_FILE_BYTES_MAX) {
        throw new FileInputException(path + ": " + size + " bytes is larger than " + KEY_FILE_BYTES_MAX, null);
      }
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new FileInputException(path + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  static void writeFile(Path path, String text) {
    try {
      Files.writeString(path, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new FileInputException(path + ": cannot be written (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Command(name = "digest", mixinStandardHelpOptions = true, description = "Hash: SM3 or SHA-256.")
  static final class DigestCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--alg", required = true, description = "SM3 or SHA-256")
    String algorithm;

    @Option(names = "--data", required = true, description = "message, hex")
    String data;

    @Override
    public void run() {
      printHex(spec, DigestAlgorithm.byName(algorithm).digest(hex(data, "--data")));
    }
  }

  /** Options shared by encrypt and decrypt. */
  abstract static class CipherOptions implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--alg", required = true, description = "SM4, AES or 3DES (two-key, 16-byte keys)")
    String algorithm;

    @Option(names = "--mode", required = true, description = "ECB or CBC (no padding: data must be whole blocks)")
    String mode;

    @Option(names = "--key", required = true, description = "key, hex")
    String key;

    @Option(names = "--data", required = true, description = "data, hex, a multiple of the block size")
    String data;

    @Option(names = "--iv", description = "CBC initial vector, hex, one block (default: zeros)")
    String iv;

    byte[] ivBytes() {
      return iv == null ? null : hex(iv, "--iv");
    }
  }

  @Command(name = "encrypt", mixinStandardHelpOptions = true, description = "Encrypt whole blocks.")
  static final class EncryptCommand extends CipherOptions {
    @Override
    public void run() {
      BlockCipherAlgorithm cipher = BlockCipherAlgorithm.byName(algorithm);
      printHex(spec, cipher.encrypt(CipherMode.byName(mode), key(key), ivBytes(), hex(data, "--data")));
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true, description = "Decrypt whole blocks.")
  static final class DecryptCommand extends CipherOptions {
    @Override
    public void run() {
      BlockCipherAlgorithm cipher = BlockCipherAlgorithm.byName(algorithm);
      printHex(spec, cipher.decrypt(CipherMode.byName(mode), key(key), ivBytes(), hex(data, "--data")));
    }
  }

  @Command(name = "mac", mixinStandardHelpOptions = true, description = "Message authentication code.")
  static final class MacCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--alg", required = true, description = "ISO9797-1-M1, ISO9797-1-M3, AES-CMAC, SM4-CMAC or PBOC-SM4")
    String algorithm;

    @Option(names = "--key", required = true, description = "key, hex")
    String key;

    @Option(names = "--data", required = true, description = "data, hex")
    String data;

    @Option(names = "--pad", description = "ISO/IEC 9797-1 padding method 1 or 2 (ISO9797-1 MACs only; default 2)")
    Integer pad;

    @Override
    public void run() {
      MacAlgorithm mac = MacAlgorithm.byName(algorithm);
      MacPadding padding = pad == null ? null : MacPadding.byNumber(pad);
      printHex(spec, mac.mac(key(key), hex(data, "--data"), padding));
    }
  }

  @Command(name = "kcv", mixinStandardHelpOptions = true, description = "Key check value: first 3 bytes of E(key, zero block).")
  static final class KcvCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--alg", required = true, description = "SM4, AES or 3DES")
    String algorithm;

    @Option(names = "--key", required = true, description = "key, hex")
    String key;

    @Override
    public void run() {
      printHex(spec, BlockCipherAlgorithm.byName(algorithm).keyCheckValue(key(key)));
    }
  }

  @Command(
      name = "derive",
      mixinStandardHelpOptions = true,
      description = {
        "Card key derivation, see docs/crypto.md (INTERNATIONAL: 3DES, NATIONAL: SM4).",
        "  emv-option-a  --key IMK --pan DIGITS [--psn NN]: card master key",
        "  session-atc   --key MK --atc HHHH: ATC session key",
        "  scp02         --key STATIC --counter HHHH [--usage U]: that session key,",
        "                or S-ENC, C-MAC, R-MAC and DEK, one per line"
      })
  static final class DeriveCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--method", required = true, description = "emv-option-a, session-atc or scp02")
    String method;

    @Option(names = "--suite", defaultValue = "INTERNATIONAL", description = "INTERNATIONAL or NATIONAL (default ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--key", required = true, description = "the key to derive from, hex")
    String key;

    @Option(names = "--pan", description = "primary account number, 12-19 digits (emv-option-a)")
    String pan;

    @Option(names = "--psn", description = "PAN sequence number, 1-2 digits (emv-option-a; default 00)")
    String psn;

    @Option(names = "--atc", description = "application transaction counter, 4 hex digits (session-atc)")
    String atc;

    @Option(names = "--counter", description = "SCP02 sequence counter, 4 hex digits (scp02)")
    String counter;

    @Option(names = "--usage", description = "SCP02 key: S-ENC, C-MAC, R-MAC or DEK (scp02; default all four)")
    String usage;

    @Override
    public void run() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      SecretKeyBytes from = key(key);
      switch (method.toLowerCase(Locale.ROOT)) {
        case "emv-option-a" -> printHex(spec, EmvKeyDerivation.cardMasterKey(chosen, from, required(pan, "--pan"), psn).value());
        case "session-atc" -> printHex(spec, EmvKeyDerivation.sessionKey(chosen, from, twoBytes(atc, "--atc")).value());
        case "scp02" -> scp02(chosen, from);
        default -> throw new CryptoException("derive: unknown --method '" + method + "' (expected emv-option-a, session-atc or scp02)");
      }
    }

    private void scp02(AlgorithmSuite chosen, SecretKeyBytes staticKey) {
      int sequenceCounter = twoBytes(counter, "--counter");
      if (usage != null) {
        printHex(spec, Scp02.sessionKey(chosen, staticKey, usage(usage), sequenceCounter).value());
        return;
      }
      for (Scp02.KeyUsage each : new Scp02.KeyUsage[] {Scp02.KeyUsage.S_ENC, Scp02.KeyUsage.C_MAC, Scp02.KeyUsage.R_MAC, Scp02.KeyUsage.DEK}) {
        printHex(spec, Scp02.sessionKey(chosen, staticKey, each, sequenceCounter).value());
      }
    }

    private static Scp02.KeyUsage usage(String name) {
      return switch (name.toUpperCase(Locale.ROOT).replace('_', '-')) {
        case "S-ENC" -> Scp02.KeyUsage.S_ENC;
        case "C-MAC" -> Scp02.KeyUsage.C_MAC;
        case "R-MAC" -> Scp02.KeyUsage.R_MAC;
        case "DEK" -> Scp02.KeyUsage.DEK;
        default -> throw new CryptoException("derive: unknown --usage '" + name + "' (expected S-ENC, C-MAC, R-MAC or DEK)");
      };
    }

    private String required(String value, String option) {
      if (value == null) {
        throw new CryptoException("derive --method " + method + ": " + option + " is required");
      }
      return value;
    }

    private int twoBytes(String value, String option) {
      byte[] bytes = hex(required(value, option), option);
      if (bytes.length != 2) {
        throw new CryptoException("derive: " + option + " must be 2 bytes (4 hex digits), got " + bytes.length);
      }
      return ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    }
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true, description = "New key pair of the suite's curve, as PEM files (nothing on stdout).")
  static final class KeygenCommand implements Runnable {
    @Option(names = "--suite", required = true, description = "INTERNATIONAL (P-256) or NATIONAL (SM2)")
    String suite;

    @Option(names = "--out-private", required = true, description = "PKCS#8 PEM file to write")
    Path outPrivate;

    @Option(names = "--out-public", required = true, description = "public key PEM file to write")
    Path outPublic;

    @Override
    public void run() {
      KeyPair keys = AlgorithmSuite.byName(suite).signature().generateKeyPair(new SecureRandom());
      writeFile(outPrivate, Pem.write(keys.getPrivate()));
      writeFile(outPublic, Pem.write(keys.getPublic()));
    }
  }

  /** Options shared by sign and verify. */
  abstract static class SignatureOptions {
    @Spec CommandSpec spec;

    @Option(names = "--suite", required = true, description = "INTERNATIONAL (ECDSA P-256/SHA-256) or NATIONAL (SM2/SM3)")
    String suite;

    @Option(names = "--key", required = true, description = "PEM key file")
    Path key;

    @Option(names = "--data", required = true, description = "message, hex")
    String data;

    @Option(names = "--user-id", description = "SM2 user id, text (NATIONAL only; default 1234567812345678)")
    String userId;

    byte[] userIdBytes() {
      return userId == null ? null : userId.getBytes(StandardCharsets.UTF_8);
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign; prints the DER signature in hex.")
  static final class SignCommand extends SignatureOptions implements Runnable {
    @Override
    public void run() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      var privateKey = Pem.readPrivateKey(readFile(key), chosen);
      printHex(spec, chosen.signature().sign(privateKey, hex(data, "--data"), userIdBytes()));
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Verify; prints 'valid' (exit 0) or 'invalid' (exit 1) on stdout.")
  static final class VerifyCommand extends SignatureOptions implements Callable<Integer> {
    @Option(names = "--signature", required = true, description = "DER signature, hex")
    String signature;

    @Override
    public Integer call() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      var publicKey = Pem.readPublicKey(readFile(key), chosen);
      boolean valid = chosen.signature().verify(publicKey, hex(data, "--data"), hex(signature, "--signature"), userIdBytes());
      PrintWriter out = spec.commandLine().getOut();
      out.println(valid ? "valid" : "invalid");
      out.flush();
      return valid ? 0 : EXIT_INVALID_SIGNATURE;
    }
  }

  @Command(
      name = "dukpt",
      mixinStandardHelpOptions = true,
      description = {
        "A DUKPT working key as the host derives it from the BDK and the KSN, see docs/pin-and-dukpt.md",
        "(INTERNATIONAL: AES DUKPT, ANSI X9.24-3-2017; NATIONAL: iotpay's SM4 analogue)."
      })
  static final class DukptCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--suite", defaultValue = "INTERNATIONAL", description = "INTERNATIONAL or NATIONAL (default ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--bdk", required = true, description = "base derivation key, hex (AES: 16/24/32 bytes; SM4: 16)")
    String bdk;

    @Option(names = "--ksn", required = true, description = "key serial number, 12 bytes hex (initial key ID and counter)")
    String ksn;

    @Option(names = "--usage", defaultValue = "PIN",
        description = "PIN, MAC-GEN, MAC-VERIFY, MAC-BOTH, DATA-ENCRYPT, DATA-DECRYPT, DATA-BOTH or KEK (default ${DEFAULT-VALUE})")
    String usage;

    @Option(names = "--key-type", description = "AES-128, AES-192, AES-256, 2TDEA, 3TDEA or SM4 (default AES-128 or SM4 by suite)")
    String keyType;

    @Override
    public void run() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      Dukpt.KeyType type = keyType == null
          ? (chosen == AlgorithmSuite.NATIONAL ? Dukpt.KeyType.SM4_128 : Dukpt.KeyType.AES_128)
          : keyType(keyType);
      Dukpt.Ksn serial = Dukpt.Ksn.parse(hex(ksn, "--ksn"));
      SecretKeyBytes base = new SecretKeyBytes(hex(bdk, "--bdk"));
      printHex(spec, Dukpt.workingKey(chosen, base, serial, usage(usage), type).value());
    }

    private static Dukpt.KeyUsage usage(String name) {
      return switch (name.toUpperCase(Locale.ROOT)) {
        case "PIN" -> Dukpt.KeyUsage.PIN_ENCRYPTION;
        case "MAC-GEN" -> Dukpt.KeyUsage.MAC_GENERATION;
        case "MAC-VERIFY" -> Dukpt.KeyUsage.MAC_VERIFICATION;
        case "MAC-BOTH" -> Dukpt.KeyUsage.MAC_BOTH_WAYS;
        case "DATA-ENCRYPT" -> Dukpt.KeyUsage.DATA_ENCRYPTION_ENCRYPT;
        case "DATA-DECRYPT" -> Dukpt.KeyUsage.DATA_ENCRYPTION_DECRYPT;
        case "DATA-BOTH" -> Dukpt.KeyUsage.DATA_ENCRYPTION_BOTH_WAYS;
        case "KEK" -> Dukpt.KeyUsage.KEY_ENCRYPTION_KEY;
        default -> throw new CryptoException("dukpt: unknown --usage '" + name
            + "' (expected PIN, MAC-GEN, MAC-VERIFY, MAC-BOTH, DATA-ENCRYPT, DATA-DECRYPT, DATA-BOTH or KEK)");
      };
    }

    private static Dukpt.KeyType keyType(String name) {
      return switch (name.toUpperCase(Locale.ROOT)) {
        case "AES-128" -> Dukpt.KeyType.AES_128;
        case "AES-192" -> Dukpt.KeyType.AES_192;
        case "AES-256" -> Dukpt.KeyType.AES_256;
        case "2TDEA" -> Dukpt.KeyType.TDEA_2;
        case "3TDEA" -> Dukpt.KeyType.TDEA_3;
        case "SM4" -> Dukpt.KeyType.SM4_128;
        default -> throw new CryptoException(
            "dukpt: unknown --key-type '" + name + "' (expected AES-128, AES-192, AES-256, 2TDEA, 3TDEA or SM4)");
      };
    }
  }

  @Command(
      name = "pinblock",
      mixinStandardHelpOptions = true,
      description = {
        "ISO 9564 format 4 PIN blocks (AES; SM4 for NATIONAL), see docs/pin-and-dukpt.md.",
        "The PIN is read from standard input (one line of digits), never from an argument."
      },
      subcommands = {
        CryptoCommand.PinBlockEncipherCommand.class,
        CryptoCommand.PinBlockTranslateCommand.class,
        CryptoCommand.PinBlockVerifyCommand.class
      })
  static final class PinBlockCommand implements Runnable {
    /** A PIN line longer than this is refused (12 digits, a line end, slack for CR LF). */
    static final int PIN_LINE_CHARS_MAX = PinBlock.PIN_DIGITS_MAX + 2;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads one line of PIN digits from stdin into a char[] that is wiped before returning. */
    static PinBlock.ClearPin readPin() {
      char[] line = new char[PIN_LINE_CHARS_MAX + 1];
      int length = 0;
      try {
        Reader in = new InputStreamReader(System.in, StandardCharsets.US_ASCII);
        int c;
        while (length < line.length && (c = in.read()) >= 0 && c != '\n') {
          line[length++] = (char) c;
        }
        if (length > 0 && line[length - 1] == '\r') {
          length--;
        }
        if (length > PIN_LINE_CHARS_MAX) {
          throw new CryptoException("PIN: the line on standard input is too long");
        }
        char[] digits = Arrays.copyOf(line, length);
        try {
          return PinBlock.ClearPin.fromChars(digits);
        } finally {
          Arrays.fill(digits, '\0');
        }
      } catch (IOException e) {
        throw new FileInputException("PIN: standard input cannot be read (" + e.getClass().getSimpleName() + ")", e);
      } finally {
        Arrays.fill(line, '\0');
      }
    }
  }

  /** Options every pinblock subcommand takes. */
  abstract static class PinBlockOptions {
    @Spec CommandSpec spec;

    @Option(names = "--suite", defaultValue = "INTERNATIONAL", description = "INTERNATIONAL (AES) or NATIONAL (SM4) (default ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--pan", required = true, description = "primary account number, 1-19 digits")
    String pan;
  }

  @Command(name = "encipher", mixinStandardHelpOptions = true, description = "PIN from stdin -> format 4 PIN block, hex.")
  static final class PinBlockEncipherCommand extends PinBlockOptions implements Runnable {
    @Option(names = "--key", required = true, description = "PIN encryption key, hex (e.g. from 'crypto dukpt')")
    String key;

    @Override
    public void run() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      SecretKeyBytes pinKey = key(key);
      try (PinBlock.ClearPin pin = PinBlockCommand.readPin()) {
        printHex(spec, PinBlock.encipherFormat4(chosen, pinKey, pin, pan, new SecureRandom()));
      }
    }
  }

  @Command(name = "translate", mixinStandardHelpOptions = true, description = "Re-encipher a format 4 block under another key.")
  static final class PinBlockTranslateCommand extends PinBlockOptions implements Runnable {
    @Option(names = "--key-in", required = true, description = "key the block is under now, hex")
    String keyIn;

    @Option(names = "--key-out", required = true, description = "key to put it under, hex")
    String keyOut;

    @Option(names = "--block", required = true, description = "format 4 PIN block, 16 bytes hex")
    String block;

    @Override
    public void run() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      SecretKeyBytes from = new SecretKeyBytes(hex(keyIn, "--key-in"));
      SecretKeyBytes to = new SecretKeyBytes(hex(keyOut, "--key-out"));
      printHex(spec, PinBlock.translateFormat4(chosen, from, chosen, to, hex(block, "--block"), pan));
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Does the block hold the PIN on stdin? Prints 'valid' (exit 0) or 'invalid' (exit 1).")
  static final class PinBlockVerifyCommand extends PinBlockOptions implements Callable<Integer> {
    @Option(names = "--key", required = true, description = "key the block is under, hex")
    String key;

    @Option(names = "--block", required = true, description = "format 4 PIN block, 16 bytes hex")
    String block;

    @Override
    public Integer call() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      SecretKeyBytes pinKey = key(key);
      byte[] blockBytes = hex(block, "--block");
      boolean valid;
      try (PinBlock.ClearPin expected = PinBlockCommand.readPin()) {
        valid = PinBlock.verifyFormat4(chosen, pinKey, blockBytes, pan, expected);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(valid ? "valid" : "invalid");
      out.flush();
      return valid ? 0 : EXIT_INVALID_SIGNATURE;
    }
  }
}
