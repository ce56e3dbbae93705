package io.iotpay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.console.ConsoleSessions.Session;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The console's session store: new ids at login, idle expiry, and its bounds. */
class ConsoleSessionsTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T06:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  private final ConsoleSessions sessions = new ConsoleSessions(new SecureRandom(), clock);

  @Test
  void login_endsTheAnonymousSession_andStartsOneUnderANewId() {
    Session anonymous = sessions.anonymous();
    assertThat(anonymous.loggedIn()).isFalse();
    Session operator = sessions.login(anonymous.id(), "alice");
    assertThat(operator.loggedIn()).isTrue();
    assertThat(operator.operator()).isEqualTo("alice");
    assertThat(operator.id()).isNotEqualTo(anonymous.id());
    assertThat(operator.csrfToken()).isNotEqualTo(anonymous.csrfToken());
    assertThat(sessions.find(anonymous.id())).isEmpty();
    assertThat(sessions.find(operator.id())).contains(operator);
    assertThat(operator.id()).matches("[A-Za-z0-9_-]{43}");
    assertThat(operator.toString()).doesNotContain(operator.id()).doesNotContain(operator.csrfToken());
  }

  @Test
  void readOnlyLogin_isALoggedInSessionThatSaysItMayOnlyRead_underANewId() {
    Session anonymous = sessions.anonymous();
    assertThat(anonymous.readOnly()).isFalse();
    Session reader = sessions.login(anonymous.id(), "bob", true);
    assertThat(reader.loggedIn()).isTrue();
    assertThat(reader.readOnly()).isTrue();
    assertThat(reader.operator()).isEqualTo("bob");
    assertThat(reader.id()).isNotEqualTo(anonymous.id());
    assertThat(sessions.find(anonymous.id())).isEmpty();
    assertThat(sessions.find(reader.id())).contains(reader);
    assertThat(sessions.login(null, "alice").readOnly()).as("an operator's login acts").isFalse();
  }

  @Test
  void login_withoutAnOperatorName_isRefused() {
    Session anonymous = sessions.anonymous();
    assertThatThrownBy(() -> sessions.login(anonymous.id(), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sessions.find(anonymous.id())).as("nothing changed").isPresent();
  }

  @Test
  void csrf_matchesOnlyTheSessionsOwnToken() {
    Session session = sessions.anonymous();
    assertThat(session.csrfMatches(session.csrfToken())).isTrue();
    assertThat(session.csrfMatches(null)).isFalse();
    assertThat(session.csrfMatches("")).isFalse();
    assertThat(session.csrfMatches(session.csrfToken() + "x")).isFalse();
    assertThat(session.csrfMatches(sessions.anonymous().csrfToken())).isFalse();
  }

  @Test
  void aSessionIdleTooLong_isGone_butUseKeepsItAlive() {
    Session used = sessions.login(null, "alice");
    Session idle = sessions.login(null, "alice");
    now.set(now.get().plus(ConsoleSessions.IDLE_MAX.minusMinutes(1)));
    assertThat(sessions.find(used.id())).isPresent();
    now.set(now.get().plus(Duration.ofMinutes(2)));
    assertThat(sessions.find(idle.id())).isEmpty();
    assertThat(sessions.find(used.id())).isPresent();
  }

  @Test
  void aFloodOfLoginPages_cannotPushAnOperatorOut() {
    Session operator = sessions.login(null, "alice");
    Session firstAnonymous = sessions.anonymous();
    for (int i = 0; i < ConsoleSessions.ANONYMOUS_MAX + 10; i++) {
      sessions.anonymous();
    }
    assertThat(sessions.find(operator.id())).isPresent();
    assertThat(sessions.find(firstAnonymous.id())).as("the oldest anonymous session went first").isEmpty();
    for (int i = 0; i < ConsoleSessions.OPERATOR_SESSIONS_MAX; i++) {
      sessions.login(null, "alice");
    }
    assertThat(sessions.find(operator.id())).as("past its bound the least recently used operator session goes").isEmpty();
  }
}
