package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "providers", mixinStandardHelpOptions = true,
    description = "Every provider now: weight, breaker, limiter, rates (GET /v1/providers)")
final class ProvidersCommand extends ApiCommand {

  @Override
  int run(ApiClient api, EspCli cli) throws ApiException {
    JsonNode r = api.get("/v1/providers", null);
    if (cli.json) {
      cli.printJson(r);
      return ExitCodes.OK;
    }
    Table t = new Table("PROVIDER", "CHANNEL", "ENABLED", "WEIGHT", "BREAKER", "RATE/S", "NOW/S", "SENT", "FAILURE",
        "OPEN", "SCORE", "EXCLUDED");
    for (JsonNode p : r.path("providers")) {
      JsonNode window = p.path("window");
      // With nothing sent in the window the rates are the priors, not measurements: say so.
      boolean prior = window.path("sent").asLong(0) == 0;
      t.row(p.path("name").asText(), p.path("channel").asText(), p.path("enabled").asBoolean() ? "yes" : "no",
          p.path("weight").asText(), p.path("breaker").asText(), MessagesCommand.text(p.path("rate_limit")
              .get("configured_per_sec")), MessagesCommand.text(p.path("rate_limit").get("current_per_sec")),
          window.path("sent").asText("0"), rate(p.path("rates").get("failure"), prior),
          rate(p.path("rates").get("open"), prior), p.path("score").asText(), MessagesCommand.text(p.get("excluded")));
    }
    t.print(cli.out);
    return ExitCodes.OK;
  }

  private static String rate(JsonNode v, boolean prior) {
    if (v == null || v.isNull()) {
      return null;
    }
    String pct = String.format(java.util.Locale.ROOT, "%.2f%%", v.asDouble() * 100);
    return prior ? pct + " (prior)" : pct;
  }
}
