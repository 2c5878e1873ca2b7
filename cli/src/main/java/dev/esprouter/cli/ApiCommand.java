package dev.esprouter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the API: API errors become one line on stderr and their exit code. */
abstract class ApiCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  EspCli cli() {
    return (EspCli) spec.root().userObject();
  }

  @Override
  public final Integer call() throws Exception {
    EspCli cli = cli();
    try {
      return run(cli.client(), cli);
    } catch (ApiException e) {
      return cli.fail(e);
    } catch (UsageException e) {
      cli.err.println("esp-router: " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }

  abstract int run(ApiClient api, EspCli cli) throws ApiException, UsageException;

  /** A problem with the command line or an input file, found before anything was sent. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
