package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void dockerHubBearerChallenge() {
    List<AuthChallenge> c = AuthChallenge.parse(List.of(
        "Bearer realm=\"https://auth.docker.io/token\","
        + "service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\""));
    assertEquals(1, c.size());
    assertTrue(c.get(0).isBearer());
    assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
        "scope", "repository:samalba/my-app:pull,push"), c.get(0).params());
  }

  @Test
  void severalChallengesInOneHeaderAndQuotedEscapes() {
    // RFC 7235 section 4.1's example, plus a basic challenge
    List<AuthChallenge> c = AuthChallenge.parse(List.of(
        "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\""));
    assertEquals(2, c.size());
    assertEquals("newauth", c.get(0).scheme());
    assertEquals(Optional.of("apps"), c.get(0).param("realm"));
    assertEquals(Optional.of("1"), c.get(0).param("TYPE"));
    assertEquals(Optional.of("Login to \"apps\""), c.get(0).param("title"));
    assertTrue(c.get(1).isBasic());
    assertEquals(Optional.of("simple"), c.get(1).param("realm"));
  }

  @Test
  void challengesAcrossHeadersWhitespaceAndCase() {
    List<AuthChallenge> c = AuthChallenge.parse(List.of("BASIC Realm = \"a, b\" ",
        "bearer realm=https://x/token , service=reg,scope=\"repository:a:pull\""));
    assertEquals(2, c.size());
    assertEquals(Optional.of("a, b"), c.get(0).param("realm"));
    assertTrue(c.get(1).isBearer());
    assertEquals(Optional.of("https://x/token"), c.get(1).param("realm"));
    assertEquals(Optional.of("reg"), c.get(1).param("service"));
    assertEquals(Optional.of("repository:a:pull"), c.get(1).param("scope"));
  }

  @Test
  void token68AndBareSchemes() {
    List<AuthChallenge> c = AuthChallenge.parse(List.of("Negotiate abc+/def==, Basic, Bearer"));
    assertEquals(3, c.size());
    assertEquals(Optional.of("abc+/def=="), c.get(0).token68());
    assertTrue(c.get(1).params().isEmpty());
    assertTrue(c.get(2).isBearer());
  }

  @Test
  void errorParamOfInsufficientScope() {
    List<AuthChallenge> c = AuthChallenge.parse(List.of("Bearer realm=\"https://r/t\","
        + "service=\"s\",scope=\"repository:x:pull,push\",error=\"insufficient_scope\""));
    assertEquals(Optional.of("insufficient_scope"), c.get(0).param("error"));
  }

  @Test
  void garbageDoesNotThrow() {
    assertTrue(AuthChallenge.parse(List.of("", " , ,", "=\"x\"")).isEmpty());
    List<AuthChallenge> c = AuthChallenge.parse(List.of("Bearer realm=\"unterminated"));
    assertEquals(Optional.of("unterminated"), c.get(0).param("realm"));
  }
}
