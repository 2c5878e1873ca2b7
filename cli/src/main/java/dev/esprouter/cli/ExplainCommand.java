package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "How a channel's next sends would be split, and why (GET /v1/routing/explain)")
final class ExplainCommand extends ApiCommand {

  @Option(names = "--channel", required = true, description = "email, whatsapp or telegram")
  String channel;

  @Option(names = "--batch-id", description = "explain the next chunk of this batch")
  String batchId;

  @Override
  int run(ApiClient api, EspCli cli) throws ApiException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("channel", channel);
    q.put("batch_id", batchId);
    JsonNode r = api.get("/v1/routing/explain", q);
    if (cli.json) {
      cli.printJson(r);
      return ExitCodes.OK;
    }
    cli.out.println("channel " + r.path("channel").asText() + ", basis " + r.path("basis").asText()
        + (r.has("batch_id") ? ", batch " + r.path("batch_id").asText() : ""));
    Table t = new Table("PROVIDER", "WEIGHT", "SCORE", "BREAKER", "EXCLUDED");
    for (JsonNode p : r.path("providers")) {
      String name = p.path("provider").asText(p.path("name").asText());
      t.row(name, r.path("weights").path(name).asText(p.path("weight").asText()), p.path("score").asText(),
          MessagesCommand.text(p.get("breaker")), MessagesCommand.text(p.get("excluded")));
    }
    t.print(cli.out);
    return ExitCodes.OK;
  }
}
