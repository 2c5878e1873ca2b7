package dev.esprouter.providers.webhook;

import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.meta.MetaEventParser;
import dev.esprouter.providers.postmark.PostmarkEventParser;
import dev.esprouter.providers.sendgrid.SendGridEventParser;
import dev.esprouter.providers.socketlabs.SocketLabsEventParser;
import dev.esprouter.providers.sparkpost.SparkPostEventParser;
import dev.esprouter.providers.telegram.TelegramUpdateParser;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * The webhook parser of every provider. Parsers are stateless and thread-safe, so one instance each
 * serves the whole process: {@code WebhookParsers.forProvider(ProviderName.SENDGRID).parse(body)}.
 */
public final class WebhookParsers {

  private static final Map<ProviderName, WebhookParser> PARSERS = new EnumMap<>(ProviderName.class);

  static {
    for (WebhookParser p : new WebhookParser[] {new SendGridEventParser(), new PostmarkEventParser(),
        new SocketLabsEventParser(), new SparkPostEventParser(), new MetaEventParser(), new TelegramUpdateParser()}) {
      PARSERS.put(p.provider(), p);
    }
  }

  private WebhookParsers() {
  }

  public static WebhookParser forProvider(ProviderName provider) {
    return PARSERS.get(provider);
  }

  /** All six, in {@link ProviderName} order. */
  public static Collection<WebhookParser> all() {
    return java.util.Collections.unmodifiableCollection(PARSERS.values());
  }
}
