package io.iotpay.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A device request (docs/device-messages.md) as JSON, for people and scripts; the envelope carries
 * its CBOR form. {@code {"kind":"event","device_type":T,"fields":{name:value,…}}},
 * {@code {"kind":"delivery","payment_counter":N,"delivered":true|false}},
 * {@code {"kind":"status","firmware":S,"tampered":B,"latitude_micro":N,"longitude_micro":N}} (status
 * fields optional). Unknown or repeated fields are refused.
 */
final class DeviceRequestJson {
  /** Deepest nesting of a request: the event's fields object. */
  private static final int NESTING_DEPTH_MAX = 3;
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(NESTING_DEPTH_MAX).maxNumberLength(24).maxStringLength(DeviceMessageCodec.BYTES_MAX).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .build();

  private DeviceRequestJson() {}

  /** @throws InvalidInputException for anything but one request in the form above */
  static byte[] encode(String text) {
    JsonNode node;
    try (JsonParser parser = JSON.createParser(text)) {
      node = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        throw bad("trailing content after the JSON object");
      }
    } catch (IOException e) {
      throw bad("not one JSON object");
    }
    if (node == null || !node.isObject()) {
      throw bad("not a JSON object");
    }
    return DeviceMessageCodec.encode(request(node));
  }

  private static DeviceRequest request(JsonNode node) {
    String kind = node.path("kind").asText("");
    return switch (kind) {
      case "event" -> {
        only(node, Set.of("kind", "device_type", "fields"));
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode given = node.path("fields");
        if (!given.isObject()) {
          throw bad("an event needs \"fields\": an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (!field.getValue().isTextual()) {
            throw bad("event field '" + field.getKey() + "' must be a string");
          }
          fields.put(field.getKey(), field.getValue().asText());
        }
        yield new DeviceRequest.Event(text(node, "device_type"), fields);
      }
      case "delivery" -> {
        only(node, Set.of("kind", "payment_counter", "delivered"));
        if (!node.path("payment_counter").canConvertToExactIntegral() || !node.path("delivered").isBoolean()) {
          throw bad("a delivery needs \"payment_counter\" (an integer) and \"delivered\" (true or false)");
        }
        yield new DeviceRequest.Delivery(node.path("payment_counter").asLong(), node.path("delivered").asBoolean());
      }
      case "status" -> {
        only(node, Set.of("kind", "firmware", "tampered", "latitude_micro", "longitude_micro"));
        boolean typed = (!node.hasNonNull("tampered") || node.get("tampered").isBoolean())
            && (!node.hasNonNull("latitude_micro") || node.get("latitude_micro").canConvertToExactIntegral())
            && (!node.hasNonNull("longitude_micro") || node.get("longitude_micro").canConvertToExactIntegral());
        if (!typed) {
          throw bad("a status has \"tampered\" true or false and integer \"latitude_micro\", \"longitude_micro\"");
        }
        yield new DeviceRequest.Status(node.hasNonNull("firmware") ? text(node, "firmware") : null,
            node.hasNonNull("tampered") ? node.get("tampered").asBoolean() : null,
            node.hasNonNull("latitude_micro") ? node.get("latitude_micro").asLong() : null,
            node.hasNonNull("longitude_micro") ? node.get("longitude_micro").asLong() : null);
      }
      default -> throw bad("\"kind\" must be event, delivery or status");
    };
  }

  /** The JSON form of a CBOR request, or null when the bytes are not one. */
  static JsonNode decodeOrNull(byte[] payload) {
    DeviceRequest request;
    try {
      request = DeviceMessageCodec.decodeRequest(payload);
    } catch (InvalidInputException e) {
      return null;
    }
    ObjectNode out = JSON.createObjectNode();
    switch (request) {
      case DeviceRequest.Event event -> {
        out.put("kind", "event").put("device_type", event.deviceType());
        ObjectNode fields = out.putObject("fields");
        event.fields().forEach(fields::put);
      }
      case DeviceRequest.Delivery delivery -> out.put("kind", "delivery").put("payment_counter", delivery.paymentCounter())
          .put("delivered", delivery.delivered());
      case DeviceRequest.Status status -> {
        out.put("kind", "status").put("firmware", status.firmware());
        out.put("tampered", status.tampered());
        out.put("latitude_micro", status.latitudeMicro());
        out.put("longitude_micro", status.longitudeMicro());
      }
    }
    return out;
  }

  private static void only(JsonNode node, Set<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw bad("unknown field '" + name + "'");
      }
    }
  }

  private static String text(JsonNode node, String field) {
    if (!node.path(field).isTextual()) {
      throw bad("\"" + field + "\" must be a string");
    }
    return node.get(field).asText();
  }

  private static InvalidInputException bad(String what) {
    return new DeviceEnvelopeCommand.BadInputException("--payload-json: " + what);
  }
}
