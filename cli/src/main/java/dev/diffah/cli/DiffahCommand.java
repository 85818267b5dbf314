package dev.diffah.cli;

/** A subcommand with the shared output options. */
interface DiffahCommand {
  OutputOptions output();
}
