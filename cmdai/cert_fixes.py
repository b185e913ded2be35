"""Sure fixes from the forty-first by-hand round: certificates and what they are checked with.

A certificate request read as a request (``openssl req``; ``x509`` refuses a CSR), a DER
file written to a file (not binary to the terminal), ``s_client`` given no stdin (it waits
for typing otherwise, after the certificate), a site's certificate checked with
``-checkend``, a key compared with a certificate by their public keys, the days left before
a certificate expires counted, and the text of a file a request names read from the file
(seen: its first line, shown in the facts, echoed into ``openssl enc``).

``cert_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.secret_fixes.secret_fix``).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.stages import command_stages

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def cert_fix(command: str, request: str, here: Here | None) -> tuple[str, str] | None:
    """The first of this module's fixes that applies (None: none does)."""
    return (
        csr_fix(command, request)
        or der_output_fix(command)
        or days_left_fix(command, request)
        or key_matches_fix(command, request)
        or site_valid_fix(command, request)
        or s_client_stdin_fix(command, request)
        or (echoed_file_fix(command, request, here) if here is not None else None)
    )


_CERT = r"[\w./~-]+\.(?:crt|pem|cer|cert)"


def csr_fix(command: str, request: str) -> tuple[str, str] | None:
    """``openssl req -in api.csr -noout -text`` for ``openssl x509 -in api.csr -text``."""
    found = re.match(r"\s*openssl\s+x509\s.*?-in\s+(?P<csr>[\w./~-]+\.csr)\b", command)
    if found is None:
        return None
    fixed = f"openssl req -in {shlex.quote(found['csr'])} -noout -text"
    return fixed, "fixed here: a certificate request is read with openssl req (x509 refuses it)"


def der_output_fix(command: str) -> tuple[str, str] | None:
    """``-out server.der`` for ``openssl x509 -in server.crt -outform der`` (binary to a tty)."""
    stages = command_stages(command)
    if len(stages) != 1 or stages[0][:2] != ["openssl", "x509"] or ">" in command:
        return None
    words = stages[0]
    if "-out" in words or not any(w.lower() == "der" for w in words):
        return None
    source = words[words.index("-in") + 1] if "-in" in words[:-1] else None
    if source is None:
        return None
    target = re.sub(r"\.(?:crt|pem|cer|cert)$", "", source) + ".der"
    fixed = f"{command.rstrip()} -out {shlex.quote(target)}"
    return fixed, f"fixed here: -out {target} (DER is binary: not for the terminal)"


_DAYS_LEFT = re.compile(
    r"\bhow\s+many\s+days\b.*\b(?:until|till|before|left)\b.*?(?P<cert>" + _CERT + r")"
    r"|\b(?P<cert2>" + _CERT + r")\b.*\bhow\s+many\s+days\b",
    re.IGNORECASE,
)


def days_left_fix(command: str, request: str) -> tuple[str, str] | None:
    """The days before a certificate expires, counted (seen: its date printed, not counted)."""
    asked = _DAYS_LEFT.search(request)
    if asked is None or not re.search(r"\bexpir", request, re.IGNORECASE):
        return None
    if "openssl x509" not in command or re.search(r"\$\(\(|86400|\bdays\b", command):
        return None
    cert = shlex.quote(asked["cert"] or asked["cert2"])
    end = f'$(date -d "$(openssl x509 -enddate -noout -in {cert} | cut -d= -f2)" +%s)'
    fixed = f"echo $(( ({end} - $(date +%s)) / 86400 ))"
    return fixed, "fixed here: the end date less today, in days"


_MATCHES = re.compile(
    r"\b(?P<key>[\w./~-]+\.key)\s+(?:matches|belongs\s+to|fits|goes\s+with)\s+(?P<cert>"
    + _CERT
    + r")\b",
    re.IGNORECASE,
)


def key_matches_fix(command: str, request: str) -> tuple[str, str] | None:
    """Key and certificate compared by their public keys (seen: the key's written to a file)."""
    asked = _MATCHES.search(request)
    if asked is None or not command.lstrip().startswith("openssl"):
        return None
    if re.search(r"\bdiff\b|\bcmp\b|\s=\s|==|md5|sha\d+sum", command):
        return None
    cert, key = shlex.quote(asked["cert"]), shlex.quote(asked["key"])
    fixed = (
        f'[ "$(openssl x509 -noout -pubkey -in {cert})" = "$(openssl pkey -pubout -in {key})" ]'
        " && echo match || echo 'no match'"
    )
    return fixed, "fixed here: a key matches a certificate when their public keys are the same"


def site_valid_fix(command: str, request: str) -> tuple[str, str] | None:
    """``| openssl x509 -noout -dates -checkend 0`` for "is the certificate of example.com valid".

    Seen: the whole certificate printed (``-text``), which says nothing about validity.
    """
    if not re.search(r"\b(?:valid|expired)\b", request, re.IGNORECASE):
        return None
    stages = _pipeline(command)
    if len(stages) != 2 or stages[0][:2] != ["openssl", "s_client"]:
        return None
    if stages[1][:2] != ["openssl", "x509"] or "-checkend" in stages[1]:
        return None
    first = command.split("|", 1)[0].rstrip()
    if "<" not in first:
        first += " </dev/null"
    fixed = f"{first} | openssl x509 -noout -dates -checkend 0"
    return fixed, "fixed here: -checkend 0 says whether the certificate has expired"


def s_client_stdin_fix(command: str, request: str) -> tuple[str, str] | None:
    """``openssl s_client -connect host:443 </dev/null``: with no stdin it ends by itself.

    Otherwise it keeps the connection open and waits for typing after printing. Only where
    its output goes on down a pipe, or the request is about the certificate.
    """
    stages = _pipeline(command)
    if not stages or stages[0][:2] != ["openssl", "s_client"]:
        return None
    if len(stages) == 1 and not re.search(r"\bcert|\bchain\b|\bexpir", request, re.I):
        return None  # a session to type into ("connect to ... with SNI"): stdin is wanted
    first, sep, rest = command.partition("|")
    if re.search(r"<|\becho\b|-verify_return_error\s*$", first) or "|" in first:
        return None
    redirected = re.sub(r"(\s2>\s*/dev/null)?\s*$", r" </dev/null\1", first.rstrip(), count=1)
    fixed = redirected + (" |" + rest if sep else "")
    return fixed, "fixed here: </dev/null, so s_client ends instead of waiting for input"


def _pipeline(command: str) -> list[list[str]]:
    """The words of each stage of a plain pipeline, redirections to and from files left out.

    Empty where it is not one (a list, a substitution, quotes that do not close).
    """
    if re.search(r"[;&`$()]|\|\|", command.replace("2>&1", "")):
        return []
    try:
        stages = [shlex.split(part) for part in command.split("|")]
    except ValueError:
        return []
    return [[w for w in words if not re.match(r"\d?[<>]", w)] for words in stages]


def echoed_file_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """``openssl enc ... < secrets.env`` for ``echo "DB_PASSWORD=hunter2" | openssl enc ...``.

    The facts show the model a named file's first line; echoing it sends one line of the file
    (and puts a secret on the command line) where the request means the file.
    """
    found = re.match(
        r"\s*(?:echo|printf)\s+(?P<q>['\"]?)(?P<text>[^'\"|]+)(?P=q)\s*\|\s*(?P<rest>.+)$", command
    )
    if found is None or "|" in found["rest"]:
        return None
    for name in re.findall(r"(?<![\w./-])([\w./-]+\.[\w]+)(?![\w/])", request):
        named = re.search(rf"(?<![\w./-]){re.escape(name)}(?![\w.-])", found["rest"])
        if here.first_line(name) == found["text"] and named is None:
            fixed = f"{found['rest'].rstrip()} < {shlex.quote(name)}"
            return fixed, f"fixed here: {name} itself is read, not its first line typed again"
    return None
