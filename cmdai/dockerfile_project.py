"""A Dockerfile in the working directory, where a request speaks of images or containers.

In a folder with a ``Dockerfile`` and no Compose file (the fiftieth by-hand round), "run the
container with its port published on 8080" was ``docker run -p 8080:8080 your_image_name``
(the app listens on 8000, and the image has no name yet), "which base image does it use" a
``docker inspect`` of a ``<container_id>`` and "which port does the app listen on" a
``netstat`` of the host: the model is shown files a request names, and these name none.
Where the request speaks of Docker, an image, a container or the app's port, the facts
(through ``cmdai.projects.project_facts``) show what the Dockerfile says: its base images,
working directory, exposed ports, command and environment variable names, and whether an
``.env`` file is beside it. ``cmdai.docker_fixes`` reads the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cmdai.project_files import COMPOSE_FILES, small_text

_DOCKER_WORDS = re.compile(
    r"\b(?:docker|dockerfile|images?|containers?|base\s+image|layers?|registry|ports?)\b",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(r"^\s*(?P<op>[A-Za-z]+)\s+(?P<args>.*?)\s*$")


@dataclass(frozen=True)
class Dockerfile:
    """What a Dockerfile says, as far as the facts and the fixes need it."""

    bases: tuple[str, ...]
    workdir: str
    ports: tuple[str, ...]
    command: str
    env: tuple[str, ...]


def parse_dockerfile(text: str) -> Dockerfile | None:
    """The instructions that matter of a Dockerfile (None: it has no ``FROM``)."""
    joined = re.sub(r"\\\n", " ", text)  # continuation lines
    bases: list[str] = []
    ports: list[str] = []
    env: list[str] = []
    workdir = command = ""
    for line in joined.splitlines():
        match = _INSTRUCTION.match(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        op, args = match["op"].upper(), match["args"]
        if op == "FROM":
            words = [w for w in args.split() if not w.startswith("--")]
            if words:
                bases.append(words[0])
        elif op == "WORKDIR":
            workdir = args
        elif op == "EXPOSE":
            ports.extend(p.split("/")[0] for p in args.split())
        elif op in ("CMD", "ENTRYPOINT"):
            command = args
        elif op == "ENV":
            pairs = re.findall(r"(?:^|\s)([A-Za-z_]\w*)=", args)  # ENV A=1 B=2
            env.extend(pairs or args.split()[:1])  # or the older ENV A 1
    if not bases:
        return None
    return Dockerfile(
        bases=tuple(bases),
        workdir=workdir,
        ports=tuple(dict.fromkeys(ports)),
        command=command,
        env=tuple(dict.fromkeys(env)),
    )


def read_dockerfile(workdir: Path) -> Dockerfile | None:
    """The ``Dockerfile`` here (None: none, too big, or no ``FROM``)."""
    text = small_text(workdir / "Dockerfile", replace=True)
    return parse_dockerfile(text) if text is not None else None


def dockerfile_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("Dockerfile", "Dockerfile: from python:3.12-slim; workdir /app; exposes 8000; ...")``.

    None where no Dockerfile with a ``FROM`` is here, the request does not speak of Docker,
    images, containers or ports, or a Compose file is here (its fact tells the services).
    """
    if not _DOCKER_WORDS.search(request) or not (workdir / "Dockerfile").is_file():
        return None
    if any((workdir / name).is_file() for name in COMPOSE_FILES):
        return None
    found = read_dockerfile(workdir)
    if found is None:
        return None
    parts = ["Dockerfile (no image built from it is named here): from " + ", ".join(found.bases)]
    if found.workdir:
        parts.append(f"workdir {found.workdir}")
    if found.ports:
        parts.append("exposes " + ", ".join(found.ports))
    if found.command:
        parts.append(f"runs {found.command}")
    if found.env:
        parts.append("environment: " + ", ".join(found.env))
    if (workdir / ".env").is_file():
        parts.append("an .env file is here")
    return "Dockerfile", "; ".join(parts)
