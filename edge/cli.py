"""What every stage's command line shares: help that shows defaults only where there is one.

    python -m edge read --help
"""

import argparse


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """argparse's defaults-in-help, without "(default: None)" or "(default: False)" on options
    whose help already says what happens when they are left out."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)
