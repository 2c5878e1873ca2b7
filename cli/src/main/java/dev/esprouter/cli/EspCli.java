package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code java -jar esp-router.jar [COMMAND]}: with no command (or {@code serve}) the router starts
 * as always; any other command is a client of a running router's HTTP API ({@code ESP_URL},
 * {@code ESP_API_KEY}). Tables for people, {@code --json} for scripts, exit codes of
 * {@link ExitCodes}.
 */
@Command(name = "esp-router", mixinStandardHelpOptions = true, version = "esp-router 0.1.0",
    description = "Without a command: start the router (same as 'serve'). Otherwise: talk to a running router.",
    subcommands = {ServeCommand.class, SendCommand.class, BatchCommand.class, MessagesCommand.class,
        DlqCommand.class, ProvidersCommand.class, ExplainCommand.class, TemplatesCommand.class,
        CampaignCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:the API refused the request (nothing changed)", "2:bad command line or input file",
        "3:not found (404)", "4:no or wrong API key (401/403)", "5:router unreachable, rate limited or unavailable",
        "6:partly done (some recipients rejected, some requeues failed, campaign cancelled)"})
public final class EspCli implements Callable<Integer> {

  /** What {@code serve} returns: the router runs on its own threads, the process must not exit. */
  public static final int SERVING = -1;

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "the router's base URL (default: $ESP_URL, else http://localhost:8080)")
  String url;

  @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
      description = "a tenant's API key (default: $ESP_API_KEY)")
  String apiKey;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON instead of a table")
  boolean json;

  final PrintWriter out;
  final PrintWriter err;
  final Map<String, String> env;
  final Runnable serve;

  private EspCli(PrintWriter out, PrintWriter err, Map<String, String> env, Runnable serve) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.serve = serve;
  }

  /**
   * Runs one command line; returns its exit code, or {@link #SERVING} when {@code serve} started the
   * router. {@code env} supplies ESP_URL and ESP_API_KEY.
   */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, Runnable serve) {
    CommandLine cl = new CommandLine(new EspCli(out, err, env, serve));
    cl.setOut(out).setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("esp-router: " + e.getMessage());
      return ExitCodes.USAGE;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() {
    serve.run();
    return SERVING;
  }

  ApiClient client() {
    String base = url != null ? url : env.getOrDefault("ESP_URL", "http://localhost:8080");
    String key = apiKey != null ? apiKey : env.get("ESP_API_KEY");
    return new ApiClient(base, key);
  }

  void printJson(JsonNode node) {
    try {
      out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The error for scripts ({@code --json}: on stdout as JSON) and for people (one line on stderr). */
  int fail(ApiException e) {
    if (json) {
      var node = ApiClient.JSON.createObjectNode();
      node.putObject("error").put("status", e.status()).put("code", e.code()).put("message", e.getMessage());
      printJson(node);
    }
    err.println("esp-router: " + e.line());
    return e.exitCode();
  }
}
