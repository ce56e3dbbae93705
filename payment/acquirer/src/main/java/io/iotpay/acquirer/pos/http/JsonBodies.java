package io.iotpay.acquirer.pos.http;

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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The request bodies and their one strict, bounded parser. The bytes must be UTF-8 (checked before
 * JSON, so no other encoding is guessed); unknown fields, duplicate fields, trailing content, type
 * coercions and nesting deeper than {@link #NESTING_DEPTH_MAX} are refused with {@code BAD_JSON}.
 * Details are written here, never copied from the parser (its messages name Java types).
 */
final class JsonBodies {
  /** Deepest nesting accepted: the deepest request (the settlement account in a registration) nests 2 levels. */
  static final int NESTING_DEPTH_MAX = 4;
  /** Longest number literal, characters (no request has numbers; a long has at most 20). */
  static final int NUMBER_CHARS_MAX = 24;
  private static final int FIELD_NAME_CHARS_MAX = 40;

  /** {@code POST /v1/pos/merchants}. */
  record Register(String requestId, String legalName, String businessLicenceNumber, String ownerIdNumber, String mcc, String address,
      Account settlementAccount) {}

  /** The settlement account of a registration. */
  record Account(String bankId, String accountNumber) {}

  /** {@code POST /v1/pos/merchant/terminals}: the suite and the phone's PKCS#10 CSR (DER, standard base64). */
  record Enrol(String suite, String csr) {}

  /** {@code POST /v1/pos/merchant/terminals/{terminal}/attestations}: the SE's token (standard base64). */
  record Attest(String token) {}

  /** An operator's decision or action: why, 1..256 characters. */
  record Reason(String reason) {}

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(NESTING_DEPTH_MAX)
              .maxNumberLength(NUMBER_CHARS_MAX)
              .maxStringLength(PosHttpConfig.JSON_BYTES_MAX_DEFAULT * 64)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private JsonBodies() {}

  /**
   * Parses a whole body (already bounded by the caller) as {@code type}.
   *
   * @return never null
   * @throws ApiException 400 {@code BAD_ENCODING} for bytes that are not UTF-8, {@code BAD_JSON} for
   *     anything but one well-formed object of the expected shape
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
      throw new ApiException(400, "BAD_JSON", "field '" + path(e) + "' is not of the expected type or shape");
    } catch (IOException | RuntimeException e) {
      throw new ApiException(400, "BAD_JSON", "malformed JSON");
    }
    if (value == null) {
      throw new ApiException(400, "BAD_JSON", "the request needs a JSON object body, not null");
    }
    return value;
  }

  /** @throws ApiException 400 {@code BAD_REQUEST} naming {@code field} when it is missing or null */
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
      throw new ApiException(400, "BAD_ENCODING", "the body is not UTF-8");
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
