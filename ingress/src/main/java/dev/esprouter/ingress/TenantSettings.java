package dev.esprouter.ingress;

import dev.esprouter.common.Language;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tenant settings {@code PATCH /admin/tenants/{id}} changes, one line each: the JSON name (also
 * the column of {@code tenants}), its SQL type and how a given value is checked. A field left out of
 * the body keeps its value; {@code null} clears a setting that may be empty. One statement updates
 * them all ({@link #UPDATE}).
 */
final class TenantSettings {

  /** One setting: {@code check} turns a given JSON value into the stored one or throws {@link Invalid}. */
  record Setting(String name, String sqlType, boolean nullable, Function<Object, Object> check) {
  }

  static final List<Setting> SETTINGS = List.of(
      new Setting("rate_limit_per_sec", "integer", true, TenantSettings::rate),
      new Setting("default_language", "text", true, TenantSettings::language),
      new Setting("whatsapp_unregistered_templates", "text", false, TenantSettings::allowOrRefuse),
      // Read by the campaigns module: a started campaign waits in pending_approval for an operator.
      new Setting("campaign_approval_required", "boolean", false, TenantSettings::bool));

  private static final int MAX_RATE = 10_000_000;

  /** {@code $1} the tenant id; then per setting a flag (given or not) and the value. */
  static final String UPDATE = "update tenants set " + java.util.stream.IntStream.range(0, SETTINGS.size())
      .mapToObj(i -> {
        Setting s = SETTINGS.get(i);
        return s.name() + " = case when $" + (2 + 2 * i) + " then $" + (3 + 2 * i) + "::" + s.sqlType() + " else "
            + s.name() + " end";
      }).collect(Collectors.joining(", "))
      + " where id = $1 returning name, " + SETTINGS.stream().map(Setting::name).collect(Collectors.joining(", "));

  private TenantSettings() {
  }

  /** The statement's arguments for a PATCH body; unknown fields and bad values are refused. */
  static Tuple updateArgs(String tenantId, JsonObject body) {
    for (String f : body.fieldNames()) {
      if (SETTINGS.stream().noneMatch(s -> s.name().equals(f))) {
        throw Invalid.field("unknown_field", f.length() > 64 ? f.substring(0, 64) : f, "is not a field you can change ("
            + SETTINGS.stream().map(Setting::name).collect(Collectors.joining(", ")) + ")");
      }
    }
    Tuple t = Tuple.tuple().addString(tenantId);
    for (Setting s : SETTINGS) {
      boolean given = body.containsKey(s.name());
      Object raw = body.getValue(s.name());
      if (given && raw == null && !s.nullable()) {
        throw Invalid.field("invalid_field", s.name(), "cannot be null");
      }
      t.addBoolean(given).addValue(given && raw != null ? s.check().apply(raw) : null);
    }
    return t;
  }

  /** The tenant as the admin API shows it, from a row of {@link #UPDATE}'s returning list. */
  static JsonObject json(String tenantId, Row r) {
    JsonObject o = new JsonObject().put("id", tenantId).put("name", r.getString(0));
    for (int i = 0; i < SETTINGS.size(); i++) {
      o.put(SETTINGS.get(i).name(), r.getValue(i + 1));
    }
    return o;
  }

  static Integer rate(Object r) {
    if (!(r instanceof Integer || r instanceof Long) || ((Number) r).longValue() < 1
        || ((Number) r).longValue() > MAX_RATE) {
      throw Invalid.field("invalid_field", "rate_limit_per_sec", "must be a whole number from 1 to " + MAX_RATE);
    }
    return ((Number) r).intValue();
  }

  private static String language(Object raw) {
    if (!(raw instanceof String s)) {
      throw Invalid.field("invalid_field", "default_language", "must be a language like en, pt-BR or pt_BR");
    }
    try {
      return Language.canonical(s);
    } catch (IllegalArgumentException e) {
      throw Invalid.field("unknown_language", "default_language", e.getMessage());
    }
  }

  private static Boolean bool(Object raw) {
    if (!(raw instanceof Boolean b)) {
      throw Invalid.field("invalid_field", "campaign_approval_required", "must be true or false");
    }
    return b;
  }

  private static String allowOrRefuse(Object raw) {
    if (!"allow".equals(raw) && !"refuse".equals(raw)) {
      throw Invalid.field("invalid_field", "whatsapp_unregistered_templates", "must be allow or refuse");
    }
    return (String) raw;
  }
}
