package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "send", mixinStandardHelpOptions = true, description = "Send one message (POST /v1/messages)")
final class SendCommand extends ApiCommand {

  @Mixin
  Content content;

  @Option(names = "--to", required = true, description = "email address, E.164 phone number or Telegram chat id")
  String to;

  @Option(names = "--data", description = "JSON object of the placeholders' values")
  String data;

  @Option(names = "--provider", description = "pin one provider instead of the weighted choice")
  String provider;

  @Option(names = "--idempotency-key", description = "the same key and body within 24 h send nothing new")
  String idempotencyKey;

  @Override
  int run(ApiClient api, EspCli cli) throws ApiException, UsageException {
    ObjectNode body = content.fill(ApiClient.JSON.createObjectNode());
    body.put("to", to);
    if (data != null) {
      body.set("data", Content.object("--data", data));
    }
    Content.putIfSet(body, "provider", provider);
    JsonNode r = idempotencyKey == null ? api.post("/v1/messages", body)
        : api.post("/v1/messages", body, java.util.Map.of("Idempotency-Key", idempotencyKey));
    if (cli.json) {
      cli.printJson(r);
    } else {
      cli.out.println(r.path("id").asText() + "  " + r.path("status").asText());
    }
    return ExitCodes.OK;
  }
}
