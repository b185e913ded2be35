"""What a line's file writes do, by the class of file written.

``cmdai.safety.facts.file_writes`` lists every file a line writes, whatever writes it: a
redirection, ``tee``, the destination of ``cp``/``mv``/``install``/``ln -f``, ``sed -i``,
``truncate``, a download's ``-o``. Here each one meets the effects model's risk table by the
class of its target, so ``>> ~/.bashrc``, ``tee -a ~/.bashrc``, ``cp x ~/.bashrc`` and ``sed -i
... ~/.bashrc`` are one line of ``RISK``: a file that runs by itself later (a startup file, a
cron spool, a service unit, a kernel hook), the system's configuration under ``/etc``, shell
history. The other classes are left to the rule table,
which reads the same facts (a key appended to ``authorized_keys`` is the documented way to
give yourself access, and is not asked about).
"""

from __future__ import annotations

from cmdai.safety.effects import finding, risk_of, target_class
from cmdai.safety.effects_table import Effect, TargetClass
from cmdai.safety.facts import file_writes
from cmdai.safety.model import Finding, Risk
from cmdai.shellparse import Analysis

# facts' verbs as the effects model's effects
_EFFECT: dict[str, Effect] = {
    "overwrite": "overwrite",
    "append": "append",
    "replace": "overwrite",
    "truncate": "overwrite",
    "destroy": "overwrite",
    "edit": "edit",
    "delete": "delete",
}
# a write into these matters whatever writes it (a sysfs switch that detaches a disk included)
_READ_HERE: frozenset[TargetClass] = frozenset({"startup", "config", "history", "device-control"})
_UNPACKED_OVER: frozenset[TargetClass] = frozenset(
    {"root", "system-dir", "config", "system", "boot", "home-root"}
)


def write_findings(analysis: Analysis) -> list[Finding]:
    """A finding for each write into a file that runs by itself later (empty for the rest)."""
    out: list[Finding] = []
    for fact in file_writes(analysis):
        verb, _, rest = fact.partition(" ")
        path = rest.split(" from ", 1)[0]
        effect = _EFFECT.get(verb)
        cls = target_class(path)
        # Edited in place (sed -i, an editor) inside a system directory: the labelling rules'
        # D1 ("overwrites something inside a system directory"); a new file put there is not.
        if verb == "edit" and cls == "system":
            out.append(finding("edit", cls, Risk.MEDIUM))
            continue
        # An archive unpacked over /, a system directory or /etc replaces whatever it holds
        # (not /usr/local, /opt or a web root: where software is unpacked to be installed).
        if verb == "extract" and cls in _UNPACKED_OVER and not path.startswith("/usr/local"):
            out.append(finding("overwrite", cls, Risk.MEDIUM))
            continue
        if effect is None or cls not in _READ_HERE:
            continue
        if (risk := risk_of(effect, cls, False)) > Risk.SAFE:
            out.append(finding(effect, cls, risk))
    return out
