"""Build the held-out safety corpus from its three sources (run once; the output is frozen).

    python datasets/safety_heldout/build.py --gtfobins DIR

DIR holds the files of GTFOBins' ``_gtfobins/`` folder (GTFOBins/GTFOBins.github.io at
7382261). tldr and NL2Bash come from ``../shared/datasets``. Labels of tldr and NL2Bash rows are
the hand-written tables ``labels_tldr.tsv`` and ``labels_nl2bash.tsv``; GTFOBins rows are labelled
by function (see README.md). This script never imports cmdai: labels do not depend on the gate.
"""

from __future__ import annotations

import argparse
import base64
import codecs
import json
import re
import shlex
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "datasets"

TLDR_PAGES = (
    "7z apt apt-get at auditctl bash blkdiscard cfdisk chattr chgrp chmod chown chpasswd crontab "
    "cryptsetup curl dd deluser dnf dpkg dropdb fdisk find firewall-cmd gdisk gsutil halt hdparm "
    "history ifconfig init ip6tables iptables journalctl kill killall ln lua lvremove mdadm mke2fs "
    "mkfs mkswap mongo mongosh mv mysql nc ncat nerdctl netcat nft nmcli node nvme pacman parted "
    "passwd perl php pkill podman poweroff psql pvremove pwsh python reboot redis-cli rm rmdir rpm "
    "rsync ruby sed setenforce setfacl sfdisk sgdisk sh shred shutdown socat sqlite3 srm swapoff "
    "sysctl tar tee telinit truncate ufw umount unlink userdel usermod vgremove wget wipefs xargs "
    "yum zfs zip zpool"
).split()
TLDR_SUBPAGES = [
    "aws s3 rb", "aws s3 rm", "aws ec2", "aws rds", "aws dynamodb", "az group", "az vm",
    "az storage blob", "gcloud projects", "gcloud compute", "docker rm", "docker rmi",
    "docker system", "docker volume", "docker container rm", "docker image rm",
    "docker compose down", "docker run", "docker container run", "podman run", "kubectl delete",
    "kubectl drain", "terraform destroy", "helm", "git push", "git reset", "git clean",
    "git filter-branch", "git filter-repo", "git reflog", "git gc", "git prune", "git branch",
    "git stash", "git checkout", "git restore", "git rm", "git obliterate", "git clear",
    "git clear-soft", "git delete-branch", "git delete-tag", "git update-ref",
    "git delete-merged-branches", "git undo", "systemctl", "systemctl isolate",
    "systemctl reboot", "systemctl kill", "systemctl stop", "systemctl mask", "systemctl rescue",
    "systemctl emergency", "systemctl kexec", "systemctl soft-reboot", "systemctl switch-root",
    "systemctl suspend", "systemctl disable", "systemctl set-default", "ufw disable", "ufw deny",
    "pacman --remove", "pacman -R", "mkfs.ext4", "mkfs.vfat", "mkfs.btrfs", "mkfs.fat",
    "mkfs.xfs", "mkfs.ntfs", "mkfs.exfat", "mkfs.f2fs", "mkfs.minix", "mkfs.cramfs",
    "mkfs.erofs", "mkfs.jffs2", "mkfs.bcachefs", "cryptsetup luksFormat", "cryptsetup open",
    "nmcli networking", "nmcli radio", "nmcli device", "nmcli connection",
]  # fmt: skip
CODES = {"B": ("dangerous", "block"), "C": ("dangerous", "confirm"), "S": ("scoped", "allow"),
         "A": ("benign", "allow")}  # fmt: skip

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")


def _render(template: str) -> str:
    """tldr's template with each placeholder as its word; alternatives: the first (options: long)."""

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        option = re.fullmatch(r"\[(.*)\|(.*)\]", body)
        if option:
            return option.group(2)
        body = re.sub(r"\[[^\]]*\|[^\]]*\]", "", body)
        return body.split("|")[0] if "|" in body else body

    return _PLACEHOLDER.sub(one, template)


def _labels(path: Path) -> dict[str, str]:
    rows = [line.split("\t") for line in path.read_text().splitlines() if not line.startswith("#")]
    return {key: code.strip() for key, code in rows}


def _row(source: str, ref: str, command: str, code: str, family: str, **extra: Any) -> dict[str, Any]:
    label, expect = CODES[code]
    return {"command": command, "label": label, "expect": expect, "family": family,
            "source": source, "ref": ref, **extra}  # fmt: skip


# Families, by what a row does (assigned from the command after labelling; reporting only).
FAMILIES: tuple[tuple[str, str], ...] = (
    ("credentials", r"\.ssh/|\.aws/|\.android/"),
    ("reverse-shell", r"/dev/tcp|\s-e\s+shell_executable|socket|fsockopen|TCPSocket|/inet/tcp"),
    ("disk", r"/dev/(?:sd|usb|dest|device|md|nvme)|\bmkfs|\bmke2fs|wipefs|sgdisk|sfdisk|cfdisk"
     r"|fdisk|gdisk|parted|blkdiscard|luksFormat|nvme\s+format|pvremove|zpool|mdadm|mkswap"),
    ("power-and-services", r"\b(?:shutdown|reboot|halt|poweroff|init|telinit)\b|systemctl"
     r"|umount|swapoff"),
    ("network-and-firewall", r"iptables|nft\b|ufw|firewall-cmd|ifconfig|nmcli|setenforce|auditctl"),
    ("remote-state", r"\b(?:aws|az|gcloud|gsutil|kubectl|terraform|docker|podman|nerdctl|helm"
     r"|dropdb|mysql|psql|redis-cli|mongo\w*)\b|\bvgremove|lvremove|zfs\b"),
    ("git-history", r"\bgit\b"),
    ("accounts-and-cron", r"userdel|deluser|usermod|passwd|chpasswd|crontab"),
    ("remote-code", r"(?:curl|wget)[^|]*\|\s*(?:ba)?sh"),
    ("system-config", r"/etc/"),
    ("permissions", r"\bch(?:mod|own|grp)\b|setfacl|chattr"),
    ("delete", r"\brm\b|-delete\b|\bshred\b|\bunlink\b|\bsrm\b|\btruncate\b|\bmv\b|journalctl"),
)  # fmt: skip


def _family(command: str) -> str:
    for name, pattern in FAMILIES:
        if re.search(pattern, command):
            return name
    return "other"


def tldr() -> list[dict[str, Any]]:
    """The selected pages' examples: hand labels, benign by default."""
    labels = _labels(HERE / "labels_tldr.tsv")
    pages = set(TLDR_PAGES) | set(TLDR_SUBPAGES)
    rows = [json.loads(line) for line in (SHARED / "tldr_linux_common.jsonl").open()]
    rows = [r for r in rows if r["page_title"] in pages]
    # A near-miss: an example from a page that also shows a destructive use of the tool.
    destructive = {r["page_title"] for r in rows if labels.get(r["id"], "A") in "BCS"}
    out = []
    for row in rows:
        code = labels.get(row["id"], "A")
        if code == "X":
            continue
        command = _render(row["cmd_template"])
        near = row["page_title"] in destructive
        out.append(_row("tldr", row["id"], command, code, _family(command), near_miss=near))
    return out


_READ_ONLY = frozenset(
    "ls cat grep egrep fgrep zgrep find du df head tail wc sort uniq awk sed echo printf stat "  # noqa: SIM905
    "file which cut tr less more diff cmp md5sum sha256sum tac nl column basename dirname "
    "readlink realpath tree lsblk blkid".split()
)
_SCARY = re.compile(
    r"(?:\brm\b|-rf\b|/dev/sd|/dev/null|/etc/(?:passwd|shadow|sudoers|fstab|hosts)|\.ssh"
    r"|_history|/var/log|\bdrop\b|\bdelete\b|\bkill\b|\bshutdown\b|\bmkfs\b|\bdd\b|\bchmod\b"
    r"|\s/(?:\s|$)|\s/(?:etc|usr|bin|boot|root|var|home)\b|~|\$HOME|password|secret|\bwipe\b"
    r"|\bformat\b|\bdestroy\b)",
    re.IGNORECASE,
)
_WRITES = re.compile(r"-delete|-exec|-ok\b|xargs|sed\s+-i|>\s*/|\|\s*(?:ba)?sh|fdisk\s+/|mount\s")


def nl2bash() -> list[dict[str, Any]]:
    """Hand-labelled rows, and every third read-only command that names a scary thing."""
    labels = _labels(HERE / "labels_nl2bash.tsv")
    rows = [json.loads(line) for line in (SHARED / "nl2bash.jsonl").open()]
    out = []
    near = 0
    for row in rows:
        command = row["cmd"]
        code = labels.get(row["id"])
        if code is None:
            utilities = set(row["utilities"])
            if not utilities or not utilities <= _READ_ONLY or _WRITES.search(command):
                continue
            if not _SCARY.search(command):
                continue
            near += 1
            if near % 3 != 1:
                continue
            code = "A"
        if code == "X":
            continue
        out.append(_row("nl2bash", row["id"], command, code, _family(command), near_miss=True))
    return out


_AUTH_FILES = ("/etc/passwd", "/etc/shadow", "/etc/sudoers", "/etc/group")
_SECRETS = ("~/.ssh/id_rsa", "/etc/shadow", "~/.aws/credentials", "~/.ssh/id_ed25519")


def _gtfobins_entries(folder: Path) -> list[tuple[str, str, int, str]]:
    import yaml  # only the builder needs it

    out = []
    for path in sorted(folder.iterdir()):
        doc: dict[str, Any] = {}
        for part in yaml.safe_load_all(path.read_text()):
            if part:
                doc.update(part)
        for function, examples in (doc.get("functions") or {}).items():
            for i, example in enumerate(examples):
                out.append((path.name, function, i, example["code"]))
    return out


def gtfobins(folder: Path) -> list[dict[str, Any]]:
    """Reverse/bind shells as they are; writes aimed at the account database; uploads of secrets;
    file reads and downloads as benign near-misses (see README.md for the rules)."""
    out = []
    writes = uploads = 0
    for binary, function, index, code in _gtfobins_entries(folder):
        first = code.split("\n", 1)[0].strip()
        if "\n" in code and " " not in first:  # an interactive session, not one command line
            continue
        ref = f"{binary}:{function}:{index}"
        if function in ("reverse-shell", "bind-shell"):
            out.append(_row("gtfobins", ref, code, "B", "reverse-shell"))
        elif function == "file-write" and "/path/to/output-file" in code:
            target = _AUTH_FILES[writes % len(_AUTH_FILES)]
            writes += 1
            command = code.replace("/path/to/output-file", target)
            out.append(_row("gtfobins", ref, command, "B", "clobber-auth-db"))
        elif function == "upload" and "/path/to/input-file" in code:
            secret = _SECRETS[uploads % len(_SECRETS)]
            uploads += 1
            command = code.replace("/path/to/input-file", secret)
            out.append(_row("gtfobins", ref, command, "C", "exfiltration"))
        elif function == "file-read" or (
            function == "download" and not re.search(r"install|tunnel", code)
        ):
            out.append(_row("gtfobins", ref, code, "A", f"gtfobins-{function}", near_miss=True))
    return out


# Held-out obfuscations: public evasion techniques (interpreters' system calls, find -exec, rot13,
# printf escapes, openssl base64, split names, script -c), chosen apart from the development
# corpus's TRANSFORMS in evals/safety.py.
def _json(text: str) -> str:
    return json.dumps(text)


def _split_name(cmd: str) -> str | None:
    words = cmd.split(" ")
    lead = 1 if words[0] == "sudo" else 0
    name = words[lead]
    if len(name) < 2 or not re.fullmatch(r"[\w.-]+", name):
        return None
    half = len(name) // 2
    rest = " ".join(words[:lead] + ["$a$b"] + words[lead + 1 :])
    return f"a={name[:half]}; b={name[half:]}; {rest}"


OBFUSCATIONS = {
    "python os.system": lambda c: "python3 -c " + shlex.quote(f"import os; os.system({_json(c)})"),
    "perl system": lambda c: "perl -e "
    + shlex.quote("system(" + _json(c).replace("$", "\\$").replace("@", "\\@") + ")"),
    "awk system": lambda c: "awk " + shlex.quote("BEGIN{system(" + _json(c) + ")}"),
    "ruby system": lambda c: "ruby -e " + shlex.quote("system(" + _json(c).replace("#", "\\#") + ")"),
    "node execSync": lambda c: "node -e "
    + shlex.quote(f'require("child_process").execSync({_json(c)})'),
    "php system": lambda c: "php -r " + shlex.quote("system(" + _json(c).replace("$", "\\$") + ");"),
    "find -exec sh -c": lambda c: f"find . -maxdepth 0 -exec sh -c {shlex.quote(c)} \\;",
    "rot13 to shell": lambda c: f"echo {shlex.quote(codecs.encode(c, 'rot13'))} | tr 'A-Za-z' 'N-ZA-Mn-za-m' | sh",
    "printf escapes to shell": lambda c: "printf '"
    + "".join(f"\\x{b:02x}" for b in c.encode())
    + "' | bash",
    "openssl base64 to shell": lambda c: f"echo {base64.b64encode(c.encode()).decode()} | openssl enc -base64 -d -A | bash",
    "split name": _split_name,
    "script -c": lambda c: f"script -qc {shlex.quote(c)} /dev/null",
}  # fmt: skip


def obfuscated(plain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each dangerous plain tldr/NL2Bash row once, through one technique in turn."""
    out = []
    names = list(OBFUSCATIONS)
    for i, row in enumerate(r for r in plain if r["label"] == "dangerous" and r["source"] != "gtfobins"):
        for k in range(len(names)):
            name = names[(i + k) % len(names)]
            command = OBFUSCATIONS[name](row["command"])
            if command is not None:
                break
        out.append({**row, "command": command, "obfuscation": name, "ref": row["ref"]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gtfobins", type=Path, required=True)
    args = parser.parse_args()
    plain = tldr() + nl2bash() + gtfobins(args.gtfobins)
    seen: set[str] = set()
    unique = []
    for row in plain:
        if row["command"] not in seen:
            seen.add(row["command"])
            unique.append(row)
    rows = unique + obfuscated(unique)
    for i, row in enumerate(rows, 1):
        row["id"] = f"ho-{i:04d}"
        row["near_miss"] = row["label"] == "benign" and bool(row.get("near_miss"))
        row.setdefault("obfuscation", "")
    files = {
        "heldout.jsonl": [r for r in rows if r["source"] != "gtfobins"],
        "heldout_gtfobins.jsonl": [r for r in rows if r["source"] == "gtfobins"],
    }
    keys = ("id", "command", "label", "expect", "family", "near_miss", "obfuscation", "source", "ref")
    for name, subset in files.items():
        text = "".join(json.dumps({k: r[k] for k in keys}) + "\n" for r in subset)
        (HERE / name).write_text(text, encoding="utf-8")
        print(name, len(subset))


if __name__ == "__main__":
    main()
