package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dlq", mixinStandardHelpOptions = true, description = "The tenant's dead letters",
    subcommands = {DlqCommand.ListDead.class, DlqCommand.Requeue.class})
final class DlqCommand extends CommandGroup {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Dead letters, oldest first (GET /v1/dlq)")
  static final class ListDead extends ApiCommand {

    @Option(names = "--limit", defaultValue = "50", description = "per page, 1 to 500 (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--after", description = "start after this id (next_after of a previous page)")
    String after;

    @Option(names = "--all", description = "follow next_after to the end")
    boolean all;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      ArrayNode data = ApiClient.JSON.createArrayNode();
      String cursor = after;
      String next;
      do {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("limit", Integer.toString(limit));
        q.put("after", cursor);
        JsonNode page = api.get("/v1/dlq", q);
        page.path("data").forEach(data::add);
        next = page.hasNonNull("next_after") ? page.get("next_after").asText() : null;
        cursor = next;
      } while (all && next != null);
      if (cli.json) {
        ObjectNode out = ApiClient.JSON.createObjectNode();
        out.set("data", data);
        if (next != null) {
          out.put("next_after", next);
        }
        cli.printJson(out);
        return ExitCodes.OK;
      }
      Table t = new Table("ID", "CHANNEL", "TO", "PROVIDER", "ATTEMPTS", "REASON", "DEAD AT", "LAST ERROR");
      for (JsonNode d : data) {
        t.row(d.path("id").asText(), d.path("channel").asText(), d.path("to").asText(),
            MessagesCommand.text(d.get("provider")), d.path("attempts").asText(), d.path("reason").asText(),
            d.path("dead_at").asText(), MessagesCommand.text(d.get("last_error")));
      }
      t.print(cli.out);
      if (next != null) {
        cli.err.println("more: --after " + next + " (or --all)");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "requeue", mixinStandardHelpOptions = true,
      description = "Send dead letters again (POST /v1/dlq/{id}/requeue)")
  static final class Requeue extends ApiCommand {

    @Parameters(arity = "1..*", paramLabel = "ID", description = "message ids from 'dlq list'")
    List<String> ids;

    @Override
    int run(ApiClient api, EspCli cli) {
      ArrayNode results = ApiClient.JSON.createArrayNode();
      Table t = new Table("ID", "RESULT");
      int ok = 0;
      int lastFailure = ExitCodes.OK;
      for (String id : ids) {
        try {
          JsonNode r = api.post("/v1/dlq/" + ApiClient.segment(id) + "/requeue", null);
          results.add(r);
          t.row(id, r.path("status").asText("queued"));
          ok++;
        } catch (ApiException e) {
          results.addObject().put("id", id).putObject("error").put("status", e.status()).put("code", e.code())
              .put("message", e.getMessage());
          t.row(id, e.line());
          lastFailure = e.exitCode();
        }
      }
      if (cli.json) {
        cli.printJson(ApiClient.JSON.createObjectNode().set("results", results));
      } else {
        t.print(cli.out);
      }
      if (ok == ids.size()) {
        return ExitCodes.OK;
      }
      return ok == 0 ? lastFailure : ExitCodes.PARTIAL;
    }
  }
}
