package dev.diffah.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.UsageException;
import org.junit.jupiter.api.Test;

class PlatformTest {
  @Test
  void arm64MeansArm64V8() {
    assertThat(Platform.parse("linux/arm64").matches(new Platform("linux", "arm64", "v8"))).isTrue();
    assertThat(Platform.parse("linux/arm64/v8").matches(new Platform("linux", "arm64", null))).isTrue();
    assertThat(Platform.parse("linux/amd64").matches(new Platform("linux", "arm64", null))).isFalse();
  }

  @Test
  void olderVariantsAreCompatibleNewerAreNot() {
    Platform v7 = Platform.parse("linux/arm/v7");
    assertThat(v7.isCompatibleWith(Platform.parse("linux/arm/v6"))).isTrue();
    assertThat(Platform.parse("linux/arm/v6").isCompatibleWith(v7)).isFalse();
  }

  @Test
  void rejectsMalformedPlatforms() {
    assertThatThrownBy(() -> Platform.parse("linux")).isInstanceOf(UsageException.class).hasMessageContaining("'linux'");
    assertThatThrownBy(() -> Platform.parse("linux//v8")).isInstanceOf(UsageException.class);
  }

  @Test
  void variantsRankByNumberNotText() {
    assertThat(Platform.parse("linux/arm/v10").variantRank()).isGreaterThan(Platform.parse("linux/arm/v9").variantRank());
    assertThat(Platform.parse("linux/amd64").variantRank()).isZero();
  }
}
