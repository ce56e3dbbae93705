package io.iotpay.protocol.authorisation;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.ProtocolException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The authorisation codec on valid messages (every one survives a round trip unchanged and within its
 * byte bound) and on hostile bytes (random, and valid messages with bytes changed, cut or added): the
 * decoders only ever return a valid message or refuse with a {@link ProtocolException}.
 */
class AuthorisationCodecProperties {
  @Property(tries = 500)
  void request_roundTrips(@ForAll("requests") AuthorisationRequest request) {
    byte[] bytes = AuthorisationCodec.encode(request);

    assertThat(bytes.length).isLessThanOrEqualTo(AuthorisationCodec.REQUEST_BYTES_MAX);
    assertThat(AuthorisationCodec.decodeRequest(bytes)).isEqualTo(request);
    assertThat(AuthorisationCodec.peekRequestId(bytes)).hasValue(request.requestId());
  }

  @Property(tries = 500)
  void response_roundTrips(@ForAll("responses") AuthorisationResponse response) {
    byte[] bytes = AuthorisationCodec.encode(response);

    assertThat(bytes.length).isLessThanOrEqualTo(AuthorisationCodec.RESPONSE_BYTES_MAX);
    assertThat(AuthorisationCodec.decodeResponse(bytes)).isEqualTo(response);
  }

  @Property(tries = 1000)
  void decoders_onRandomBytes_returnAValidMessageOrRefuseTyped(@ForAll @Size(max = 600) byte[] bytes) {
    decodesOrRefusesTyped(bytes);
  }

  @Property(tries = 2000)
  void decoders_onMutatedRequests_returnAValidMessageOrRefuseTyped(@ForAll("requests") AuthorisationRequest request,
      @ForAll("mutations") Mutation mutation) {
    decodesOrRefusesTyped(mutation.apply(AuthorisationCodec.encode(request)));
  }

  @Property(tries = 1000)
  void decoders_onMutatedResponses_returnAValidMessageOrRefuseTyped(@ForAll("responses") AuthorisationResponse response,
      @ForAll("mutations") Mutation mutation) {
    decodesOrRefusesTyped(mutation.apply(AuthorisationCodec.encode(response)));
  }

  private static void decodesOrRefusesTyped(byte[] bytes) {
    try {
      AuthorisationRequest request = AuthorisationCodec.decodeRequest(bytes);
      // Whatever decodes is a valid request whose encoding is exactly these bytes (one form per message).
      assertThat(AuthorisationCodec.encode(request)).isEqualTo(bytes);
    } catch (ProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      AuthorisationResponse response = AuthorisationCodec.decodeResponse(bytes);
      assertThat(AuthorisationCodec.encode(response)).isEqualTo(bytes);
    } catch (ProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    AuthorisationCodec.peekRequestId(bytes).ifPresent(id -> assertThat(id).isPositive());
  }

  /** One change to an encoded message: flip a byte, cut the tail, or append a byte. */
  record Mutation(int kind, int position, byte value) {
    byte[] apply(byte[] bytes) {
      int at = Math.floorMod(position, bytes.length);
      return switch (kind) {
        case 0 -> {
          byte[] copy = bytes.clone();
          copy[at] = value;
          yield copy;
        }
        case 1 -> java.util.Arrays.copyOf(bytes, at);
        default -> {
          byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
          longer[bytes.length] = value;
          yield longer;
        }
      };
    }
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 1_000),
        Arbitraries.bytes()).as(Mutation::new);
  }

  @Provide
  Arbitrary<AuthorisationRequest> requests() {
    Arbitrary<Long> ids = Arbitraries.longs().between(1, Long.MAX_VALUE);
    Arbitrary<AuthorisationRequest> holds = Combinators.combine(ids, ids, ids, Arbitraries.longs().between(1, Long.MAX_VALUE),
        currencies(), Arbitraries.longs().between(AuthorisationRequest.TIMEOUT_MS_MIN, AuthorisationRequest.TIMEOUT_MS_MAX),
        references())
        .filter((requestId, account, payee, amount, currency, timeout, reference) -> !account.equals(payee))
        .as((requestId, account, payee, amount, currency, timeout, reference) ->
            new AuthorisationRequest.Hold(requestId, account, payee, Money.ofMinor(amount, currency), timeout, reference));
    Arbitrary<AuthorisationRequest> captures = Combinators.combine(ids, ids, ids)
        .filter((requestId, hold, amount) -> !requestId.equals(hold))
        .as(AuthorisationRequest.Capture::new);
    Arbitrary<AuthorisationRequest> releases = Combinators.combine(ids, ids)
        .filter((requestId, hold) -> !requestId.equals(hold))
        .as(AuthorisationRequest.Release::new);
    return Arbitraries.oneOf(holds, captures, releases);
  }

  @Provide
  Arbitrary<AuthorisationResponse> responses() {
    Arbitrary<ResultCode> codes = Arbitraries.of(ResultCode.class);
    return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), codes, Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.strings().ofMaxLength(120))
        .filter((requestId, code, holdId, detail) -> requestId > 0 || code == ResultCode.MALFORMED)
        .as((requestId, code, holdId, detail) -> code == ResultCode.APPROVED
            ? AuthorisationResponse.approved(requestId, Math.max(1, holdId))
            : AuthorisationResponse.refused(requestId, code, holdId, detail));
  }

  private static Arbitrary<CurrencyUnit> currencies() {
    Arbitrary<CurrencyUnit> made = Combinators.combine(Arbitraries.strings().withCharRange('A', 'Z').ofLength(3),
        Arbitraries.integers().between(1, 999), Arbitraries.integers().between(0, CurrencyUnit.MINOR_DIGITS_MAX))
        .as(CurrencyUnit::new);
    return Arbitraries.oneOf(Arbitraries.of(CurrencyUnit.common()), made);
  }

  private static Arbitrary<String> references() {
    // Printable ASCII, Latin/Greek/Cyrillic and CJK: up to 3 UTF-8 bytes a char, 40 chars stay within the bound.
    return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u04ff').withCharRange('\u4e00', '\u4fff')
        .ofMaxLength(40);
  }

  @Property(tries = 50)
  void clip_keepsAnyTextWithinTheDetailBound(@ForAll @Size(max = 400) String text, @ForAll @IntRange(min = 1, max = 9) int code) {
    AuthorisationResponse response = AuthorisationResponse.refused(7, ResultCode.ofWireCode(code), 0, text);
    assertThat(AuthorisationCodec.decodeResponse(AuthorisationCodec.encode(response))).isEqualTo(response);
  }
}
