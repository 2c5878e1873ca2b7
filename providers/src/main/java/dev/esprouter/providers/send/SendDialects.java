package dev.esprouter.providers.send;

import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.providers.meta.MetaSendDialect;
import dev.esprouter.providers.postmark.PostmarkSendDialect;
import dev.esprouter.providers.sendgrid.SendGridSendDialect;
import dev.esprouter.providers.socketlabs.SocketLabsSendDialect;
import dev.esprouter.providers.sparkpost.SparkPostSendDialect;
import dev.esprouter.providers.telegram.TelegramSendDialect;
import java.time.Clock;

/**
 * Builds each provider's {@link SendDialect} from its settings. Dialect options that are not
 * credentials are read from the config: {@code POSTMARK_MESSAGE_STREAM} (default {@code outbound}),
 * {@code META_API_VERSION} (default {@code v21.0}), {@code SOCKETLABS_MAX_RECIPIENTS_PER_CALL}
 * (default 500). In sandbox mode a missing credential is replaced by a well-formed placeholder,
 * which the sandbox accepts (API.md § Sandbox).
 */
public final class SendDialects {

  private SendDialects() {
  }

  public static SendDialect create(ProviderSettings s, ConfigReader c, Clock clock) {
    return switch (s.name()) {
      case SENDGRID -> new SendGridSendDialect(cred(s, "SENDGRID_API_KEY", "SG.sandbox"), clock);
      case POSTMARK -> new PostmarkSendDialect(cred(s, "POSTMARK_SERVER_TOKEN", "sandbox-postmark-token"),
          c.string("POSTMARK_MESSAGE_STREAM", "outbound"));
      case SOCKETLABS -> new SocketLabsSendDialect(cred(s, "SOCKETLABS_SERVER_ID", "10000"),
          cred(s, "SOCKETLABS_API_KEY", "sandbox-socketlabs-key"),
          c.integer("SOCKETLABS_MAX_RECIPIENTS_PER_CALL", 500, 1, 10_000));
      case SPARKPOST -> new SparkPostSendDialect(cred(s, "SPARKPOST_API_KEY", "sandbox-sparkpost-key"), clock);
      case META -> new MetaSendDialect(cred(s, "META_ACCESS_TOKEN", "sandbox-meta-token"),
          cred(s, "META_PHONE_NUMBER_ID", "100000000000001"), c.string("META_API_VERSION", "v21.0"));
      case TELEGRAM -> new TelegramSendDialect(cred(s, "TELEGRAM_BOT_TOKEN", "123456:sandbox-telegram-token"));
    };
  }

  private static String cred(ProviderSettings s, String variable, String sandboxPlaceholder) {
    return s.credential(variable).orElse(sandboxPlaceholder);
  }
}
