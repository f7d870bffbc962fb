import logging


class SafeFormatter(logging.Formatter):
    """Escape CR/LF so user input that reaches a log line cannot forge extra log lines."""

    def format(self, record):
        text = super().format(record)
        return text.replace("\r", "\\r").replace("\n", "\\n")
