package dev.esprouter.analytics.http;

/**
 * Who a dashboard or stats request is from: the operator (signed in with {@code ESP_ADMIN_TOKEN}; sees
 * every tenant's traffic) or one tenant (signed in with one of its API keys; sees its own).
 *
 * @param tenantId null for the operator
 * @param name     the tenant's name, or {@code operator}
 */
public record Principal(String tenantId, String name) {

  static final Principal OPERATOR = new Principal(null, "operator");

  public boolean operator() {
    return tenantId == null;
  }
}
