package io.iotpay.protocol.party;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A party's configuration file, read strictly: UTF-8 lines {@code key=value}, {@code #} comments
 * and blank lines; no continuation lines, no escapes, no duplicate keys, keys from
 * {@code [A-Za-z0-9._-]}, at most {@value #BYTES_MAX} bytes and {@value #ENTRIES_MAX} entries.
 * Every getter names the file and the key in its {@link PartyConfigException}.
 */
public final class PartyProperties {
  public static final int BYTES_MAX = 256 * 1024;
  public static final int ENTRIES_MAX = 10_000;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.:-]{1,253}|\\[[0-9A-Fa-f:]{2,45}\\]):([0-9]{1,5})");

  private final String name;
  private final Map<String, String> values;

  private PartyProperties(String name, Map<String, String> values) {
    this.name = name;
    this.values = Collections.unmodifiableMap(values);
  }

  /** Reads {@code file}; with {@code secret} the file must be owner-only. */
  public static PartyProperties read(Path file, boolean secret) {
    String name = file.getFileName().toString();
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new PartyConfigException(file + ": missing (run iotpay party init first)");
      }
      if (secret) {
        PartyFiles.checkOwnerOnly(file);
      }
      if (Files.size(file) > BYTES_MAX) {
        throw new PartyConfigException(name + ": larger than " + BYTES_MAX + " bytes");
      }
      return parse(name, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new PartyConfigException(name + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code bytes} as the file {@code name} (bounded: see the class comment). */
  public static PartyProperties parse(String name, byte[] bytes) {
    if (bytes.length > BYTES_MAX) {
      throw new PartyConfigException(name + ": larger than " + BYTES_MAX + " bytes");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new PartyConfigException(name + ": not UTF-8");
    }
    Map<String, String> values = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals <= 0) {
        throw new PartyConfigException(name + " line " + (i + 1) + ": expected key=value");
      }
      String key = trimmed.substring(0, equals).strip();
      String value = trimmed.substring(equals + 1).strip();
      if (!KEY.matcher(key).matches()) {
        throw new PartyConfigException(name + " line " + (i + 1) + ": bad key (letters, digits, '.', '_', '-'; 1..128)");
      }
      if (values.putIfAbsent(key, value) != null) {
        throw new PartyConfigException(name + " line " + (i + 1) + ": " + key + " given twice");
      }
      if (values.size() > ENTRIES_MAX) {
        throw new PartyConfigException(name + ": more than " + ENTRIES_MAX + " entries");
      }
    }
    return new PartyProperties(name, values);
  }

  /** Every entry, in file order (read-only). */
  public Map<String, String> entries() {
    return values;
  }

  /** Properties named {@code name} from {@code values}, checked as {@link #parse} checks a file's keys. */
  static PartyProperties of(String name, Map<String, String> values) {
    if (values.size() > ENTRIES_MAX) {
      throw new PartyConfigException(name + ": more than " + ENTRIES_MAX + " entries");
    }
    for (String key : values.keySet()) {
      if (!KEY.matcher(key).matches()) {
        throw new PartyConfigException(name + ": bad key (letters, digits, '.', '_', '-'; 1..128)");
      }
    }
    return new PartyProperties(name, new LinkedHashMap<>(values));
  }

  /** Refuses any key {@code known} does not accept (a typo must not be ignored). */
  public PartyProperties onlyKeys(Predicate<String> known) {
    for (String key : values.keySet()) {
      if (!known.test(key)) {
        throw new PartyConfigException(name + ": unknown key " + key);
      }
    }
    return this;
  }

  /** A predicate accepting exactly these keys, or keys starting with one of {@code prefixes}. */
  public static Predicate<String> keys(Set<String> exact, String... prefixes) {
    return key -> exact.contains(key) || java.util.Arrays.stream(prefixes).anyMatch(key::startsWith);
  }

  public String name() {
    return name;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public String string(String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new PartyConfigException(name + ": " + key + " is missing");
    }
    return value;
  }

  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  /** A string matching {@code pattern}; the value is not echoed in the error. */
  public String matching(String key, Pattern pattern, String what) {
    String value = string(key);
    if (!pattern.matcher(value).matches()) {
      throw new PartyConfigException(name + ": " + key + " is not " + what);
    }
    return value;
  }

  public long number(String key, long min, long max) {
    String value = string(key);
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw new PartyConfigException(name + ": " + key + " = " + n + " outside " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new PartyConfigException(name + ": " + key + " is not a whole number");
    }
  }

  public long number(String key, long min, long max, long fallback) {
    return has(key) ? number(key, min, max) : fallback;
  }

  public AlgorithmSuite suite(String key) {
    String value = string(key);
    try {
      return AlgorithmSuite.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new PartyConfigException(name + ": " + key + " must be INTERNATIONAL or NATIONAL");
    }
  }

  /** A 16- or 32-byte key in hex; the value is never echoed. */
  public SecretKeyBytes key(String key, int bytes) {
    String value = string(key);
    if (value.length() != 2 * bytes || !value.matches("[0-9A-Fa-f]+")) {
      throw new PartyConfigException(name + ": " + key + " must be " + bytes + " bytes in hex");
    }
    return SecretKeyBytes.fromHex(value);
  }

  /** {@code host:port} (port 0..65535; 0 = any free port). */
  public InetSocketAddress address(String key) {
    return address(name + ": " + key, string(key));
  }

  /** Parses {@code host:port}; {@code where} names the source in the error. */
  public static InetSocketAddress address(String where, String value) {
    var m = HOST_PORT.matcher(value);
    if (!m.matches()) {
      throw new PartyConfigException(where + " is not HOST:PORT");
    }
    int port = Integer.parseInt(m.group(2));
    if (port > 65_535) {
      throw new PartyConfigException(where + ": port outside 0..65535");
    }
    String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
    return new InetSocketAddress(host, port);
  }

  /** A comma-separated list of party ids ({@code [A-Z0-9-]{1,16}} each), at least one. */
  public List<String> ids(String key) {
    List<String> ids = new ArrayList<>();
    for (String part : string(key).split(",", -1)) {
      String id = part.strip();
      if (!id.matches("[A-Z0-9-]{1,16}")) {
        throw new PartyConfigException(name + ": " + key + " holds a bad id (A-Z, 0-9, '-'; 1..16)");
      }
      if (ids.contains(id)) {
        throw new PartyConfigException(name + ": " + key + " names " + id + " twice");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
  }
}
