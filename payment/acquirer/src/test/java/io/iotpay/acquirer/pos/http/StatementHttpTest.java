package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The day endpoints on an API with no host attached (the registry alone): a merchant's token is
 * checked first, the date next, then 503 (the figures with a host: {@code MerchantDayTest}).
 */
class StatementHttpTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void withoutAHost_tokenThenDateThen503(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = OnboardingHttpTest.fixture(suite, Database.Dialect.SQLITE, dir)) {
      JsonNode merchant = f.post("/v1/pos/merchants", null, OnboardingHttpTest.registration(f).toString()).body();
      String token = merchant.get("merchant_token").asText();
      for (String path : List.of("/v1/pos/merchant/day", "/v1/pos/merchant/transactions.csv")) {
        assertThat(f.get(path + "?date=2026-12-07", null).status()).isEqualTo(401);
        assertThat(f.get(path + "?date=2026-12-07", PosFixture.ALICE_TOKEN).status()).isEqualTo(401);
        PosFixture.Answer bad = f.get(path + "?date=07.12.2026", token);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("error").asText()).isEqualTo("BAD_REQUEST");
        PosFixture.Answer none = f.get(path + "?date=2026-12-07", token);
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.body().get("error").asText()).isEqualTo("UNAVAILABLE");
      }
    }
  }

  @Test
  void date_strictCalendarDates() {
    assertThat(StatementEndpoints.date("2024-02-29")).hasToString("2024-02-29");
    for (String bad : new String[] {null, "", "2023-02-29", "2026-1-01", "20261207", " 2026-12-07", "2026-12-07x",
        "+2026-12-07", "٢٠٢٦-١٢-٠٧"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatementEndpoints.date(bad))
          .as(String.valueOf(bad)).isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }
  }
}
