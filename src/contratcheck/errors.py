"""Project errors: raised inside a stage, converted once (to a DocumentResult or a CLI message)."""

from __future__ import annotations


class ContratcheckError(Exception):
    """Base error: a stable `code` and a French `message` for the user."""

    code = "erreur"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ExtractionError(ContratcheckError):
    """The file could not be read as a contract (status `error`)."""

    code = "corrupt"


class NoTextError(ContratcheckError):
    """The file is readable but holds no usable text (status `no-text`)."""

    code = "no-text"


class ConfigError(ContratcheckError):
    """The project's configuration, ignore file or baseline is invalid: exit code 2."""

    code = "config"


class UsageError(ContratcheckError):
    """What the user asked cannot be done (no file found, no rule to apply…): exit code 2."""

    code = "usage"


class ResourceError(ContratcheckError):
    """The system refuses what a run needs (new processes): exit code 2."""

    code = "resources"


class RuleFileError(ContratcheckError):
    """A rule pack is invalid; the message names the file, the rule and the line."""

    code = "rule-file"

    def __init__(self, file: str, message: str, line: int | None = None, rule: str | None = None) -> None:
        where = file + (f", ligne {line}" if line else "") + (f", règle « {rule} »" if rule else "")
        super().__init__(f"{where} : {message}")
        self.file, self.line, self.rule = file, line, rule


def page_limit(count: int, limit: int) -> ExtractionError:
    return ExtractionError(f"PDF de {count} pages, au-delà de la limite de {limit} pages "
                           "(option de configuration max-pages).", "too-many-pages")
