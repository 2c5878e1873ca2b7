package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.OutcomeOdds;
import dev.esprouter.sandbox.core.Profile;

/**
 * The profiles each provider starts with (and returns to on {@code POST /sandbox/reset}). They
 * differ on purpose, so the router's weights visibly diverge on a laptop: Postmark delivers and is
 * opened best, SparkPost bounces clearly more, SocketLabs is the slow one. Latencies stay in the
 * tens of milliseconds so that a benchmark is never bound by the sandbox.
 */
final class DefaultProfiles {

  private DefaultProfiles() {
  }

  static Profile of(ProviderName p) {
    return switch (p) {
      case SENDGRID -> profile(15, 60, OutcomeOdds.of(0.010, 0.012, 0.003, 0.0008, 0.30, 0.05), 2_000);
      case POSTMARK -> profile(12, 45, OutcomeOdds.of(0.005, 0.004, 0.001, 0.0003, 0.42, 0.08), 1_000);
      case SOCKETLABS -> profile(45, 180, OutcomeOdds.of(0.012, 0.015, 0.004, 0.0010, 0.25, 0.04), 1_500);
      case SPARKPOST -> profile(20, 80, OutcomeOdds.of(0.030, 0.070, 0.008, 0.0030, 0.20, 0.02), 2_500);
      // WhatsApp: bounced = failed (not a WhatsApp user), opened = read; no clicks or complaints.
      case META -> profile(25, 100, OutcomeOdds.of(0.004, 0.015, 0.0, 0.0, 0.65, 0.0), 800);
      // Telegram: bounced = the user blocked the bot (a my_chat_member update; later sends get 403).
      case TELEGRAM -> profile(15, 50, OutcomeOdds.of(0.0, 0.008, 0.0, 0.0, 0.0, 0.0), 500);
    };
  }

  private static Profile profile(int p50, int p99, OutcomeOdds odds, int webhookDelayMs) {
    return new Profile(p50, p99, 0.0, 503, 0, 1, false, false, odds, true, webhookDelayMs);
  }
}
