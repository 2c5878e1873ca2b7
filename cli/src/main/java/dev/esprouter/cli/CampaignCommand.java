package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Campaigns of API.md § Campaigns: create, upload recipients (streamed), control, follow. */
@Command(name = "campaign", mixinStandardHelpOptions = true, description = "Broadcasts of any size",
    subcommands = {CampaignCommand.Create.class, CampaignCommand.Upload.class, CampaignCommand.Start.class,
        CampaignCommand.Pause.class, CampaignCommand.Resume.class, CampaignCommand.Cancel.class,
        CampaignCommand.Status.class})
final class CampaignCommand extends CommandGroup {

  private static final Set<String> FINAL_STATES = Set.of("completed", "cancelled");

  static String path(String id) {
    return "/v1/campaigns/" + ApiClient.segment(id);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "A campaign in state draft (POST /v1/campaigns)")
  static final class Create extends ApiCommand {

    @Option(names = "--name", required = true, description = "a name for people")
    String name;

    @Mixin
    Content content;

    @Option(names = "--send-at", description = "not before this time, e.g. 2026-12-24T09:00:00Z")
    String sendAt;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      ObjectNode body = content.fill(ApiClient.JSON.createObjectNode().put("name", name));
      if (!body.has("priority")) {
        body.put("priority", "low");
      }
      Content.putIfSet(body, "send_at", sendAt);
      JsonNode r = api.post("/v1/campaigns", body);
      if (cli.json) {
        cli.printJson(r);
      } else {
        cli.out.println(r.path("id").asText() + "  " + r.path("state").asText("draft"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "upload", mixinStandardHelpOptions = true,
      description = "Stream a CSV or NDJSON file of recipients (POST /v1/campaigns/{id}/recipients), with a progress bar")
  static final class Upload extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "FILE", description = "CSV with a header row (column 'to') or NDJSON")
    Path file;

    @Option(names = "--format", description = "csv or ndjson (default: from the file name)")
    String format;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException, UsageException {
      RecipientFile.Format f = RecipientFile.Format.of(format, file);
      long size = BatchCommand.size(file);
      ProgressBar bar = new ProgressBar(cli.err, "uploading", size, true);
      JsonNode r;
      try {
        r = api.postStream(path(id) + "/recipients", f.contentType, () -> open(file, bar), size);
      } finally {
        bar.finish();
      }
      if (cli.json) {
        cli.printJson(r);
      } else {
        Table t = new Table("FIELD", "VALUE");
        r.fields().forEachRemaining(x -> t.row(x.getKey(), MessagesCommand.text(x.getValue())));
        t.print(cli.out);
      }
      return ExitCodes.OK;
    }

    private static InputStream open(Path file, ProgressBar bar) {
      try {
        return new RecipientFile.Counting(Files.newInputStream(file), bar::advance);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** start, pause, resume, cancel: one POST, the campaign's new state. */
  abstract static class Control extends ApiCommand {

    @Parameters(paramLabel = "ID")
    String id;

    abstract String action();

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      JsonNode r = api.post(path(id) + "/" + action(), null);
      if (cli.json) {
        cli.printJson(r);
      } else {
        cli.out.println(id + "  " + r.path("state").asText(action()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start sending (or schedule for send_at)")
  static final class Start extends Control {
    @Override
    String action() {
      return "start";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop sending; resume continues where it stopped")
  static final class Pause extends Control {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused campaign")
  static final class Resume extends Control {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Send nothing more")
  static final class Cancel extends Control {
    @Override
    String action() {
      return "cancel";
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "State, progress and per-provider counts (GET /v1/campaigns/{id}); --follow until it ends")
  static final class Status extends ApiCommand {

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--follow", description = "poll with a progress bar until completed or cancelled")
    boolean follow;

    @Option(names = "--interval", defaultValue = "2", description = "seconds between polls (default ${DEFAULT-VALUE})")
    int interval;

    @Override
    int run(ApiClient api, EspCli cli) throws ApiException {
      JsonNode r = api.get(path(id), null);
      if (follow) {
        ProgressBar bar = null;
        while (!FINAL_STATES.contains(r.path("state").asText())) {
          long total = total(r);
          if (bar == null && total > 0) {
            bar = new ProgressBar(cli.err, "sending", total, false);
          }
          if (bar != null) {
            bar.set(sent(r));
          }
          sleep(interval);
          r = api.get(path(id), null);
        }
        if (bar != null) {
          bar.set(sent(r));
          bar.finish();
        }
      }
      print(r, cli);
      return "cancelled".equals(r.path("state").asText()) && follow ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    private static long total(JsonNode r) {
      return r.path("progress").path("total").asLong(r.path("totals").path("recipients").asLong(0));
    }

    private static long sent(JsonNode r) {
      return r.path("progress").path("sent").asLong(0);
    }

    private static void print(JsonNode r, EspCli cli) {
      if (cli.json) {
        cli.printJson(r);
        return;
      }
      cli.out.println(r.path("id").asText() + "  " + r.path("state").asText() + "  " + sent(r) + "/" + total(r)
          + " sent");
      JsonNode providers = r.has("by_provider") ? r.path("by_provider") : r.path("providers");
      if (providers.isObject() && !providers.isEmpty()) {
        Table t = new Table("PROVIDER", "COUNTS");
        providers.fields().forEachRemaining(p -> t.row(p.getKey(), MessagesCommand.text(p.getValue())));
        t.print(cli.out);
      } else if (providers.isArray()) {
        Table t = new Table("PROVIDER", "COUNTS");
        providers.forEach(p -> t.row(p.path("provider").asText(p.path("name").asText()), MessagesCommand.text(p)));
        t.print(cli.out);
      }
    }

    private static void sleep(int seconds) {
      try {
        Thread.sleep(Math.max(1, seconds) * 1000L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
