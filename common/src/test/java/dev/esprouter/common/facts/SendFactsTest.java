package dev.esprouter.common.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendFactsTest {

  @Test
  @DisplayName("Facts survive the wire whole, provider ids one each or shared")
  void roundTrip() {
    SendFacts f = new SendFacts("bat_1/0", 2, "ten_a", "bat_1", "cmp_1", Channel.EMAIL,
        Instant.parse("2026-12-04T10:00:00Z"),
        List.of(new SendFacts.Accepted(ProviderName.SENDGRID, List.of("m1", "m2"), List.of("x-1"),
                Map.of(DomainGroup.GMAIL, 1, DomainGroup.OTHER, 1)),
            new SendFacts.Accepted(ProviderName.POSTMARK, List.of("m3", "m4"), List.of("p3", "p4"), Map.of())),
        List.of(new SendFacts.Failed("m5", ProviderName.POSTMARK, "406 inactive"), new SendFacts.Failed("m6", null, "pin")),
        List.of(new SendFacts.Failover("m3", ProviderName.SPARKPOST, "transient", "503")),
        new SendFacts.Moved(List.of("m7"), "no provider", Instant.parse("2026-12-04T10:00:05Z")),
        new SendFacts.Moved(List.of("m8"), "exhausted", null), SendFacts.Moved.NONE, List.of("m9"));
    SendFacts back = SendFacts.fromBuffer(f.toBuffer());
    assertThat(back).isEqualTo(f);
    assertThat(back.accepted().get(0).providerIdOf(1)).isEqualTo("x-1");
    assertThat(back.accepted().get(1).providerIdOf(1)).isEqualTo("p4");
    assertThat(back.isEmpty()).isFalse();
  }
}
