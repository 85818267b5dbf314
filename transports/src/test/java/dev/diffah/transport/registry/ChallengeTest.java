package dev.diffah.transport.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void bearerWithQuotedScopeHoldingCommas() {
    List<Challenge> all =
        Challenge.parseAll("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"");
    assertThat(all).containsExactly(
        new Challenge("bearer", Map.of(
            "realm", "https://auth.example.com/token",
            "service", "registry.example.com",
            "scope", "repository:a/b:pull,push")));
  }

  @Test
  void severalChallengesSpacesEscapesAndBareTokens() {
    List<Challenge> all = Challenge.parseAll("Basic realm=\"Registry \\\"R\\\"\" , Bearer realm=x, error=insufficient_scope");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).isBasic()).isTrue();
    assertThat(all.get(0).param("realm")).contains("Registry \"R\"");
    assertThat(all.get(1).isBearer()).isTrue();
    assertThat(all.get(1).params()).containsEntry("realm", "x").containsEntry("error", "insufficient_scope");
  }

  @Test
  void schemeCaseAndParamNamesAreCaseInsensitive() {
    Challenge c = Challenge.parseAll("BEARER Realm=\"r\"").get(0);
    assertThat(c.isBearer()).isTrue();
    assertThat(c.param("realm")).contains("r");
  }

  @Test
  void nothingToParse() {
    assertThat(Challenge.parseAll(null)).isEmpty();
    assertThat(Challenge.parseAll("  ,  ")).isEmpty();
  }
}
