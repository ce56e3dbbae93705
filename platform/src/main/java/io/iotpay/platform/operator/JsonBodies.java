package io.iotpay.platform.operator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.iotpay.platform.access.http.ApiException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTTP API's JSON request bodies and their one strict, bounded parser. Field names are
 * snake_case; unknown fields, duplicate fields, trailing content, type coercions ({@code "1"} for a
 * number, {@code 1} for a boolean, {@code 1.5} for an integer) and nesting deeper than
 * {@link #NESTING_DEPTH_MAX} are refused. Missing fields arrive as null and are refused by the
 * endpoint that needs them ({@link #required}). The bytes must be strict UTF-8 (checked before JSON,
 * so an overlong or invalid sequence is refused, never decoded into a replacement and stored).
 * Details are written here, never copied from the parser: its messages name Java types and settings.
 */
final class JsonBodies {
  /** Deepest nesting accepted: the deepest request (a mandate's terms' scope lists) nests 3 levels. */
  static final int NESTING_DEPTH_MAX = 8;
  /** Longest number literal, characters: a long has at most 20. */
  static final int NUMBER_CHARS_MAX = 24;
  /** Longest client-chosen field name echoed in a detail, characters. */
  private static final int FIELD_NAME_CHARS_MAX = 40;

  /** {@code POST /v1/devices}: the suite and the chip's PKCS#10 CSR, DER in standard base64. */
  record RegisterDevice(String suite, String csr) {}

  /** {@code POST /v1/manufacturer-cas}: the suite and the CA certificate in PEM. */
  record ManufacturerCa(String suite, String certificatePem) {}

  /** {@code POST …/suspend|resume|revoke}: why, for the record; 0..256 characters. */
  record StatusChange(String reason) {}

  /** {@code POST /v1/merchants}. */
  record NewMerchant(String merchantId, String name, String category, Long settlementAccountId, Location location) {}

  /** A place in degrees (WGS 84). */
  record Location(Double latitudeDeg, Double longitudeDeg) {}

  /** {@code POST /v1/mandates}: bind a device to one of the user's accounts. */
  record BindMandate(String deviceId, Long accountId, Terms terms) {}

  /** A mandate's terms; every amount in minor units of {@code currency}. */
  record Terms(
      String currency, Long perPaymentMaxMinor, Long perDayMaxMinor, Long perMonthMaxMinor, Long confirmationThresholdMinor,
      List<String> allowedMerchants, List<String> allowedCategories) {}

  /** {@code POST /v1/payments/{device}/{counter}/confirm}: the user's answer. */
  record Confirm(Boolean approve) {}

  /** {@code POST /v1/users}: the new user's id. */
  record NewUser(String userId) {}

  /** {@code POST /v1/accounts}: a ledger account, its currency and its holder (null: none, e.g. a merchant's). */
  record NewAccount(Long accountId, String currency, String owner) {}

  /** {@code POST /v1/accounts/{id}/owner}: the account's new holder (null: none). */
  record AccountHolder(String owner) {}

  /** {@code POST /v1/accounts/{id}/deposits}: money paid in, once per deposit id. */
  record NewDeposit(String depositId, Long amountMinor) {}

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(NESTING_DEPTH_MAX)
              .maxNumberLength(NUMBER_CHARS_MAX)
              .maxStringLength(HttpApiConfig.JSON_BYTES_MAX_DEFAULT * 16)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private JsonBodies() {}

  /**
   * Parses a whole body (already bounded by the caller) as {@code type}.
   *
   * @return never null
   * @throws ApiException 400 {@code BAD_ENCODING} for bytes that are not UTF-8; 400 {@code BAD_JSON}
   *     naming what is wrong, for anything but one well-formed object of the expected shape
   */
  static <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new ApiException(400, "BAD_JSON", "the request needs a JSON object body");
    }
    String text = utf8(body);
    T value;
    try {
      value = MAPPER.readValue(text, type);
    } catch (UnrecognizedPropertyException e) {
      throw new ApiException(400, "BAD_JSON", "unknown field '" + safeName(e.getPropertyName()) + "'");
    } catch (StreamConstraintsException e) {
      throw new ApiException(400, "BAD_JSON", "JSON nesting deeper than " + NESTING_DEPTH_MAX + " or a number longer than " + NUMBER_CHARS_MAX);
    } catch (JsonParseException e) {
      throw new ApiException(400, "BAD_JSON", "malformed JSON" + where(e.getLocation()));
    } catch (JsonMappingException e) {
      throw new ApiException(400, "BAD_JSON", "field '" + path(e) + "' is not of the expected type or shape, or is repeated");
    } catch (IOException | RuntimeException e) {
      // A creator refusing its input or a constraint: still the caller's bad input, told without the parser's words.
      throw new ApiException(400, "BAD_JSON", "malformed JSON");
    }
    if (value == null) {
      throw new ApiException(400, "BAD_JSON", "the request needs a JSON object body, not null");
    }
    return value;
  }

  /** @throws ApiException 400 naming {@code field} when {@code value} is null (missing or JSON null) */
  static <T> T required(T value, String field) {
    if (value == null) {
      throw ApiException.badRequest("field '" + field + "' is missing");
    }
    return value;
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(400, "BAD_ENCODING", "the body is not UTF-8 (an invalid, overlong or surrogate sequence)");
    }
  }

  private static String where(JsonLocation location) {
    return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(reference.getFieldName() != null ? safeName(reference.getFieldName()) : "[" + reference.getIndex() + "]");
    }
    return out.length() == 0 ? "(body)" : out.toString();
  }

  /** A client-chosen field name made safe to echo: [A-Za-z0-9_] kept, others as '?', at most 40 characters. */
  static String safeName(String name) {
    if (name == null) {
      return "?";
    }
    StringBuilder out = new StringBuilder(Math.min(name.length(), FIELD_NAME_CHARS_MAX));
    for (int i = 0; i < name.length() && out.length() < FIELD_NAME_CHARS_MAX; i++) {
      char c = name.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      out.append(plain ? c : '?');
    }
    return out.toString();
  }
}
