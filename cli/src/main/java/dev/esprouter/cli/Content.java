package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import picocli.CommandLine.Option;

/** The content options shared by send, batch and campaign create: inline or a template, with data. */
final class Content {

  @Option(names = "--channel", required = true, description = "email, whatsapp or telegram")
  String channel;

  @Option(names = "--from", description = "sender, e.g. 'Shop <noreply@shop.example>' (email)")
  String from;

  @Option(names = "--subject", description = "email subject; {{name}} placeholders come from data")
  String subject;

  @Option(names = "--html", description = "email HTML body")
  String html;

  @Option(names = "--text", description = "plain text (email) or the message (Telegram)")
  String text;

  @Option(names = "--template", description = "a template name instead of inline content")
  String template;

  @Option(names = "--locale", description = "the template's language, e.g. pt-BR")
  String locale;

  @Option(names = "--priority", description = "high, normal or low")
  String priority;

  /** The API's content fields of this command line, on {@code body}. */
  ObjectNode fill(ObjectNode body) {
    body.put("channel", channel);
    putIfSet(body, "from", from);
    putIfSet(body, "subject", subject);
    putIfSet(body, "html", html);
    putIfSet(body, "text", text);
    putIfSet(body, "template", template);
    putIfSet(body, "locale", locale);
    putIfSet(body, "priority", priority);
    return body;
  }

  static void putIfSet(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  /** {@code --data '{"name":"Ada"}'} as an object, or a usage error naming the option. */
  static JsonNode object(String option, String json) throws ApiCommand.UsageException {
    try {
      JsonNode node = ApiClient.JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new ApiCommand.UsageException(option + ": must be a JSON object, e.g. '{\"name\":\"Ada\"}'");
      }
      return node;
    } catch (IOException e) {
      throw new ApiCommand.UsageException(option + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
