package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Ids;
import dev.esprouter.common.Language;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a request body into a validated {@link SingleMessage} or {@link BatchRequest}, or throws
 * {@link Invalid} naming the first offending field. In a batch, a bad recipient is refused on its
 * own (with its index) and the others go on.
 */
final class SendRequestParser {

  static final int MAX_BATCH_RECIPIENTS = 10_000;
  static final int MAX_METADATA_BYTES = 4096;
  static final int MAX_DATA_BYTES = 16 * 1024;
  static final int MAX_SUBJECT_CHARS = 998;
  static final int MAX_BODY_CHARS = 512 * 1024;
  static final int MAX_CHAT_TEXT_CHARS = 4096;
  static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(30);

  private static final Set<String> CONTENT_FIELDS = Set.of("channel", "from", "reply_to", "subject", "html", "text",
      "template", "locale", "priority", "send_at", "provider", "metadata");
  private static final Set<String> MESSAGE_ONLY = Set.of("to", "data");
  private static final Set<String> BATCH_ONLY = Set.of("recipients");
  private static final Set<String> RECIPIENT_FIELDS = Set.of("to", "data", "metadata");
  /** Registry and folder names, and Meta's (up to 512 characters). */
  private static final Pattern TEMPLATE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,511}");

  private SendRequestParser() {
  }

  static SingleMessage message(Buffer body) {
    JsonObject o = object(body);
    refuseUnknown(o, MESSAGE_ONLY);
    SendRequest req = common(o, Priority.HIGH);
    String to = requiredString(o, "to", "to", 320);
    String problem = Addresses.recipientProblem(req.channel(), to);
    if (problem != null) {
      throw Invalid.field("invalid_recipient", "to", problem);
    }
    JsonObject data = optionalObject(o, "data", "data", MAX_DATA_BYTES);
    JsonObject metadata = req.metadata();
    return new SingleMessage(req, new Recipient(Ids.message(), to, data, metadata));
  }

  static BatchRequest batch(Buffer body) {
    JsonObject o = object(body);
    refuseUnknown(o, BATCH_ONLY);
    SendRequest req = common(o, Priority.NORMAL);
    Object raw = o.getValue("recipients");
    if (raw == null) {
      throw Invalid.field("missing_field", "recipients", "is required (an array of {\"to\": ...} objects)");
    }
    if (!(raw instanceof JsonArray list)) {
      throw Invalid.field("invalid_field", "recipients", "must be an array");
    }
    if (list.isEmpty() || list.size() > MAX_BATCH_RECIPIENTS) {
      throw Invalid.field("invalid_field", "recipients", "must hold between 1 and " + MAX_BATCH_RECIPIENTS
          + " recipients (got " + list.size() + ")");
    }
    List<BatchRequest.Accepted> accepted = new ArrayList<>(list.size());
    List<BatchRequest.Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        accepted.add(new BatchRequest.Accepted(i, recipient(list.getValue(i), i, req)));
      } catch (Invalid e) {
        rejected.add(new BatchRequest.Rejection(i, e.error().code(), e.error().message()));
      }
    }
    if (accepted.isEmpty()) {
      BatchRequest.Rejection first = rejected.get(0);
      throw new Invalid(ApiError.badRequest(first.code(), "no valid recipient; first: " + first.message(),
          "recipients[" + first.index() + "]"));
    }
    return new BatchRequest(req, accepted, rejected);
  }

  /**
   * A campaign's shared part: the fields of a batch without {@code recipients}, plus the campaign's
   * own fields ({@code own}, checked by the caller); the low lane by default.
   */
  static SendRequest campaign(JsonObject o, Set<String> own) {
    refuseUnknown(o, own);
    return common(o, Priority.LOW);
  }

  /**
   * One line of a campaign's recipient list, checked as a batch recipient is (address, data and
   * metadata sizes, metadata merged with the campaign's); the message id is the caller's.
   */
  static Recipient listed(SendRequest req, String id, String to, JsonObject data, JsonObject own, String path) {
    if (to == null || to.isBlank()) {
      throw Invalid.field("invalid_recipient", path + ".to", "is required");
    }
    if (to.length() > 320) {
      throw Invalid.field("invalid_recipient", path + ".to", "is longer than 320 characters");
    }
    String problem = Addresses.recipientProblem(req.channel(), to);
    if (problem != null) {
      throw Invalid.field("invalid_recipient", path + ".to", problem);
    }
    if (data != null && data.toBuffer().length() > MAX_DATA_BYTES) {
      throw Invalid.field("invalid_recipient", path + ".data", "is over " + (MAX_DATA_BYTES / 1024) + " KiB");
    }
    if (own != null && own.toBuffer().length() > MAX_METADATA_BYTES) {
      throw Invalid.field("invalid_recipient", path + ".metadata", "is over 4 KiB");
    }
    JsonObject metadata = merged(req.metadata(), own);
    if (metadata != own && metadata != null && metadata.toBuffer().length() > MAX_METADATA_BYTES) {
      throw Invalid.field("invalid_recipient", path + ".metadata", "is over 4 KiB once merged with the campaign metadata");
    }
    return new Recipient(id, to, data, metadata);
  }

  private static Recipient recipient(Object value, int index, SendRequest req) {
    String path = "recipients[" + index + "]";
    if (!(value instanceof JsonObject r)) {
      throw Invalid.field("invalid_recipient", path, "must be an object like {\"to\": ...}");
    }
    for (String f : r.fieldNames()) {
      if (!RECIPIENT_FIELDS.contains(f)) {
        throw Invalid.field("invalid_recipient", path + "." + safeName(f), "is not a known field (use to, data, metadata)");
      }
    }
    String to = requiredString(r, "to", path + ".to", 320);
    String problem = Addresses.recipientProblem(req.channel(), to);
    if (problem != null) {
      throw Invalid.field("invalid_recipient", path + ".to", problem);
    }
    JsonObject data = optionalObject(r, "data", path + ".data", MAX_DATA_BYTES);
    JsonObject own = optionalObject(r, "metadata", path + ".metadata", MAX_METADATA_BYTES);
    JsonObject metadata = merged(req.metadata(), own);
    if (metadata != own && metadata != null && metadata.toBuffer().length() > MAX_METADATA_BYTES) {
      throw Invalid.field("invalid_recipient", path + ".metadata", "is over 4 KiB once merged with the batch metadata");
    }
    return new Recipient(Ids.message(), to, data, metadata);
  }

  private static SendRequest common(JsonObject o, Priority defaultPriority) {
    String channelName = requiredString(o, "channel", "channel", 32);
    Channel channel = Channel.fromWire(channelName);
    if (channel == null) {
      throw Invalid.field("invalid_field", "channel", "'" + Addresses.shorten(channelName)
          + "' is not a channel (email, whatsapp or telegram)");
    }
    String priorityName = optionalString(o, "priority", "priority", 16);
    Priority priority = priorityName == null ? defaultPriority : Priority.fromWire(priorityName);
    if (priority == null) {
      throw Invalid.field("invalid_field", "priority", "'" + Addresses.shorten(priorityName)
          + "' is not a priority (high, normal or low)");
    }
    String provider = optionalString(o, "provider", "provider", 32);
    if (provider != null) {
      ProviderName p = ProviderName.fromWire(provider);
      if (p == null || p.channel() != channel) {
        throw Invalid.field("invalid_field", "provider", "'" + Addresses.shorten(provider) + "' is not a "
            + channel.wire() + " provider (" + String.join(", ", ProviderName.of(channel).stream()
            .map(ProviderName::wire).toList()) + ")");
      }
    }
    Instant sendAt = sendAt(optionalString(o, "send_at", "send_at", 64));
    JsonObject metadata = optionalObject(o, "metadata", "metadata", MAX_METADATA_BYTES);
    return new SendRequest(channel, priority, provider, sendAt, content(o, channel), metadata);
  }

  private static Content content(JsonObject o, Channel channel) {
    String from = optionalString(o, "from", "from", 512);
    String replyTo = optionalString(o, "reply_to", "reply_to", 320);
    String subject = optionalString(o, "subject", "subject", MAX_SUBJECT_CHARS);
    String html = optionalString(o, "html", "html", MAX_BODY_CHARS);
    String text = optionalString(o, "text", "text", channel == Channel.EMAIL ? MAX_BODY_CHARS : MAX_CHAT_TEXT_CHARS);
    String template = optionalString(o, "template", "template", 512);
    String locale = locale(optionalString(o, "locale", "locale", 35));
    for (String[] f : new String[][] {{"from", from}, {"reply_to", replyTo}, {"subject", subject}}) {
      if (f[1] != null && Addresses.breaksHeader(f[1])) {
        throw Invalid.field("invalid_field", f[0], "must not contain CR, LF or NUL characters");
      }
    }
    if (template != null && !TEMPLATE.matcher(template).matches()) {
      throw Invalid.field("invalid_field", "template", "must be a template name of letters, digits, '_', '.' and '-'");
    }
    switch (channel) {
      case EMAIL -> checkEmail(from, replyTo, subject, html, text, template);
      case WHATSAPP, TELEGRAM -> checkChat(channel, from, replyTo, subject, html, text, template);
      default -> throw new IllegalStateException(channel.wire());
    }
    return new Content(from, replyTo, subject, html, text, template, locale);
  }

  private static void checkEmail(String from, String replyTo, String subject, String html, String text, String template) {
    if (from == null) {
      throw Invalid.field("missing_field", "from", "is required for email");
    }
    String problem = Addresses.fromProblem(from);
    if (problem != null) {
      throw Invalid.field("invalid_field", "from", problem);
    }
    if (replyTo != null && (problem = Addresses.emailProblem(replyTo)) != null) {
      throw Invalid.field("invalid_field", "reply_to", problem);
    }
    if (template == null) {
      if (subject == null) {
        throw Invalid.field("missing_field", "subject", "is required for inline email content (or give a template)");
      }
      if (html == null && text == null) {
        throw Invalid.field("missing_field", "html", "inline email content needs html or text (or give a template)");
      }
    }
  }

  private static void checkChat(Channel channel, String from, String replyTo, String subject, String html, String text,
                                String template) {
    for (String[] f : new String[][] {{"from", from}, {"reply_to", replyTo}, {"subject", subject}, {"html", html}}) {
      if (f[1] != null) {
        throw Invalid.field("invalid_field", f[0], "is not used by " + channel.wire() + " messages");
      }
    }
    if (template == null && text == null) {
      throw Invalid.field("missing_field", "text", "is required for " + channel.wire() + " (or give a template)");
    }
  }

  /** BCP 47 ({@code pt-BR}) or Meta's form ({@code pt_BR}), kept in the canonical form ({@link Language}). */
  private static String locale(String value) {
    try {
      return Language.canonicalOrNull(value);
    } catch (IllegalArgumentException e) {
      throw Invalid.field("invalid_field", "locale", e.getMessage());
    }
  }

  private static Instant sendAt(String value) {
    if (value == null) {
      return null;
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw Invalid.field("invalid_field", "send_at", "'" + Addresses.shorten(value)
          + "' is not an RFC 3339 time like 2026-12-01T09:00:00Z");
    }
    if (at.isAfter(Instant.now().plus(MAX_SCHEDULE_AHEAD))) {
      throw Invalid.field("invalid_field", "send_at", "is more than 30 days ahead");
    }
    return at;
  }

  static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new Invalid(ApiError.badRequest("invalid_json", "the request body is empty; send a JSON object", null));
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(body);
      if (v instanceof JsonObject o) {
        return o;
      }
      throw new Invalid(ApiError.badRequest("invalid_json", "the request body must be a JSON object", null));
    } catch (DecodeException e) {
      throw new Invalid(ApiError.badRequest("invalid_json", "the request body is not valid JSON: "
          + Addresses.shorten(firstLine(e.getMessage())), null));
    }
  }

  private static void refuseUnknown(JsonObject o, Set<String> extra) {
    for (String f : o.fieldNames()) {
      if (!CONTENT_FIELDS.contains(f) && !extra.contains(f)) {
        throw Invalid.field("unknown_field", safeName(f), "is not a known field");
      }
    }
  }

  private static String requiredString(JsonObject o, String key, String path, int maxChars) {
    String v = optionalString(o, key, path, maxChars);
    if (v == null) {
      throw Invalid.field("missing_field", path, "is required");
    }
    return v;
  }

  private static String optionalString(JsonObject o, String key, String path, int maxChars) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw Invalid.field(path.endsWith(".to") || path.equals("to") ? "invalid_recipient" : "invalid_field", path,
          "must be a string, not " + typeName(v));
    }
    if (s.length() > maxChars) {
      throw Invalid.field("invalid_field", path, "is longer than " + maxChars + " characters");
    }
    if (s.isBlank()) {
      throw Invalid.field("invalid_field", path, "must not be empty");
    }
    return s;
  }

  private static JsonObject optionalObject(JsonObject o, String key, String path, int maxBytes) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject obj)) {
      throw Invalid.field(path.startsWith("recipients[") ? "invalid_recipient" : "invalid_field", path,
          "must be an object, not " + typeName(v));
    }
    if (obj.toBuffer().length() > maxBytes) {
      throw Invalid.field(path.startsWith("recipients[") ? "invalid_recipient" : "invalid_field", path,
          "is over " + (maxBytes / 1024) + " KiB");
    }
    return obj;
  }

  private static JsonObject merged(JsonObject shared, JsonObject own) {
    if (shared == null || shared.isEmpty()) {
      return own;
    }
    if (own == null || own.isEmpty()) {
      return shared;
    }
    return shared.copy().mergeIn(own);
  }

  private static String typeName(Object v) {
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof JsonArray) {
      return "an array";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    return "a " + v.getClass().getSimpleName();
  }

  /** A field name safe to echo back: printable ASCII and short. */
  private static String safeName(String f) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < f.length() && b.length() < 64; i++) {
      char c = f.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
