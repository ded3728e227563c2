"""The exit codes scripts can trust (docs/operations.md, "The operator command line")."""

DONE = 0  # the command did what it was asked
FAILED = 1  # it could not: a service, a database or Kafka refused or failed; the message says which
USAGE = 2  # bad usage: an unknown option, a malformed argument, a setting missing (click's own code too)
NOTHING_FOUND = 3  # what was asked for does not exist: no such dead letter, no such person
