"""Sure fixes from the fiftieth by-hand round: an app with a Dockerfile, and Docker's chores.

Shown the Dockerfile (``cmdai.dockerfile_project.dockerfile_fact``), the model still ran
something other than the app's image: ``docker run -p 8080:8000 ... python:3.12-slim gunicorn
...`` (the base image, which has none of the app), ``docker run ... your_image_name`` (a
placeholder) and ``docker run ... ./`` (a folder is no image); it answered "which base image
does it use" with a ``docker inspect`` of a container and "which port does the app listen on"
by running it. The app's image has no name until it is built, so the fixed command builds it
and runs what it built: ``docker run -p 8080:8000 $(docker build -q .)`` (the build is
cached, so a second run costs little), with what the request asked for: the port it names
mapped to the one the Dockerfile exposes, ``-d`` in the background, ``--env-file .env``,
``--rm``, the folder mounted on the Dockerfile's working directory.

Docker's chores, whatever the folder: ``docker container prune`` for "remove all stopped
containers" (answered ``docker stop $(docker ps -a -q)``, which stops the running ones and
removes none), ``docker history IMAGE`` for the size of each layer (answered a grep of
``docker inspect``), ``docker tag`` before a push to another registry (``docker push
registry.example.com/shop-web:1.0`` pushes nothing that exists), and ``--platform`` kept
where the request names one ("build the image for arm64" lost it).

``docker_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.dockerfile_project import Dockerfile, parse_dockerfile
from cmdai.project_files import COMPOSE_FILES

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def docker_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does)."""
    if not re.match(r"\s*(?:sudo\s+)?docker\b", command):
        return None
    found = (
        prune_fix(command, request)
        or history_fix(command, request)
        or push_fix(command, request)
        or platform_fix(command, request)
    )
    if found is not None:
        return found
    lines = here.lines("Dockerfile")
    if not lines or any(here.exists(name) for name in COMPOSE_FILES):
        return None
    dockerfile = parse_dockerfile("\n".join(lines))
    if dockerfile is None:
        return None
    return question_fix(command, request, dockerfile) or run_built_fix(command, request, dockerfile)


_STOPPED = re.compile(
    r"\b(?:remove|delete|clean\s+up|get\s+rid\s+of)\s+(?:all\s+)?(?:the\s+|my\s+)?"
    r"(?:stopped|exited|dead)\s+containers\b",
    re.I,
)


def prune_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker container prune`` for "remove all stopped containers"."""
    if not _STOPPED.search(request) or re.search(r"\bprune\b|status=exited", command):
        return None
    if not re.search(r"\bdocker\s+(?:container\s+)?(?:stop|kill)\b|\$\(\s*docker\s+ps\b", command):
        return None  # (named containers removed: the draft's own choice stands)
    return "docker container prune", "fixed here: docker container prune removes the stopped ones"


_IMAGE = r"(?P<image>[a-z0-9][\w.-]*(?:/[\w.-]+)*:[\w.-]+)"


def history_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker history shop-web:1.0`` for the size of each layer of an image."""
    asked = re.search(r"\b(?:each|every|the)\s+layers?\b.*?" + _IMAGE, request, re.I) or re.search(
        _IMAGE + r".*\blayers?\b", request, re.I
    )
    if asked is None or not re.search(r"\b(?:size|big|large|space)\b", request, re.I):
        return None
    if re.search(r"\bdocker\s+(?:image\s+)?history\b", command):
        return None
    image = asked["image"]
    return f"docker history {shlex.quote(image)}", "fixed here: docker history lists the layers"


def push_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker tag NAME:TAG REG/NAME:TAG && docker push REG/NAME:TAG`` for a push elsewhere."""
    asked = re.search(
        r"\bpush\s+(?P<image>[a-z0-9][\w.-]*:[\w.-]+)\s+to\s+(?:the\s+registry\s+)?"
        r"(?P<registry>[a-z0-9][\w-]*(?:\.[\w-]+)+(?::\d+)?)\b",
        request,
        re.I,
    )
    if asked is None:
        return None
    image, registry = asked["image"], asked["registry"]
    target = f"{registry}/{image}"
    if command.strip() != f"docker push {target}":
        return None
    fixed = f"docker tag {image} {target} && docker push {target}"
    return fixed, f"fixed here: {target} names no image until it is tagged so"


_PLATFORM = re.compile(r"\b(?:for|on)\s+(?:linux/)?(?P<arch>arm64|amd64|armv7|arm/v7|386)\b", re.I)


def platform_fix(command: str, request: str) -> tuple[str, str] | None:
    """``docker build --platform linux/arm64`` where the request names the platform."""
    asked = _PLATFORM.search(request)
    if asked is None or not re.match(r"\s*docker\s+(?:buildx\s+)?build\b", command):
        return None
    if "--platform" in command or "&&" in command or "|" in command:
        return None
    arch = asked["arch"].lower().replace("armv7", "arm/v7")
    fixed = re.sub(r"\bbuild\b", f"build --platform linux/{arch}", command, count=1)
    return fixed, f"fixed here: the request asks for linux/{arch}"


_BASE_QUESTION = re.compile(r"\b(?:which|what)\s+base\s+image\b|\bbase\s+image\s+of\b", re.I)
_PORT_QUESTION = re.compile(
    r"\b(?:which|what)\s+port\b.*\b(?:listen|expose|use|serve|run)|\bports?\b.*\bexpose", re.I
)


def question_fix(command: str, request: str, dockerfile: Dockerfile) -> tuple[str, str] | None:
    """What the Dockerfile says, read from it: its ``FROM`` lines, its ``EXPOSE`` lines."""
    if "Dockerfile" in command or re.search(r"\b(?:compose|services?)\b", request, re.I):
        return None  # a Compose app's port is its service's
    if _BASE_QUESTION.search(request):
        fixed = "grep -i '^FROM' Dockerfile"
    elif _PORT_QUESTION.search(request) and dockerfile.ports:
        fixed = "grep -i '^EXPOSE' Dockerfile"
    else:
        return None
    return fixed, "fixed here: the Dockerfile here says it"


_PLACEHOLDER = re.compile(
    r"^(?:<[^>]*>|(?:your|my|the)[_-]?(?:app|image|docker)?[_-]?(?:image|app|name)"
    r"(?:[_-]?name)?|image[_-]?name|app[_-]?image|\.{1,2}/?)$",
    re.I,
)
_VALUE_OPTIONS = frozenset(
    "-p --publish -e --env --env-file -v --volume -w --workdir --name -u --user --network "  # noqa: SIM905
    "--entrypoint --platform --mount -l --label --restart --cpus -m --memory".split()
)


def run_built_fix(command: str, request: str, dockerfile: Dockerfile) -> tuple[str, str] | None:
    """``docker run [what was asked] $(docker build -q .)`` for a run of another image.

    Only where the draft runs the Dockerfile's base image, a placeholder name or a folder,
    and the request names no image of its own (``name:tag``).
    """
    if re.search(r"[|;&<>`]", command) or re.search(r"\b[a-z0-9][\w.-]*:[\w.-]+\b", request):
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if words[:2] != ["docker", "run"]:
        return None
    rest = words[2:]
    i = 0
    while i < len(rest) and rest[i].startswith("-"):
        i += 2 if rest[i] in _VALUE_OPTIONS and "=" not in rest[i] else 1
    if i >= len(rest):
        return None
    image = rest[i]
    if image not in dockerfile.bases and not _PLACEHOLDER.match(image):
        return None
    if re.search(rf"\b{re.escape(image)}\b", request, re.I):
        return None  # the request names it: an image of its own
    return _canonical_run(
        request, dockerfile
    ), "fixed here: the app's image is built from the Dockerfile here"


def _canonical_run(request: str, dockerfile: Dockerfile) -> str:
    """The run the request asks for, of the image the Dockerfile here builds."""
    options: list[str] = []
    if re.search(
        r"\bremove[sd]?\s+(?:the\s+)?(?:container\s+)?when\b|\bthrow-?away\b|--rm\b", request, re.I
    ):
        options.append("--rm")
    if re.search(r"\b(?:in\s+the\s+background|detached|background)\b", request, re.I):
        options.append("-d")
    if re.search(r"\.env\b|\benv(?:ironment)?\s+file\b", request, re.I):
        options.append("--env-file .env")
    port = dockerfile.ports[0] if len(dockerfile.ports) == 1 else None
    host = re.search(r"\bports?\b.*?\b(?:on|to|at)\s+(?:port\s+)?(\d{2,5})\b", request, re.I)
    if port is not None and (host or re.search(r"\bports?\b|\bpublish", request, re.I)):
        options.append(f"-p {host[1] if host else port}:{port}")
    elif port is not None and not re.search(r"\btests?\b", request, re.I):
        options.append(f"-p {port}:{port}")  # a web app run is reached on its port
    if re.search(r"\bmount\b|\bmy\s+edits\b|\blive\s+reload", request, re.I):
        options.append(f'-v "$PWD":{dockerfile.workdir or "/app"}')
    return " ".join(["docker run", *options, "$(docker build -q .)"])
