package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "messages", mixinStandardHelpOptions = true, description = "Read messages",
    subcommands = MessagesCommand.Get.class)
final class MessagesCommand extends CommandGroup {

  @Command(name = "get", mixinStandardHelpOptions = true, description = "A message's status and events (GET /v1/messages/{id})")
  static final class Get extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "msg_...")
    String id;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      JsonNode m = api.get("/v1/messages/" + ApiClient.segment(id), null);
      if (cli.json) {
        cli.printJson(m);
        return ExitCodes.OK;
      }
      Table fields = new Table("FIELD", "VALUE");
      for (String f : new String[] {"id", "batch_id", "channel", "to", "status", "provider", "provider_message_id",
          "attempts"}) {
        fields.row(f, text(m.get(f)));
      }
      fields.print(cli.out);
      cli.out.println();
      Table events = new Table("AT", "TYPE", "PROVIDER", "DETAIL");
      for (JsonNode e : m.path("events")) {
        events.row(text(e.get("at")), text(e.get("type")), text(e.get("provider")), text(e.get("detail")));
      }
      events.print(cli.out);
      return ExitCodes.OK;
    }
  }

  static String text(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
