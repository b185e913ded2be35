"""Sure fixes from the fortieth by-hand round: an app run with Docker Compose.

Shown the app's services (``cmdai.projects.compose_fact``), the model wrote Compose's
commands, in the form retired in 2023 (``docker-compose``, Compose v1), and some that do
something else: ``docker cp web:/app/app.log .`` and ``docker exec -it db psql`` name a
container "web" or "db" that Compose never made (its containers are called
``PROJECT-web-1``; ``docker compose cp/exec web`` finds them), ``docker-compose ps`` for
"which services does this app have" (the running containers, not the services),
``docker-compose down --volumes`` for "remove the dangling images" (it deletes the
database's volume), ``docker-compose build`` for "build an image called myapp" (no tag),
``docker-compose down`` for "rebuild the web image and restart it", and ``docker-compose
logs worker`` for "follow the logs of the worker" (printed once, not followed).

``compose_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory. Only beside a
Compose file that defines services.
"""

from __future__ import annotations

import re
import shlex
import shutil
from typing import TYPE_CHECKING

from cmdai.project_files import COMPOSE_FILES
from cmdai.projects import compose_services
from cmdai.stages import lone_call

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_V1 = re.compile(r"(^|[|;&(]\s*|\$\(\s*)docker-compose\b")


def compose_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies, after ``docker-compose`` became ``docker compose``.

    None where none applies and the command needs no ``docker compose``, or no Compose file
    with services is here.
    """
    services = _services(here)
    if not services:
        return None
    notes: list[str] = []
    current = command
    if _V1.search(command) and shutil.which("docker-compose") is None:
        current = _V1.sub(r"\1docker compose", command)
    found = (
        dangling_images_fix(current, request)
        or service_list_fix(current, request)
        or validate_fix(current, request)
        or tagged_build_fix(current, request)
        or rebuild_fix(current, request, services)
        or follow_logs_fix(current, request)
        or service_container_fix(current, services)
    )
    if found is not None:
        current = found[0]
        notes.append(found[1])
    if current != command and "docker compose" in current and "docker-compose" in command:
        notes.insert(0, "docker compose for docker-compose (Compose v1, retired in 2023)")
    if current == command or not notes:
        return None
    return current, "fixed here: " + "; ".join(notes)


def _services(here: Here) -> dict[str, dict[str, object]]:
    for name in COMPOSE_FILES:
        lines = here.lines(name)
        if lines:
            return compose_services("\n".join(lines))
    return {}


def _compose_words(command: str) -> list[str] | None:
    """The words after ``docker compose`` of a command that is that call alone (or None)."""
    words = lone_call(command, "docker", "compose")
    return words[2:] if words is not None and len(words) > 2 else None


def dangling_images_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker image prune`` for "remove the dangling images" (seen: ``down --volumes``)."""
    if not re.search(r"\bdangling\s+images?\b", request, re.IGNORECASE):
        return None
    if re.search(r"\bimage\s+prune\b|\brmi\b", command) or not command.startswith("docker"):
        return None
    return "docker image prune", "docker image prune removes the images no tag points to"


def service_list_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker compose config --services`` for "which services does this app have"."""
    asked = re.search(
        r"\b(?:which|what|list|show)\b(?:\s+(?:are|all|the))*\s+services\b", request, re.I
    )
    if asked is None or re.search(r"\brunning\b|\bup\b|\bstatus\b", request, re.IGNORECASE):
        return None
    if _compose_words(command) not in (["ps"], ["ps", "-a"], ["ps", "--services"]):
        return None
    fixed = "docker compose config --services"
    return fixed, "the services are the Compose file's, running or not"


def validate_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker compose config --quiet`` for "check that the compose file is valid"."""
    if not re.search(r"\b(?:valid|validate|syntax|errors?)\b", request, re.IGNORECASE):
        return None
    if not re.search(r"\bcompose\b", request, re.IGNORECASE):
        return None
    words = _compose_words(command)
    if words is None or words[0] == "config":
        return None
    return "docker compose config --quiet", "docker compose config reads and checks the file"


_TAGGED = re.compile(
    r"\bbuild\s+(?:an?\s+|the\s+)?image\s+(?:called|named|tagged)\s+(?P<tag>[\w./:-]+)", re.I
)


def tagged_build_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker build -t myapp .`` for "build an image called myapp from the Dockerfile"."""
    asked = _TAGGED.search(request)
    words = _compose_words(command)
    if asked is None or words is None or words[0] != "build":
        return None
    fixed = f"docker build -t {shlex.quote(asked['tag'])} ."
    return fixed, "docker compose build names its images after the services, not as asked"


def rebuild_fix(
    command: str, request: str, services: dict[str, dict[str, object]]
) -> tuple[str, str] | None:
    """``docker compose up -d --build web`` for "rebuild the web image and restart it"."""
    if not re.search(r"\brebuild\b.*\b(?:restart|start|run|up)\b", request, re.IGNORECASE):
        return None
    words = _compose_words(command)
    if words is None or words[0] not in ("down", "build", "restart", "stop"):
        return None
    named = [s for s in services if re.search(rf"\b{re.escape(s)}\b", request)]
    fixed = "docker compose up -d --build" + "".join(f" {shlex.quote(s)}" for s in named)
    return fixed, "up --build builds the image again and starts its new container"


def follow_logs_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker compose logs -f worker`` for "follow the logs of the worker"."""
    if not re.search(r"\b(?:follow|tail|watch|live|as\s+they\s+come)\b", request, re.I):
        return None
    words = _compose_words(command)
    if words is None or words[0] != "logs" or {"-f", "--follow"} & set(words):
        return None
    return shlex.join(["docker", "compose", "logs", "-f", *words[1:]]), "logs -f follows them"


def service_container_fix(
    command: str, services: dict[str, dict[str, object]]
) -> tuple[str, str] | None:
    """``docker compose cp web:/app/app.log .`` for ``docker cp web:/app/app.log .``.

    A service's container is ``PROJECT-web-1`` unless the file names it (``container_name``);
    ``docker compose exec/cp`` take the service. ``psql`` in the postgres image's service is
    given its user (the image's default, ``postgres``, or ``POSTGRES_USER``): as root it fails.
    """
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if len(words) < 3 or words[0] != "docker" or words[1] not in ("exec", "cp"):
        return None
    if re.search(r"[|;&<>`$()]", command):
        return None
    positional = [i for i, w in enumerate(words[2:], 2) if not w.startswith("-")]
    if not positional:
        return None
    at = positional[0]
    service = words[at].split(":", 1)[0]
    spec = services.get(service)
    if spec is None or spec.get("container_name") or ("/" in service and words[1] == "cp"):
        return None
    fixed = ["docker", "compose", words[1], *words[2:]]
    note = f"Compose names {service}'s container after the project; docker compose finds it"
    if words[1] == "exec":
        fixed = [w for w in fixed if w not in ("-it", "-ti", "-i")]  # compose exec has a TTY
        if (
            "psql" in fixed
            and "-U" not in fixed
            and str(spec.get("image", "")).startswith("postgres")
        ):
            user = _environment(spec).get("POSTGRES_USER", "postgres")
            fixed += ["-U", user]
            note += f"; psql as the image's user {user}"
    return shlex.join(fixed), note


def _environment(spec: dict[str, object]) -> dict[str, str]:
    found = spec.get("environment")
    if isinstance(found, dict):
        return {str(k): str(v) for k, v in found.items()}
    if isinstance(found, list):
        return dict(str(e).split("=", 1) for e in found if "=" in str(e))
    return {}
