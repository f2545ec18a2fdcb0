package io.zlayer.adapters.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * How often and how patiently transient registry failures (connection errors, 429, 5xx, dropped
 * transfers) are retried: exponential backoff with jitter, honouring {@code Retry-After}.
 *
 * @param maxAttempts attempts per request, the first one included (at least 1)
 * @param initialBackoff the delay before the second attempt; it doubles for each further one
 * @param maxBackoff the longest computed delay
 * @param maxRetryAfter the longest {@code Retry-After} honoured; longer values are cut to this
 * @param sleeper waits between attempts (tests pass one that does not sleep)
 * @param clock for {@code Retry-After} HTTP dates and token expiry
 * @param random jitter source
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
    Duration maxRetryAfter, Sleeper sleeper, Clock clock, Random random) {

  /** Waits; replaceable so tests run fast. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500),
      Duration.ofSeconds(20), Duration.ofSeconds(60), Sleeper.REAL, Clock.systemUTC(),
      new Random());

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(initialBackoff);
    Objects.requireNonNull(maxBackoff);
    Objects.requireNonNull(maxRetryAfter);
    Objects.requireNonNull(sleeper);
    Objects.requireNonNull(clock);
    Objects.requireNonNull(random);
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxRetryAfter, sleeper, clock,
        random);
  }

  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, initial, max, maxRetryAfter, sleeper, clock, random);
  }

  public RetryPolicy withSleeper(Sleeper newSleeper) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, newSleeper,
        clock, random);
  }

  public RetryPolicy withClock(Clock newClock) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, sleeper,
        newClock, random);
  }

  public RetryPolicy withRandom(Random newRandom) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, sleeper, clock,
        newRandom);
  }

  /**
   * The delay before retry number {@code retry} (1 for the first retry): the server's
   * {@code Retry-After} when given (capped), else a jittered exponential backoff between half
   * and all of {@code initialBackoff * 2^(retry-1)}, capped at {@code maxBackoff}.
   */
  public Duration delay(int retry, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      Duration d = retryAfter.get();
      if (d.isNegative()) {
        return Duration.ZERO;
      }
      return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
    }
    long base = initialBackoff.toNanos();
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long exp = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    long capped = Math.min(exp, maxBackoff.toNanos());
    long half = capped / 2;
    long jitter = half == 0 ? 0 : (long) (random.nextDouble() * (capped - half));
    return Duration.ofNanos(half + jitter);
  }

  void pause(int retry, Optional<Duration> retryAfter) throws InterruptedException {
    Duration d = delay(retry, retryAfter);
    if (!d.isZero()) {
      sleeper.sleep(d);
    }
  }
}
