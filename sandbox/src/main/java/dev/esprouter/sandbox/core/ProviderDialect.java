package dev.esprouter.sandbox.core;

import dev.esprouter.common.ProviderName;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * One provider's side of the conversation: its send routes (checked and answered its way), its
 * answers to faults, and its webhooks. The {@link SendPipeline} in front of it applies the profile
 * (down, hang, throttle, errors, latency) and keeps the record.
 */
public interface ProviderDialect {

  ProviderName name();

  /** The largest request body the provider takes; a bigger one is answered with {@link #tooLarge()}. */
  long bodyLimit();

  /** Mounts the provider's send routes, relative to its prefix ({@code /v3/mail/send} for SendGrid). */
  void mount(Router router, SendPipeline pipeline);

  /** The provider's answer when the profile's error rate strikes, for an error status such as 500 or 503. */
  Reply serverError(int status);

  /**
   * The provider's answer above the profile's {@code throttle_after_per_sec}, with its own retry
   * signal built from {@code retry_after_s}.
   */
  Reply throttled(Profile profile, long nowMs);

  /** The provider's answer to a body over {@link #bodyLimit()}. */
  Reply tooLarge();

  WebhookFormat webhooks();

  /** Called for every recipient once its outcome is drawn (Telegram remembers users who block the bot). */
  default void drawn(Delivery delivery, Outcome outcome) {
  }

  /** Forgets what the dialect remembers between requests ({@code POST /sandbox/reset}). */
  default void reset() {
  }

  /**
   * Takes the provider's own settings out of a {@code PUT /sandbox/providers/{name}} body (Meta's
   * {@code template_review}), checks them (a {@link ProfileException} refuses the whole change) and
   * returns what applies them, run only once the profile part was accepted too.
   */
  default Runnable ownSettings(JsonObject patch) {
    return () -> { };
  }

  /** Adds the provider's own settings to the JSON of its profile. */
  default JsonObject withOwnSettings(JsonObject profile) {
    return profile;
  }

  /** Mounts control routes of the provider's own under {@code base} ({@code /sandbox/providers/meta}). */
  default void mountControl(Router router, String base) {
  }
}
