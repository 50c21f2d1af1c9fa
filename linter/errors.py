"""The errors a user can act on: the CLI prints each as one line and exits 2.

Each part of ailint that can refuse a user's input (configuration, rule selection,
baseline file, git revision) raises a subclass, so the CLI catches them all without
importing the parts a run does not use.
"""


class UserError(Exception):
    """An error the user can act on, with a message that says how."""
