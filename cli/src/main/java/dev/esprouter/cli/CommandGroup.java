package dev.esprouter.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code dlq}, {@code campaign}, ...): alone, it is a usage error (exit 2). */
abstract class CommandGroup implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing a subcommand: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }
}
