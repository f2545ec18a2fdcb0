package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retry-After, backoff, Link, ranges, insecure host matching and the HTTP policy. */
class SmallPartsTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterSecondsAndHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(Optional.of(" 7 "), clock));
    assertEquals(Optional.of(Duration.ofSeconds(90)),
        RetryAfter.parse(Optional.of("Sun, 01 Mar 2026 10:01:30 GMT"), clock));
    assertEquals(Optional.of(Duration.ZERO),
        RetryAfter.parse(Optional.of("Sun, 01 Mar 2026 09:00:00 GMT"), clock));
    assertEquals(Optional.empty(), RetryAfter.parse(Optional.of("soon"), clock));
    assertEquals(Optional.empty(), RetryAfter.parse(Optional.empty(), clock));
  }

  @Test
  void backoffDoublesWithJitterAndCaps() {
    RetryPolicy p = RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .withRandom(new Random(1));
    for (int retry = 1; retry <= 8; retry++) {
      long full = Math.min(100L << (retry - 1), 1000);
      long d = p.delay(retry, Optional.empty()).toMillis();
      assertTrue(d >= full / 2 && d <= full, "retry " + retry + ": " + d + " not in ["
          + full / 2 + ", " + full + "]");
    }
    assertEquals(Duration.ofSeconds(3), p.delay(1, Optional.of(Duration.ofSeconds(3))));
    assertEquals(Duration.ofSeconds(60), p.delay(1, Optional.of(Duration.ofHours(1))),
        "Retry-After is capped");
  }

  @Test
  void linkNextRelativeAbsoluteAndOtherRels() {
    URI base = URI.create("http://r:5000/v2/a/tags/list?n=2");
    assertEquals(Optional.of(URI.create("http://r:5000/v2/a/tags/list?last=b&n=2")),
        LinkHeader.next(List.of("</v2/a/tags/list?last=b&n=2>; rel=\"next\""), base));
    assertEquals(Optional.of(URI.create("https://other/x")),
        LinkHeader.next(List.of("<https://other/p>; rel=prev, <https://other/x>; rel=\"next\""),
            base));
    assertEquals(Optional.empty(), LinkHeader.next(List.of("</x>; rel=\"prev\""), base));
  }

  @Test
  void uploadAndContentRanges() {
    assertEquals(Optional.of(1023L), UploadRanges.uploadEnd(Optional.of("0-1023")));
    assertEquals(Optional.of(9L), UploadRanges.uploadEnd(Optional.of("bytes=0-9")));
    assertEquals(Optional.empty(), UploadRanges.uploadEnd(Optional.of("junk")));
    assertEquals(Optional.of(100L),
        UploadRanges.contentRangeStart(Optional.of("bytes 100-199/200")));
    assertEquals(Optional.of(5L), UploadRanges.contentRangeStart(Optional.of("bytes 5-9/*")));
    assertEquals(Optional.empty(), UploadRanges.contentRangeStart(Optional.of("bytes */200")));
  }

  @Test
  void insecureHostForms() {
    InsecureHosts h = new InsecureHosts(Set.of("reg.example:5000", "plain.example",
        "*.corp.example", "10.1.0.0/16", "https://schemed.example/", "[fd00::1]:5000"));
    assertTrue(h.contains("reg.example:5000"));
    assertFalse(h.contains("reg.example:5001"));
    assertTrue(h.contains("plain.example:443"));
    assertTrue(h.contains("a.b.corp.example"));
    assertFalse(h.contains("corp.example.evil"));
    assertTrue(h.contains("10.1.200.3:5000"));
    assertFalse(h.contains("10.2.0.1"));
    assertTrue(h.contains("schemed.example"));
    assertTrue(h.contains("[fd00::1]:5000"));
  }

  @Test
  void loopbackNames() {
    assertTrue(InsecureHosts.isLoopback("localhost"));
    assertTrue(InsecureHosts.isLoopback("127.0.0.1"));
    assertTrue(InsecureHosts.isLoopback("127.3.4.5"));
    assertTrue(InsecureHosts.isLoopback("[::1]"));
    assertFalse(InsecureHosts.isLoopback("127.example.com"));
    assertFalse(InsecureHosts.isLoopback("192.0.2.2"));
  }

  @Test
  void plainHttpPolicy() throws Exception {
    HostPolicy secure = new HostPolicy("reg.example", "reg.example", false, false,
        new InsecureHosts(Set.of("mirror.example")));
    assertFalse(secure.allowsPlainHttp(URI.create("http://reg.example/v2/")));
    assertFalse(secure.allowsPlainHttp(URI.create("http://auth.example/token")));
    assertTrue(secure.allowsPlainHttp(URI.create("http://127.0.0.1:9/token")));
    assertTrue(secure.allowsPlainHttp(URI.create("http://mirror.example/x")));
    assertTrue(secure.verifiesTls(URI.create("https://reg.example/v2/")));
    assertFalse(secure.verifiesTls(URI.create("https://mirror.example/v2/")));
    io.zlayer.domain.error.RegistryException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.zlayer.domain.error.RegistryException.class,
        () -> secure.checkScheme(URI.create("http://auth.example/token"), "the token service"));
    assertEquals(io.zlayer.domain.error.RegistryException.Kind.INSECURE_REFUSED, e.kind());
    assertTrue(e.getMessage().contains("auth.example"), e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("--insecure-registry reg.example"));

    HostPolicy insecure = new HostPolicy("reg.example", "reg.example", false, true,
        new InsecureHosts(Set.of("reg.example")));
    assertTrue(insecure.allowsPlainHttp(URI.create("http://auth.example/token")));
    assertFalse(insecure.verifiesTls(URI.create("https://reg.example/v2/")));
    assertTrue(insecure.verifiesTls(URI.create("https://auth.example/token")));
  }

  @Test
  void sameOriginIgnoresDefaultPorts() {
    assertTrue(HostPolicy.sameOrigin(URI.create("https://r.example/v2/"),
        URI.create("https://R.example:443")));
    assertFalse(HostPolicy.sameOrigin(URI.create("https://r.example/v2/"),
        URI.create("http://r.example")));
    assertFalse(HostPolicy.sameOrigin(URI.create("http://127.0.0.1:5000/"),
        URI.create("http://127.0.0.1:5001/")));
  }
}
