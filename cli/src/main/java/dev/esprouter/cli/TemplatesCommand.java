package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "templates", mixinStandardHelpOptions = true, description = "The tenant's templates",
    subcommands = {TemplatesCommand.ListTemplates.class, TemplatesCommand.Show.class})
final class TemplatesCommand extends CommandGroup {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Templates (GET /v1/templates)")
  static final class ListTemplates extends ApiCommand {

    @Option(names = "--channel", description = "email, whatsapp or telegram")
    String channel;

    @Option(names = "--status", description = "draft, in_review, approved, rejected, paused, disabled")
    String status;

    @Option(names = "--limit", description = "at most this many")
    Integer limit;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("channel", channel);
      q.put("status", status);
      q.put("limit", limit == null ? null : limit.toString());
      JsonNode r = api.get("/v1/templates", q);
      if (cli.json) {
        cli.printJson(r);
        return ExitCodes.OK;
      }
      Table t = new Table("ID", "CHANNEL", "NAME", "LANGUAGE", "STATUS");
      for (JsonNode tpl : r.path("data")) {
        t.row(tpl.path("id").asText(), tpl.path("channel").asText(), tpl.path("name").asText(),
            tpl.path("language").asText(), tpl.path("status").asText());
      }
      t.print(cli.out);
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One template (GET /v1/templates/{id})")
  static final class Show extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "tpl_...")
    String id;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      JsonNode r = api.get("/v1/templates/" + ApiClient.segment(id), null);
      if (cli.json) {
        cli.printJson(r);
        return ExitCodes.OK;
      }
      Table t = new Table("FIELD", "VALUE");
      r.fields().forEachRemaining(f -> t.row(f.getKey(), MessagesCommand.text(f.getValue())));
      t.print(cli.out);
      return ExitCodes.OK;
    }
  }
}
