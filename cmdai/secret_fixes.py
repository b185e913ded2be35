"""Sure fixes from the twenty-ninth by-hand round: keys, checksums and encryption.

A password the request never gave kept off the command line (openssl and zip then ask for
it; seen: the text of the file being encrypted used as its password), openssl's cipher named
in full, a public key read from its ``.pub`` file (not the private key printed), a key file
the model guessed (``id_rsa``) for the one key here, a checksum file written, a
certificate's subject read with ``-subject``, a certificate made for the host named, and two
files compared by their sums.

Each returns the fixed command with a ``fixed here:`` note, or None; ``secret_fix`` is the one
``cmdai.sure_fixes`` calls, for any draft.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.cert_fixes import cert_fix
from cmdai.stages import command_stages

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def secret_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    fixed = (
        openssl_enc_fix(command, request)
        or zip_password_fix(command, request)
        or checksum_file_fix(command, request)
        or certificate_field_fix(command, request)
        or certificate_host_fix(command, request)
        or same_sum_fix(command, request)
        or cert_fix(command, request, here)  # certificates (the forty-first round)
    )
    if fixed is None and here is not None:
        fixed = public_key_fix(command, request, here) or key_file_fix(command, here)
    return fixed


def _given(password: str, request: str) -> bool:
    return password.strip("'\"") in request


def openssl_enc_fix(command: str, request: str) -> tuple[str, str] | None:
    """``openssl enc -aes-256-cbc -pbkdf2 ...`` for ``-aes-256 ... -k swordfish``.

    ``-aes-256`` names no cipher ("Unknown cipher"); ``-pbkdf2`` is the key derivation openssl
    recommends; a password the request did not give is left out, so openssl asks for it
    (typed, it stays out of the shell's history and ps).
    """
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][:2] != ["openssl", "enc"]:
        return None
    fixed, notes = command, []
    if re.search(r"(?<=\s)-aes-?256(?=\s|$)", fixed):
        fixed = re.sub(r"(?<=\s)-aes-?256(?=\s|$)", "-aes-256-cbc", fixed, count=1)
        notes.append("-aes-256-cbc names the cipher")
    password = re.search(r"\s-(?:k|pass\s+pass:)\s*(?P<pw>'[^']*'|\"[^\"]*\"|\S+)", fixed)
    if password is not None and not _given(password["pw"], request):
        fixed = fixed[: password.start()] + fixed[password.end() :]
        notes.append("openssl asks for the password (the request gave none)")
    if notes and "-pbkdf2" not in fixed and "-d" not in stages[0]:
        fixed = re.sub(r"(-aes-256-cbc|-[a-z]+-\d+-[a-z]+)", r"\1 -pbkdf2", fixed, count=1)
    if not notes:
        return None
    return fixed, "fixed here: " + "; ".join(notes)


def zip_password_fix(command: str, request: str) -> tuple[str, str] | None:
    """``zip -e secret.zip secret.txt`` for ``zip -P swordfish secret.txt``.

    A password the request did not give comes off (``-e`` asks for it), and a zip given one
    file and no archive name gets one: zip takes its first name for the archive.
    """
    found = re.match(r"^\s*zip\s+(?P<opts>(?:-\w+\s+)*)-P\s+(?P<pw>\S+)\s+(?P<rest>.+)$", command)
    if found is None or _given(found["pw"], request):
        return None
    rest = found["rest"].split()
    if any(w.startswith("-") for w in rest):
        return None
    if len(rest) == 1 and not rest[0].endswith(".zip"):
        stem = rest[0].rsplit("/", 1)[-1].split(".", 1)[0] or "archive"
        rest = [f"{stem}.zip", rest[0]]
    opts = found["opts"]
    fixed = f"zip {opts}-e {' '.join(shlex.quote(w) for w in rest)}"
    return fixed, "fixed here: zip -e asks for the password (the request gave none)"


_SUMS = {"md5": "md5sum", "sha1": "sha1sum", "sha256": "sha256sum", "sha512": "sha512sum"}
_SUM_FILE_ASKED = re.compile(
    r"\b(?:create|make|write|generate|save)\s+(?:a|an|the)\s+(?P<kind>md5|sha1|sha256|sha512)"
    r"\s*(?:checksum|sum|hash)s?\s+file\b",
    re.IGNORECASE,
)


def checksum_file_fix(command: str, request: str) -> tuple[str, str] | None:
    r"""``find ... -exec md5sum {} \; > MD5SUMS`` for the same printed: "create an md5 file"."""
    asked = _SUM_FILE_ASKED.search(request)
    if asked is None or ">" in command or "tee" in command:
        return None
    tool = _SUMS[asked["kind"].lower()]
    stages = command_stages(command)
    if len(stages) != 1 or tool not in stages[0] or " -c" in command:
        return None
    name = tool.removesuffix("sum").upper() + "SUMS"
    return f"{command.rstrip()} > {name}", f"fixed here: the sums written to {name} (-c checks it)"


_FIELDS = {"subject": "-subject", "issuer": "-issuer", "serial": "-serial"}
_FIELD_ASKED = re.compile(
    r"\b(?P<field>subject|issuer|serial(?:\s+number)?)\s+of\s+(?:the\s+certificate\s+(?:in\s+)?)?"
    r"(?P<cert>[\w./-]+\.(?:pem|crt|cer))\b",
    re.IGNORECASE,
)


def certificate_field_fix(command: str, request: str) -> tuple[str, str] | None:
    """``openssl x509 -in cert.pem -noout -subject`` for ``-text | grep -A 1 Subject: | ...``."""
    asked = _FIELD_ASKED.search(request)
    if asked is None or "openssl x509" not in command or "|" not in command:
        return None
    option = _FIELDS[asked["field"].split()[0].lower()]
    if option in command.split():
        return None
    cert = shlex.quote(asked["cert"])
    fixed = f"openssl x509 -in {cert} -noout {option}"
    return fixed, f"fixed here: openssl x509 {option} prints that field alone"


_HOST_ASKED = re.compile(
    r"\bcertificate(?P<csr>\s+(?:signing\s+)?request)?\s+for\s+"
    r"(?P<host>localhost|[\w-]+(?:\.[\w-]+)+)\b",
    re.IGNORECASE,
)


def certificate_host_fix(command: str, request: str) -> tuple[str, str] | None:
    """``-subj '/CN=localhost'`` added to ``openssl req -x509``: "a certificate for localhost".

    Without it openssl asks for every field of the name, and the host is the user's to type.
    """
    asked = _HOST_ASKED.search(request)
    if asked is None or not command.lstrip().startswith("openssl req ") or "-subj" in command:
        return None
    if ("-new" if asked["csr"] else "-x509") not in command.split():
        return None
    host = asked["host"]
    fixed = f"{command.rstrip()} -subj {shlex.quote('/CN=' + host)}"
    return fixed, f"fixed here: -subj names the certificate {host} (openssl asks otherwise)"


_SAME_ASKED = re.compile(
    r"\b(?:are|is)\s+(?P<a>[\w./-]+\.\w+)\s+and\s+(?P<b>[\w./-]+\.\w+)\s+(?:the\s+same|identical|"
    r"equal)\b.*\b(?P<kind>md5|sha1|sha256|sha512|checksums?|hash(?:es)?)\b",
    re.IGNORECASE,
)


def same_sum_fix(command: str, request: str) -> tuple[str, str] | None:
    """``[ "$(md5sum < a.bin)" = "$(md5sum < b.bin)" ] && echo same || echo different``.

    "are a.bin and b.bin the same according to their md5" was answered ``md5sum a.bin b.bin |
    grep -q " identical"``: md5sum prints no such word; its lines differ by their names.
    """
    asked = _SAME_ASKED.search(request)
    if asked is None or "[" in command or "cmp" in command:
        return None
    kind = asked["kind"].lower()
    tool = _SUMS.get(kind, "md5sum" if "md5" in command else "sha256sum")
    if tool not in command:
        return None
    a, b = shlex.quote(asked["a"]), shlex.quote(asked["b"])
    fixed = f'[ "$({tool} < {a})" = "$({tool} < {b})" ] && echo same || echo different'
    return fixed, f"fixed here: the two sums compared, without the names {tool} prints"


_PUBLIC_ASKED = re.compile(r"\bpublic\s+key\s+(?:of|for|from)\s+(?P<key>[\w./~-]+)", re.I)


def public_key_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``cat keys/id_ed25519.pub`` for ``cat keys/id_ed25519 | sed ...``, the private key shown.

    Where the key's ``.pub`` is here; else ``ssh-keygen -y -f KEY`` derives it.
    """
    asked = _PUBLIC_ASKED.search(request)
    if asked is None:
        return None
    key = asked["key"].removesuffix(".pub")
    stages = command_stages(command)
    reads_private = any(
        s[0] in ("cat", "sed", "head", "tail", "less", "more") and key in s for s in stages
    )
    if not reads_private or not here.exists(key) or "ssh-keygen -y" in command:
        return None
    pub = key + ".pub"
    fixed = (
        f"cat {shlex.quote(pub)}" if here.exists(pub) else f"ssh-keygen -y -f {shlex.quote(key)}"
    )
    return fixed, f"fixed here: the public key, from {pub} (the draft showed the private one)"


_KEY_TOOLS = re.compile(
    r"^\s*(?:ssh-keygen\s+(?:-\w+\s+)*-\w*f|ssh-add|ssh-copy-id\s+-i)\s+(?P<path>\S+)"
)


def key_file_fix(command: str, here: Here) -> tuple[str, str] | None:
    """``ssh-keygen -lf keys/id_ed25519.pub`` for ``keys/id_rsa.pub``, no such file here.

    The model writes the most common key's name; where the folder holds one key of that
    kind (public or private), that is the one meant.
    """
    found = _KEY_TOOLS.match(command)
    if found is None:
        return None
    path = found["path"]
    if "/" not in path or path.startswith(("/", "~")) or here.exists(path):
        return None
    folder = path.rsplit("/", 1)[0]
    public = path.endswith(".pub")
    keys = [
        k
        for k in here.expand(f"{folder}/id_*")
        if k.endswith(".pub") == public and not k.endswith(("-cert.pub", ".old"))
    ]
    if len(keys) != 1:
        return None
    fixed = command[: found.start("path")] + shlex.quote(keys[0]) + command[found.end("path") :]
    return fixed, f"fixed here: {path} is not here; {keys[0]} is the one key in {folder}"
