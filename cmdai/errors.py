"""One exception hierarchy and one table of exit statuses.

Library code raises these; the CLI turns them into ``cmdai: error: ...`` plus a hint on
stderr and the matching exit status, in exactly one place.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Exit statuses of ``cmdai`` itself (after running a command, cmdai exits with its status)."""

    SUCCESS = 0
    ERROR = 1
    USAGE = 2
    BLOCKED = 3
    DECLINED = 4
    MODEL_ERROR = 5
    NO_COMMAND = 6
    NEEDS_CONFIRMATION = 7
    INTERRUPTED = 130
    OUTPUT_CLOSED = 141
    """The reader of cmdai's output went away (``| head``): what a tool stopped by SIGPIPE gives."""


class CmdaiError(Exception):
    """Root of every error cmdai reports to a user.

    Attributes:
        hint: What the user can do about it, in one sentence (may be empty).
        exit_status: The process exit status the CLI uses for this error.
    """

    exit_status: ExitStatus = ExitStatus.ERROR
    kind: str = "error"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CmdaiError):
    """The request itself cannot be used (empty, too long, not text)."""

    exit_status = ExitStatus.USAGE
    kind = "usage"


class OutputError(CmdaiError):
    """Standard output cannot be written (a full disk, a closed descriptor); said on stderr."""

    kind = "output"

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write to standard output: {reason}")
        self.reason = reason


class ConfigError(CmdaiError):
    """A settings file, variable or value is invalid."""

    exit_status = ExitStatus.USAGE
    kind = "config"


class ModelError(CmdaiError):
    """Base for problems with the model itself."""

    exit_status = ExitStatus.MODEL_ERROR
    kind = "model"


class ModelMissingError(ModelError):
    """No model file could be found or produced, or a model server does not have the model."""

    kind = "model_missing"


class ModelCorruptError(ModelError):
    """A model file exists but is truncated, corrupt or not a usable GGUF."""

    kind = "model_corrupt"


class ModelDownloadError(ModelError):
    """A model could not be downloaded (hub unreachable, refused, or the transfer failed)."""

    kind = "model_download"


class BackendError(ModelError):
    """A backend failed to load or to generate."""

    kind = "backend"


class BackendUnreachableError(BackendError):
    """A model server could not be reached (refused, unknown host, no answer to connect)."""

    kind = "backend_unreachable"


class BackendTimeoutError(BackendError):
    """A model server accepted the request but did not answer within the timeout."""

    kind = "backend_timeout"


class BackendAuthError(BackendError):
    """A model server refused the request's credentials (HTTP 401 or 403)."""

    kind = "backend_auth"


class SchemaViolationError(ModelError):
    """The model's answer could not be read as the expected JSON document."""

    kind = "schema_violation"

    def __init__(self, message: str, *, raw: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.raw = raw


class ExecutionError(CmdaiError):
    """The chosen command could not be started at all."""

    kind = "execution"
