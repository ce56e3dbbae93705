package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Random and mutated bodies into the strict JSON parser: a body of the shape, or a 400 whose detail names no Java type. */
class JsonBodiesFuzzProperties {
  private static final byte[] SEED = ("{\"request_id\":\"req-1234567\",\"legal_name\":\"Shop\",\"business_licence_number\":\"91310000MA1K000001\","
      + "\"owner_id_number\":\"110105194912310021\",\"mcc\":\"5812\",\"address\":\"1 Road\","
      + "\"settlement_account\":{\"bank_id\":\"10200000\",\"account_number\":\"6222000011112222\"}}").getBytes(StandardCharsets.UTF_8);

  @Property(tries = 3000)
  void randomBytes_parseOrBadJson(@ForAll @Size(max = 300) byte[] body) {
    parse(body);
  }

  @Property(tries = 3000)
  void mutatedRegistration_parseOrBadJson(@ForAll("mutated") byte[] body) {
    parse(body);
  }

  private static void parse(byte[] body) {
    for (Class<?> type : new Class<?>[] {JsonBodies.Register.class, JsonBodies.Enrol.class, JsonBodies.Reason.class}) {
      try {
        assertThat(JsonBodies.parse(body, type)).isNotNull();
      } catch (ApiException refused) {
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isIn("BAD_JSON", "BAD_ENCODING");
        assertThat(refused.detail()).doesNotContainPattern("(java|com|io)\\.[a-z]").doesNotContain("Exception");
      }
    }
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Arbitraries.integers().between(0, SEED.length - 1).list().ofMinSize(1).ofMaxSize(8)
        .flatMap(positions -> Arbitraries.bytes().array(byte[].class).ofSize(positions.size()).map(values -> {
          byte[] copy = SEED.clone();
          for (int i = 0; i < positions.size(); i++) {
            copy[positions.get(i)] = values[i];
          }
          return copy;
        }));
  }
}
