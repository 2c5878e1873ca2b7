package dev.esprouter.sandbox.core;

import dev.esprouter.common.ProviderName;

/** What every dialect holds: its provider, body limit, accepted credentials and webhook format. */
public abstract class BaseDialect implements ProviderDialect {

  protected final Credentials credentials;
  private final ProviderName name;
  private final long bodyLimit;
  private final WebhookFormat webhooks;

  protected BaseDialect(ProviderName name, long bodyLimit, Credentials credentials, WebhookFormat webhooks) {
    this.name = name;
    this.bodyLimit = bodyLimit;
    this.credentials = credentials;
    this.webhooks = webhooks;
  }

  @Override
  public final ProviderName name() {
    return name;
  }

  @Override
  public final long bodyLimit() {
    return bodyLimit;
  }

  @Override
  public final WebhookFormat webhooks() {
    return webhooks;
  }
}
