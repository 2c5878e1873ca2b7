package dev.esprouter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the router (the default): configuration from the environment, see README.md")
final class ServeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    ((EspCli) spec.root().userObject()).serve.run();
    return EspCli.SERVING;
  }
}
