"""Subcommands that live in their own module: each has `register(subparsers)`.

Registering must stay cheap (argparse only); heavy imports happen inside the command's run.
"""
COMMAND_MODULES = ()  # e.g. ("practice", "replay"): modules in this package, registered in order
