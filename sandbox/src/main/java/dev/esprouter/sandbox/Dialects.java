package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.Credentials;
import dev.esprouter.sandbox.core.ProviderDialect;
import dev.esprouter.sandbox.meta.MetaDialect;
import dev.esprouter.sandbox.meta.MetaWebhooks;
import dev.esprouter.sandbox.postmark.PostmarkDialect;
import dev.esprouter.sandbox.postmark.PostmarkWebhooks;
import dev.esprouter.sandbox.sendgrid.SendGridDialect;
import dev.esprouter.sandbox.sendgrid.SendGridWebhooks;
import dev.esprouter.sandbox.socketlabs.SocketLabsDialect;
import dev.esprouter.sandbox.socketlabs.SocketLabsWebhooks;
import dev.esprouter.sandbox.sparkpost.SparkPostDialect;
import dev.esprouter.sandbox.sparkpost.SparkPostWebhooks;
import dev.esprouter.sandbox.telegram.TelegramDialect;
import dev.esprouter.sandbox.telegram.TelegramWebhooks;
import java.util.List;

/** The six providers' dialects, built for one sandbox. */
final class Dialects {

  private Dialects() {
  }

  static List<ProviderDialect> create(SandboxOptions options, long seed) {
    return List.of(
        new SendGridDialect(creds(options, ProviderName.SENDGRID), new SendGridWebhooks(seed)),
        new PostmarkDialect(creds(options, ProviderName.POSTMARK), new PostmarkWebhooks(seed)),
        new SocketLabsDialect(creds(options, ProviderName.SOCKETLABS), new SocketLabsWebhooks(),
            options.socketLabsMaxMessages()),
        new SparkPostDialect(creds(options, ProviderName.SPARKPOST), new SparkPostWebhooks(seed)),
        new MetaDialect(creds(options, ProviderName.META), new MetaWebhooks(), options.webhookBase(),
            options.webhooks()),
        new TelegramDialect(creds(options, ProviderName.TELEGRAM), new TelegramWebhooks()));
  }

  private static Credentials creds(SandboxOptions options, ProviderName p) {
    return new Credentials(options.credentials(p));
  }
}
