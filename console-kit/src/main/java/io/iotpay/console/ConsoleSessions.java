package io.iotpay.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A console's sessions, in memory: a random id (the cookie) mapped to the session's CSRF token and
 * the operator who logged in on it, if any. A visitor gets an anonymous session (for the login form's CSRF
 * token); logging in ends it and starts a new one under a new id, so an id planted before login is
 * worth nothing after it (no session fixation). Bounded: at most {@link #ANONYMOUS_MAX} anonymous and
 * {@link #OPERATOR_SESSIONS_MAX} operator sessions, each kept apart so a flood of login pages cannot push
 * an operator out; the least recently used goes first, and a session idle for {@link #IDLE_MAX} is gone.
 */
public final class ConsoleSessions {
  /** Anonymous sessions kept at once: a bound on memory, whoever asks for login pages. */
  public static final int ANONYMOUS_MAX = 10_000;
  /** Operator sessions kept at once (browsers logged in). */
  public static final int OPERATOR_SESSIONS_MAX = 100;
  /** A session unused this long is forgotten: the operator logs in again. */
  public static final Duration IDLE_MAX = Duration.ofMinutes(30);
  /** Random bytes in a session id and in a CSRF token (256 bits: not guessable). */
  private static final int RANDOM_BYTES = 32;

  /**
   * One session.
   *
   * @param id the cookie's value
   * @param csrfToken the token every form of this session carries
   * @param operator the name of the operator (or read-only user) who logged in on it, "" before login
   * @param readOnly whether the session may only read: a user's, who may open pages but post no form
   *     but logout ({@link ConsoleGuard} refuses the rest)
   */
  public record Session(String id, String csrfToken, String operator, boolean readOnly) {
    /** Whether an operator logged in on this session. */
    public boolean loggedIn() {
      return !operator.isEmpty();
    }

    /** Whether {@code token} is this session's CSRF token, compared in constant time. */
    public boolean csrfMatches(String token) {
      return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Session[operator=" + operator + ", readOnly=" + readOnly + "]"; // never the id nor the CSRF token
    }
  }

  private record Entry(Session session, Instant lastUsed) {}

  private final SecureRandom random;
  private final Clock clock;
  private final Map<String, Entry> anonymous = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Entry> operators = new LinkedHashMap<>(16, 0.75f, true);

  /** @param random for session ids and CSRF tokens; @param clock for idle expiry */
  public ConsoleSessions(SecureRandom random, Clock clock) {
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new anonymous session (before login). */
  public synchronized Session anonymous() {
    return add("", false);
  }

  /** The live session with this id, touched; empty for an unknown, idle or absent id. */
  public synchronized Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Map<String, Entry> sessions = operators.containsKey(id) ? operators : anonymous;
    Entry entry = sessions.get(id);
    Instant now = clock.instant();
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.lastUsed().plus(IDLE_MAX).isBefore(now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    sessions.put(id, new Entry(entry.session(), now));
    return Optional.of(entry.session());
  }

  /**
   * Ends {@code previous} (if any) and starts {@code operator}'s session under a new id.
   *
   * @param operator the operator's name, not empty
   */
  public synchronized Session login(String previous, String operator) {
    return login(previous, operator, false);
  }

  /**
   * As {@link #login(String, String)}, for a session that may only read when {@code readOnly}.
   *
   * @param name the operator's or user's name, not empty
   */
  public synchronized Session login(String previous, String name, boolean readOnly) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an operator's session needs the operator's name");
    }
    end(previous);
    return add(name, readOnly);
  }

  /** Forgets the session; nothing happens for an unknown id. */
  public synchronized void end(String id) {
    if (id != null) {
      anonymous.remove(id);
      operators.remove(id);
    }
  }

  private Session add(String operator, boolean readOnly) {
    Session session = new Session(randomToken(), randomToken(), operator, readOnly);
    Map<String, Entry> sessions = session.loggedIn() ? operators : anonymous;
    int sessionsMax = session.loggedIn() ? OPERATOR_SESSIONS_MAX : ANONYMOUS_MAX;
    Instant now = clock.instant();
    sessions.entrySet().removeIf(e -> e.getValue().lastUsed().plus(IDLE_MAX).isBefore(now));
    Iterator<String> eldest = sessions.keySet().iterator();
    while (sessions.size() >= sessionsMax && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
    sessions.put(session.id(), new Entry(session, now));
    return session;
  }

  private String randomToken() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
