"""The effects table (data): what each utility does to which of its arguments.

Three tables, reviewed as data (sources: the utilities' man pages and ``--help``; tldr pages for
usage), read by ``cmdai.safety.effects``:

- ``UTILITIES``: per utility, each way it changes something (``Use``): the effect, which words
  are its targets, and the sub-command words or options that turn it on or off.
- ``TARGET_CLASSES``: what a target is (a block device, ``/``, a system directory, the account
  database, credentials, history and logs, a path in the working tree...), first match wins.
- ``RISK``: risk = f(effect, target class), one line per pair; ``RECURSIVE_ONLY`` says which
  classes of directories count only when the effect is recursive.

One line of ``RISK`` covers every utility with that effect: ``mv /etc/shadow x``, ``tar
--remove-files -cf x /etc/shadow`` and ``shutil.rmtree`` (read by ``cmdai.inline``) meet the same
line as ``rm /etc/shadow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cmdai.safety.model import Risk
from cmdai.shellparse.vocabulary import DATA_DIRS

Effect = Literal[
    "delete",  # removes files (rm, unlink, find -delete, tar --remove-files, mv's source)
    "overwrite",  # replaces or truncates a file's content (dd of=, cp/install/ln -f destination)
    "edit",  # changes a file in place (sed -i, perl -i, an editor opened on it)
    "append",  # adds to a file (tee -a)
    "move-away",  # moves a file away from where the system expects it (mv's source)
    "mode",  # changes permissions, owner, ACL or attributes (chmod, chown, setfacl, chattr)
    "format",  # creates a file system, zaps signatures, encrypts or erases a device
    "partition",  # writes a partition table
    "partition-editor",  # opens an interactive partition editor on a device
    "power",  # shutdown, reboot, halt, kexec, isolate to rescue/emergency
    "network-down",  # takes an interface, the network or the firewall's traffic down
    "security-off",  # turns a security control off
    "accounts-delete",  # deletes an account with its files
    "accounts-weaken",  # removes a password
    "accounts-change",  # adds or changes an account or a group (password, shell, groups...)
    "accounts-edit",  # opens the account database or sudoers in an editor (vipw, visudo)
    "security-config",  # changes a security policy for good (SELinux booleans, contexts)
    "schedule",  # leaves commands to run later or again (cron, at, timers)
    "autostart",  # makes a unit file from elsewhere one of the system's services
    "cron-wipe",  # replaces the cron table with nothing
    "history-rewrite",  # rewrites or prunes shared version-control history
    "remote-destroy",  # destroys remote or shared state at scale (databases, clouds, clusters)
    "remote-change",  # changes remote state with the tool's own review skipped or undone
    "database-reset",  # drops, empties or recreates an application's database (its migrations)
    "log-wipe",  # deletes system logs
    "expose",  # lets other users read a secret (chmod 644 ~/.ssh/id_rsa)
    "open-write",  # lets other users change what runs as you or configures the system
    "setuid",  # makes a program run as its owner (root) for whoever runs it
    "lock-out",  # makes your own keys unusable to you (unreadable, or root's)
    "detach",  # takes disks or volumes away from the running system (dmsetup remove_all)
]
TargetClass = Literal[
    "device",
    "device-control",
    "root",
    "system-dir",
    "data-dir",
    "home-root",
    "auth-db",
    "boot",
    "core-binary",
    "credentials",
    "history",
    "audit-logs",
    "logs",
    "startup",
    "config",
    "system",
    "computed",
    "home",
    "temp",
    "relative",
    "other",
    "none",
]
Targets = Literal["args", "first", "last", "sources", "after-first", "none", "value"]


@dataclass(frozen=True)
class Use:
    """One way a utility changes something.

    Attributes:
        effect: What it does.
        targets: Which words it does it to: every positional argument (``args``), the
            ``first`` or ``last`` one, all but the last (``sources``), all but the first
            (``after-first``: ``chmod MODE FILE...``), the value of the options in ``values``
            (``value``: ``dd of=``), or nothing (``none``: ``reboot``).
        words: Sub-command words that must lead the positional arguments (``luksFormat``).
        any_of: Options of which one must be present (a short option also counts inside a
            cluster, ``-rf``); empty: always.
        unless: Options that turn the effect off (``--no-act``, ``--list``).
        recursive: Options that make it recursive.
        values: Options whose value is the target (``of=``, ``--target-directory``).
        all_of: Options that widen it to everything of a kind (``--all``).
        only_args: When set, the use applies only with exactly this many positional words
            (``parted /dev/sda`` opens the editor; ``parted /dev/sda print`` does not).
        spare: A pattern: when a positional word matches it, the use does not apply
            (``zfs destroy pool/fs@snapshot`` destroys one snapshot, not the file system).
    """

    effect: Effect
    targets: Targets = "args"
    words: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    recursive: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    only_args: int = 0
    spare: str = ""


_R = ("-r", "-R", "--recursive")
_MKFS = Use("format", "args", unless=("--help", "-V", "--version", "-n", "--dry-run"))
_PART_READ = ("-l", "--list", "-p", "--print", "-v", "--verify", "-L", "--list-types", "--help")
_KEEPS_INPUT = (
    "-k", "--keep", "-c", "--stdout", "--to-stdout", "-t", "--test", "-l", "--list", "-d",
    "--decompress", "--uncompress", "-h", "--help", "-V", "--version", "-L", "--license",
)  # fmt: skip
_PARTCLONE = tuple(
    f"partclone.{fs}"
    for fs in (
        "ext2",
        "ext3",
        "ext4",
        "ntfs",
        "vfat",
        "fat",
        "fat32",
        "xfs",
        "btrfs",
        "exfat",
        "dd",
    )
)
_POWER_UNLESS = ("-c", "--cancel", "-k", "-w", "--wtmp-only", "--help", "--show")

UTILITIES: dict[str, tuple[Use, ...]] = {
    # deleting
    "rm": (Use("delete", recursive=_R),),
    "unlink": (Use("delete"),),
    "srm": (Use("delete", recursive=_R),),
    # wipe and scrub overwrite what they are given (a device: the disk), then remove files
    "wipe": (Use("overwrite", unless=("-h",)), Use("delete", recursive=_R)),
    "scrub": (Use("overwrite", unless=("-h", "--help", "-v")), Use("delete", any_of=("-r",))),
    "shred": (Use("overwrite"), Use("delete", any_of=("-u", "--remove"))),
    "truncate": (Use("overwrite", unless=("--help",)),),
    "find": (Use("delete", "first", any_of=("-delete",), recursive=("-delete",)),),
    "tar": (
        Use("delete", any_of=("--remove-files",), recursive=("--remove-files",)),
        # The archive it creates replaces whatever -f names (a device: the disk is gone).
        Use("overwrite", "value", any_of=("-c", "--create"), values=("-f", "--file")),
    ),
    "zip": (Use("delete", "after-first", any_of=("-m", "--move"), recursive=("-r",)),),
    # 7z archives a named directory whole (its -r is about wildcards).
    "7z": (Use("delete", "after-first", any_of=("-sdel",), recursive=("*",)),),
    # Compressors replace each FILE with FILE.gz (or .bz2, .xz...): the original is gone from
    # where the system expects it, unless kept (-k), written to stdout (-c), or only tested
    # or listed. zstd, lz4 and brotli keep it unless told --rm; lzop unless -U.
    **dict.fromkeys(
        ("gzip", "pigz", "bzip2", "pbzip2", "lbzip2", "xz", "lzma", "lzip", "compress"),
        (Use("move-away", recursive=_R, unless=_KEEPS_INPUT),),
    ),
    **dict.fromkeys(
        ("zstd", "lz4", "brotli"), (Use("move-away", any_of=("--rm",), unless=_KEEPS_INPUT),)
    ),
    "lzop": (Use("move-away", any_of=("-U", "--unlink", "--delete"), unless=_KEEPS_INPUT),),
    # Writers whose output file is a plain word: uniq INPUT OUTPUT, script's typescript FILE
    # (and its --log-* files), screen's -Logfile with -L.
    "uniq": (Use("overwrite", "last", only_args=2, unless=("--help", "--version")),),
    "script": (
        Use("overwrite", "first", unless=("-a", "--append", "--help", "-V", "--version")),
        Use("overwrite", "value", values=("-O", "--log-out", "-B", "--log-io", "-I", "--log-in")),
    ),
    "screen": (Use("overwrite", "value", any_of=("-L",), values=("-Logfile",)),),
    "rsync": (
        Use(
            "delete",
            "sources",
            any_of=("--remove-source-files",),
            recursive=("-r", "--recursive", "-a", "--archive"),
        ),
        Use(
            "delete",
            "last",
            any_of=("--delete", "--delete-before", "--delete-after", "--delete-during"),
            unless=("-n", "--dry-run"),
            recursive=("--delete", "--delete-before", "--delete-after", "--delete-during"),
        ),
        # Like cp: the destination is replaced (`rsync x /etc/passwd`); not read when a
        # word is another host's (`HOST:PATH`).
        Use("overwrite", "last", unless=("-n", "--dry-run"), spare=r"^[^/]*:"),
    ),
    # scp's destination, when it is here (not another host's HOST:PATH); lwp-download's file;
    # htpasswd -c creates its password file anew, over whatever was there
    "scp": (Use("overwrite", "last", spare=r"^[^/]*:"),),
    "lwp-download": (Use("overwrite", "last", only_args=2),),
    "htpasswd": (Use("overwrite", "first", any_of=("-c",)),),
    # `xxd -r IN OUT` writes OUT.
    "xxd": (Use("overwrite", "last", any_of=("-r", "-revert"), only_args=2),),
    "journalctl": (
        Use("log-wipe", "none", any_of=("--vacuum-time", "--vacuum-size", "--vacuum-files")),
    ),
    # overwriting and moving away
    "dd": (Use("overwrite", "value", values=("of",)),),
    # dd's forensic descendants take the same of= operand
    **dict.fromkeys(("dcfldd", "dc3dd"), (Use("overwrite", "value", values=("of",)),)),
    "tee": (Use("overwrite", unless=("-a", "--append")), Use("append", any_of=("-a", "--append"))),
    # moreutils: soaks up its input, then writes the file (`sort f | sponge f`)
    "sponge": (Use("overwrite", unless=("-a",)), Use("append", any_of=("-a",))),
    "cp": (Use("overwrite", "last", values=("-t", "--target-directory")),),
    "install": (Use("overwrite", "last", values=("-t", "--target-directory")),),
    "mv": (
        Use("move-away", "sources", recursive=("*",)),
        Use("overwrite", "last", values=("-t", "--target-directory")),
    ),
    "ln": (
        Use("overwrite", "last", any_of=("-f", "--force")),
        # a link to /dev/null put in a file's place swallows what is written there
        Use("overwrite", "last", words=("/dev/null",), only_args=2),
    ),
    # Tools that write a file named by an option or a position (their man pages).
    "wget": (
        Use("overwrite", "value", values=("-O", "--output-document", "-o", "--output-file")),
        Use("append", "value", values=("-a", "--append-output")),
    ),
    "tcpdump": (Use("overwrite", "value", values=("-w",)),),
    "nmap": (Use("overwrite", "value", values=("-oN", "-oX", "-oG", "-oS", "-oA")),),
    "dos2unix": (Use("overwrite", "last", any_of=("-n", "--newfile")),),
    "unix2dos": (Use("overwrite", "last", any_of=("-n", "--newfile")),),
    "convert": (Use("overwrite", "last"),),
    "pv": (),
    # permissions
    "chmod": (Use("mode", "after-first", recursive=_R),),
    "chown": (Use("mode", "after-first", recursive=_R),),
    "chgrp": (Use("mode", "after-first", recursive=_R),),
    "chattr": (Use("mode", "after-first", recursive=("-R",)),),
    "setfacl": (Use("mode", "last", recursive=("-R", "--recursive")),),
    # devices: file systems, partition tables, encryption, erasure
    "mkfs": (_MKFS,),
    "mke2fs": (_MKFS,),
    "mkswap": (_MKFS,),
    "mkdosfs": (_MKFS,),
    "mkntfs": (_MKFS,),
    "newfs": (_MKFS,),
    "mkexfatfs": (_MKFS,),
    "mkudffs": (_MKFS,),
    "mformat": (Use("format", "value", values=("-i",)),),  # mtools: the image or device
    "mkfs_msdos": (_MKFS,),
    "sg_format": (Use("format", "args", any_of=("-F", "--format")),),
    "wipefs": (Use("format", any_of=("-a", "--all", "-o", "--offset"), unless=("-n", "--no-act")),),
    "sgdisk": (
        Use(
            "partition",
            "last",
            any_of=(
                "-Z",
                "--zap-all",
                "-z",
                "--zap",
                "-o",
                "--clear",
                "-n",
                "--new",
                "-d",
                "--delete",
                "-l",
                "--load-backup",
                "-m",
                "--gpttombr",
                "-g",
                "--mbrtogpt",
                "-G",
                "--randomize-guids",
                "-R",
                "--replicate",
                "-x",
                "--change-name",
            ),
        ),
        Use("partition-editor", "last", any_of=("-t", "--typecode", "-A", "--attributes")),
    ),
    "sfdisk": (
        Use(
            "partition",
            "first",
            unless=(
                "-d",
                "--dump",
                "-l",
                "--list",
                "-s",
                "--show-size",
                "-V",
                "--verify",
                "-J",
                "--json",
                "-F",
                "--list-free",
                "--help",
                "-v",
                "--version",
                "-n",
                "--no-act",
                "--part-type",
                "--part-attrs",
                "--part-label",
                "--part-uuid",
                "-g",
                "--show-geometry",
            ),
        ),
        Use("partition-editor", "first", any_of=("--part-type", "--part-attrs", "--part-label")),
    ),
    "fdisk": (Use("partition-editor", unless=(*_PART_READ, "-s", "--getsz")),),
    "gdisk": (Use("partition-editor", unless=_PART_READ),),
    "cgdisk": (Use("partition-editor", unless=_PART_READ),),
    "cfdisk": (
        Use("partition", any_of=("-z", "--zero")),
        Use("partition-editor", unless=(*_PART_READ, "-z", "--zero")),
    ),
    "parted": (
        Use("partition", "first", words=("*", "mklabel")),
        Use("partition", "first", words=("*", "mktable")),
        Use("partition", "first", words=("*", "mkpart")),
        Use("partition", "first", words=("*", "rm")),
        Use("partition", "first", words=("*", "resizepart")),
        Use("partition", "first", words=("*", "rescue")),
        Use("partition-editor", "first", words=("*", "set")),
        Use("partition-editor", "first", words=("*", "name")),
        Use(
            "partition-editor",
            "first",
            only_args=1,
            unless=("-l", "--list", "--help", "-v", "--version"),
        ),
    ),
    # ddrescue INFILE OUTFILE [MAPFILE]: the output, and the map file, are written
    "ddrescue": (Use("overwrite", "after-first", unless=("--help",)),),
    # bmaptool copy IMAGE DEVICE writes the image onto the device
    "bmaptool": (Use("overwrite", "last", words=("copy",)),),
    # ntfsclone writes its -o image, or the device it restores over (-O, --overwrite)
    "ntfsclone": (Use("overwrite", "value", values=("-o", "--output", "-O", "--overwrite")),),
    # fsarchiver restores a file system over the device its `dest=` names (read by a rule);
    # saving one only reads the device. fatresize -s resizes the partition in place.
    "fsarchiver": (),
    "fatresize": (Use("partition-editor", any_of=("-s", "--size")),),
    # sg_sanitize erases the medium (crypto, block or overwrite sanitize)
    "sg_sanitize": (
        Use("format", any_of=("-C", "--crypto", "-B", "--block", "-O", "--overwrite")),
    ),
    "cryptsetup": (
        Use("format", "args", words=("luksFormat",)),
        Use("format", "args", words=("erase",)),
        Use("format", "args", words=("luksErase",)),
        Use("format", "args", words=("reencrypt",)),
        Use("format", "args", words=("luksKillSlot",)),
    ),
    "blkdiscard": (Use("format", unless=("--help",)),),
    "nvme": (
        Use("format", "args", words=("format",)),
        Use("format", "args", words=("sanitize",)),
    ),
    "hdparm": (
        Use(
            "format",
            any_of=(
                "--security-erase",
                "--security-erase-enhanced",
                "--trim-sector-ranges",
                "--write-sector",
                "--make-bad-sector",
                "--dco-restore",
            ),
        ),
    ),
    "pvremove": (Use("format", unless=("--help",)),),
    "pvcreate": (Use("format", unless=("--help", "-t", "--test")),),
    # an array created or built over devices, a superblock zeroed, a device added (resynced)
    "mdadm": (
        Use("format", any_of=("--create", "-C", "--zero-superblock", "--build", "-B", "--add")),
    ),
    "badblocks": (Use("format", any_of=("-w",)),),
    "zpool": (
        Use("format", "args", words=("create",)),
        Use("format", "args", words=("add",)),
        Use("format", "args", words=("labelclear",)),
        Use("format", "args", words=("replace",)),
        Use("remote-destroy", "none", words=("destroy",)),  # the pool and every dataset in it
    ),
    # btrfs device add DEV... PATH puts each device into the file system, its old content gone
    "btrfs": (
        Use("format", "args", words=("device", "add")),
        Use("format", "args", words=("replace", "start")),
    ),
    # nwipe DEVICE... wipes each; --autonuke with none named wipes every disk it finds
    "nwipe": (
        Use("format", "args", unless=("-h", "--help", "-V", "--version")),
        Use("format", "none", any_of=("-a", "--autonuke"), unless=("-h", "--help")),
    ),
    # FreeBSD's partition tool: a table destroyed, created over one, or a partition deleted
    "gpart": (
        Use("partition", "args", words=("destroy",)),
        Use("partition", "args", words=("create",)),
        Use("partition", "args", words=("delete",)),
    ),
    # every device-mapper volume (LVM, dm-crypt) taken away; -f swaps open ones for I/O errors
    "dmsetup": (
        Use("detach", "none", words=("remove_all",)),
        Use("detach", "args", words=("wipe_table",)),
    ),
    "diskutil": (
        Use("format", "args", words=("eraseDisk",)),
        Use("format", "args", words=("eraseVolume",)),
        Use("format", "args", words=("reformat",)),
        Use("format", "args", words=("zeroDisk",)),
        Use("format", "args", words=("randomDisk",)),
        Use("format", "args", words=("secureErase",)),
        Use("format", "args", words=("partitionDisk",)),
        Use("format", "args", words=("apfs", "deleteContainer")),
        Use("format", "args", words=("apfs", "eraseVolume")),
    ),
    # power and services
    "shutdown": (Use("power", "none", unless=_POWER_UNLESS),),
    "reboot": (Use("power", "none", unless=_POWER_UNLESS),),
    "halt": (Use("power", "none", unless=_POWER_UNLESS),),
    "poweroff": (Use("power", "none", unless=_POWER_UNLESS),),
    "init": tuple(Use("power", "none", words=(w,)) for w in ("0", "1", "6", "s", "S")),
    "telinit": tuple(Use("power", "none", words=(w,)) for w in ("0", "1", "6", "s", "S")),
    "systemctl": (
        *(
            Use("power", "none", words=(w,), unless=("--help", "--when"))
            for w in (
                "poweroff",
                "reboot",
                "halt",
                "kexec",
                "isolate",
                "rescue",
                "emergency",
                "switch-root",
                "soft-reboot",
                "default",
            )
        ),
        # A unit file linked in from elsewhere (`systemctl link /tmp/x.service`) becomes one of
        # the system's services; enabling one the system already has is ordinary administration.
        Use("autostart", "none", words=("link",), unless=("--help",)),
    ),
    "kexec": (Use("power", "none", any_of=("-e", "--exec")),),  # boots the loaded kernel now
    "loginctl": tuple(Use("power", "none", words=(w,)) for w in ("poweroff", "reboot", "halt")),
    # network and security controls
    "ifconfig": (Use("network-down", "none", words=("*", "down")),),
    "ifdown": (Use("network-down", "none", unless=("--help", "-n", "--no-act")),),
    # the DHCP lease released (-r) or the client stopped (-x): the interface loses its address
    "dhclient": (Use("network-down", "none", any_of=("-r", "-x")),),
    "nmcli": (
        Use("network-down", "none", words=("networking", "off")),
        Use("network-down", "none", words=("radio", "all", "off")),
        Use("network-down", "none", words=("radio", "wifi", "off")),  # a laptop's only link
        Use("network-down", "none", words=("connection", "down")),
        Use("network-down", "none", words=("con", "down")),
        Use("network-down", "none", words=("device", "disconnect")),
        Use("network-down", "none", words=("dev", "disconnect")),
    ),
    "firewall-cmd": (Use("network-down", "none", any_of=("--panic-on",)),),
    # rfkill(8): every radio, or the Wi-Fi ones, switched off
    "rfkill": tuple(
        Use("network-down", "none", words=("block", k)) for k in ("all", "wifi", "wlan")
    ),
    # the default route removed: every connection beyond the local network, this one too
    "ip": tuple(
        Use("network-down", "none", words=(r, d, "default"))
        for r in ("route", "r", "ro")
        for d in ("del", "delete", "flush")
    ),
    "route": tuple(Use("network-down", "none", words=(d, "default")) for d in ("del", "delete")),
    "setenforce": (Use("security-off", "none", words=("0",)),),
    # SELinux policy changed for good: a persistent boolean, a file context, port or login
    # mapping (semanage's list and extract forms only show), a policy module (un)installed.
    "setsebool": (Use("security-config", "none", any_of=("-P",)),),
    "semanage": (
        Use("security-config", "none", unless=("-l", "--list", "-E", "--extract", "-h", "--help")),
    ),
    "semodule": (
        Use(
            "security-config",
            "none",
            any_of=("-i", "--install", "-r", "--remove", "-d", "--disable", "-u", "--upgrade"),
        ),
    ),
    # ufw's default policy set to deny or reject: every connection not allowed by a rule, this
    # session's too when ssh was not allowed first
    "ufw": tuple(Use("network-down", "none", words=("default", p)) for p in ("deny", "reject")),
    "aa-teardown": (Use("security-off", "none"),),
    "auditctl": (Use("security-off", "none", any_of=("-D",)),),
    # accounts, cron, history
    "userdel": (Use("accounts-delete", "last", any_of=("-r", "--remove")),),
    "deluser": (
        Use(
            "accounts-delete",
            "last",
            any_of=("--remove-home", "--remove-all-files"),
        ),
    ),
    "passwd": (
        Use("accounts-weaken", "none", any_of=("-d", "--delete")),
        # `passwd NAME` sets another account's password; a bare `passwd` is your own
        Use(
            "accounts-change",
            "none",
            only_args=1,
            unless=("-S", "--status", "-e", "--expire", "--help", "-h"),
        ),
    ),
    "crontab": (
        Use("cron-wipe", "none", words=("/dev/null",)),
        # `crontab FILE` or `crontab -` installs a whole table (the listing and the editor do not)
        Use("schedule", "none", only_args=1, unless=("-l", "-r", "-e", "-i", "--help", "-V")),
        Use("schedule", "none", any_of=("-e",)),  # the table opened in an editor
    ),
    # Accounts and groups: adding one (an everyday `useradd` is also how an intruder stays),
    # changing one's password, shell, login name, id, groups or expiry, a group added, renamed,
    # deleted or given members: each writes the account database (the labelling rules' D8).
    **dict.fromkeys(
        ("useradd", "newusers", "chpasswd", "ldapadd", "ldappasswd", "adduser"),
        (Use("accounts-change", "none", unless=("--help", "-h", "--version")),),
    ),
    **dict.fromkeys(
        ("usermod", "groupadd", "groupdel", "groupmod", "addgroup", "delgroup", "chfn"),
        (Use("accounts-change", "none", unless=("--help", "-h", "--version")),),
    ),
    # gpasswd GROUP sets the group's password; -a/-d/-M/-A/-r/-R change members or admins
    "gpasswd": (Use("accounts-change", "none", unless=("--help", "-h")),),
    # chage -l only lists; every other form changes when a password or account expires
    "chage": (Use("accounts-change", "none", unless=("-l", "--list", "--help", "-h")),),
    # The account database or sudoers opened in an editor (visudo -c only checks the syntax).
    "visudo": (Use("accounts-edit", "none", unless=("-c", "--check", "-h", "--help", "-V")),),
    **dict.fromkeys(("vipw", "vigr"), (Use("accounts-edit", "none", unless=("-h", "--help")),)),
    "chsh": (Use("accounts-change", "none", unless=("-l", "--list-shells", "--help", "-h")),),
    "pw": tuple(Use("accounts-change", "none", words=(w,)) for w in ("useradd", "usermod")),
    # A BMC's users (ipmitool): a name, password, privilege or channel access given to one;
    # the host it manages powered off, reset or cycled (powered on, or asked, is not)
    "ipmitool": (
        *(
            Use("accounts-change", "none", words=w)
            for w in (
                ("user", "set"),
                ("user", "enable"),
                ("user", "priv"),
                ("channel", "setaccess"),
            )
        ),
        *(
            Use("power", "none", words=("chassis", "power", p))
            for p in ("off", "reset", "cycle", "soft")
        ),
    ),
    # at/batch queue commands for later; their listing and removal forms do not
    **dict.fromkeys(
        ("at", "batch"),
        (Use("schedule", "none", unless=("-l", "-r", "-d", "-c", "--help", "-V")),),
    ),
    "git": (
        Use("history-rewrite", "none", words=("filter-branch",), unless=("--help",)),
        Use("history-rewrite", "none", words=("filter-repo",), unless=("--help", "--analyze")),
        Use("history-rewrite", "none", words=("obliterate",)),
        Use(
            "history-rewrite",
            "none",
            words=("push",),
            any_of=("--mirror", "--prune"),
            unless=("-n", "--dry-run"),
        ),
    ),
    # remote and shared state
    "dropdb": (Use("remote-destroy", "none", unless=("--help", "-V", "--version")),),
    # terraform and OpenTofu (its fork, the same sub-commands). `apply` shows its plan and asks
    # before it changes anything; -auto-approve and a saved plan file skip that question, and
    # `state rm` / `state push` change what terraform believes exists without asking at all.
    **dict.fromkeys(
        ("terraform", "tofu"),
        (
            Use("remote-destroy", "none", words=("destroy",), unless=("-target",)),
            Use(
                "remote-destroy",
                "none",
                words=("apply",),
                any_of=("-destroy",),
                unless=("-target",),
            ),
            Use("remote-change", "none", words=("apply",), any_of=("-auto-approve",)),
            Use("remote-change", "none", words=("apply", "*")),  # a saved plan, applied as is
            Use("remote-change", "none", words=("state", "rm")),
            Use("remote-change", "none", words=("state", "push")),
        ),
    ),
    # A hosted repository with its issues and pull requests, a package version that can never
    # be published again, a Helm release (every object of an app, as `kubectl delete -k`).
    **dict.fromkeys(("gh", "glab"), (Use("remote-destroy", "none", words=("repo", "delete")),)),
    "npm": (Use("remote-destroy", "none", words=("unpublish",)),),
    "yarn": (Use("remote-destroy", "none", words=("npm", "unpublish")),),
    "helm": tuple(
        Use("remote-destroy", "none", words=(verb,))
        for verb in ("uninstall", "delete", "del", "un")
    ),
    # Application frameworks' and migration tools' commands that drop, empty or recreate the
    # database (their manuals): the same effect as a DROP DATABASE, one word each.
    "prisma": (
        Use("database-reset", "none", words=("migrate", "reset")),
        Use("database-reset", "none", words=("db", "push"), any_of=("--force-reset",)),
    ),
    **dict.fromkeys(
        ("rails", "rake"),
        tuple(
            Use("database-reset", "none", words=(task,))
            for task in (
                "db:drop",
                "db:drop:all",
                "db:reset",
                "db:purge",
                "db:purge:all",
                "db:schema:load",
                "db:structure:load",
                "db:migrate:reset",
                "db:truncate_all",
                "db:seed:replant",
            )
        ),
    ),
    "php": tuple(  # Laravel's artisan
        Use("database-reset", "none", words=("artisan", task))
        for task in ("migrate:fresh", "migrate:reset", "migrate:refresh", "db:wipe")
    ),
    "alembic": (Use("database-reset", "none", words=("downgrade", "base")),),
    "flyway": (Use("database-reset", "none", words=("clean",)),),
    "liquibase": (
        Use("database-reset", "none", words=("dropAll",)),
        Use("database-reset", "none", words=("drop-all",)),
    ),
    **dict.fromkeys(
        ("sequelize", "sequelize-cli"),
        (
            Use("database-reset", "none", words=("db:drop",)),
            Use("database-reset", "none", words=("db:migrate:undo:all",)),
        ),
    ),
    "knex": (Use("database-reset", "none", words=("migrate:rollback",), any_of=("--all",)),),
    **dict.fromkeys(
        ("typeorm", "typeorm-ts-node-commonjs", "typeorm-ts-node-esm"),
        (Use("database-reset", "none", words=("schema:drop",)),),
    ),
    "supabase": (Use("database-reset", "none", words=("db", "reset")),),
    "dotnet": (Use("database-reset", "none", words=("ef", "database", "drop")),),
    "mix": (
        Use("database-reset", "none", words=("ecto.drop",)),
        Use("database-reset", "none", words=("ecto.reset",)),
    ),
    "diesel": (Use("database-reset", "none", words=("database", "reset")),),
    "sqlx": (
        Use("database-reset", "none", words=("database", "drop")),
        Use("database-reset", "none", words=("database", "reset")),
    ),
    "goose": (
        Use("database-reset", "none", words=("*", "reset")),
        Use("database-reset", "none", words=("reset",)),
    ),
    "migrate": (Use("database-reset", "none", words=("drop",)),),  # golang-migrate
    "dbmate": (Use("database-reset", "none", words=("drop",)),),
    "firebase": (
        Use(
            "database-reset",
            "none",
            words=("firestore:delete",),
            any_of=("--all-collections", "-r", "--recursive"),
        ),
        Use("database-reset", "none", words=("database:remove",)),
    ),
    "pulumi": (Use("remote-destroy", "none", words=("destroy",), unless=("--preview-only",)),),
    "gsutil": (Use("remote-destroy", "none", words=("rb",)),),
    "lvremove": (Use("remote-destroy", "none", unless=("--help", "-t", "--test")),),
    "vgremove": (Use("remote-destroy", "none", unless=("--help", "-t", "--test")),),
    "zfs": (
        Use("remote-destroy", "none", words=("destroy",), spare="@"),
        # back to a snapshot, destroying every later one (-r) and what changed since
        Use("remote-destroy", "none", words=("rollback",), any_of=("-r", "-R")),
    ),
    # partclone writes its output (-o): an image when cloning, the device when restoring
    **dict.fromkeys(
        _PARTCLONE,
        (Use("overwrite", "value", values=("-o", "--output")),),
    ),
}

PARTLY_KNOWN = frozenset(
    "npm yarn php prisma rails rake alembic flyway liquibase sequelize sequelize-cli knex "  # noqa: SIM905
    "typeorm typeorm-ts-node-commonjs typeorm-ts-node-esm supabase dotnet mix diesel sqlx goose "
    "migrate dbmate firebase".split()
)
"""Utilities whose rows above name only a few of their sub-commands (``npm unpublish``,
``rails db:drop``): any other use is read as an unknown program's (what its words name)."""

# A firewall rule that drops every incoming packet: appended or inserted to INPUT, jumping to
# DROP or REJECT, with none of the options that narrow what it matches.
FIREWALLS = frozenset({"iptables", "ip6tables"})
FIREWALL_NARROWING = frozenset(
    {
        "-s",
        "--source",
        "-p",
        "--protocol",
        "-i",
        "--in-interface",
        "-m",
        "--match",
        "--dport",
        "--sport",
        "-d",
        "--destination",
        "--src-range",
        "-t",
        "--table",
        "-f",
        "--fragment",
    }
)

# Infrastructure CLIs whose delete verbs destroy remote state: one named object is scoped; all
# of a kind (``--all``, ``prune``) or a computed list (``$(docker ps -aq)``) is not.
INFRA_CLIS = frozenset(
    "docker podman nerdctl kubectl oc helm aws az gcloud gsutil doctl hcloud linode-cli openstack "  # noqa: SIM905
    "virsh lxc incus vagrant heroku flyctl fly gh glab nomad consul vault eksctl kind k3d "
    "minikube docker-compose".split()
)
INFRA_DELETE_VERBS = frozenset(
    "delete rm remove rb destroy terminate terminate-instances purge prune uninstall kill drop "  # noqa: SIM905
    "delete-table delete-db-instance delete-db-cluster delete-cluster delete-stack "
    "delete-bucket delete-volume delete-snapshot undefine rmi apps:destroy".split()
)
# Delete verbs that destroy a database, a cluster or a stack even when it is named.
INFRA_DESTROY_VERBS = frozenset(
    "delete-table delete-db-instance delete-db-cluster delete-cluster delete-stack "  # noqa: SIM905
    "delete-bucket apps:destroy".split()
)
# What a delete verb destroys whole even when it is named: a cluster, a namespace, a project, a
# resource group, a stack of services (the labelling rules' D5 "at scale").
INFRA_SCOPES = frozenset(
    "cluster clusters namespace namespaces ns project projects group stack aks".split()  # noqa: SIM905
)
INFRA_ALL_OPTIONS = frozenset(
    {"--all", "-a", "-A", "--all-namespaces", "--force-all", "--volumes", "--remove-all-storage"}
)

# Options that take a value, per utility (so positional arguments are told apart from them).
VALUE_OPTIONS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("terraform", "tofu"),
        frozenset({"-var", "-var-file", "-target", "-replace", "-state", "-state-out", "-out"}),
    ),
    "helm": frozenset(
        {"-n", "--namespace", "--kube-context", "--kubeconfig", "--timeout", "-o", "--output"}
    ),
    "migrate": frozenset({"-path", "-database", "-source", "-lock-timeout"}),  # golang-migrate
    "goose": frozenset({"-dir", "-table", "-s"}),
    "cp": frozenset({"-S", "--suffix", "-t", "--target-directory"}),
    "mv": frozenset({"-S", "--suffix", "-t", "--target-directory"}),
    "ln": frozenset({"-S", "--suffix", "-t", "--target-directory"}),
    "install": frozenset({"-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "-t"}),
    "truncate": frozenset({"-s", "--size", "-r", "--reference"}),
    "shred": frozenset({"-n", "--iterations", "-s", "--size", "--random-source"}),
    "tar": frozenset({"-f", "--file", "-C", "--directory", "-T", "--files-from", "-X"}),
    **dict.fromkeys(("gzip", "pigz"), frozenset({"-S", "--suffix", "-p", "--processes", "-b"})),
    **dict.fromkeys(
        ("xz", "lzma"), frozenset({"-S", "--suffix", "-F", "--format", "-C", "--check", "-T"})
    ),
    "zstd": frozenset({"-o", "-D", "--format", "-T"}),
    "uniq": frozenset({"-f", "--skip-fields", "-s", "--skip-chars", "-w", "--check-chars"}),
    "script": frozenset(
        "-c --command -E --echo -I --log-in -O --log-out -B --log-io -T --log-timing -m "  # noqa: SIM905
        "--logging-format".split()
    ),
    "screen": frozenset({"-Logfile", "-c", "-S", "-e", "-h", "-p", "-T"}),
    "zip": frozenset({"-x", "--exclude", "-i", "--include", "-b", "-P", "--password"}),
    "rsync": frozenset({"-e", "--rsh", "--exclude", "--include", "--filter", "-f"}),
    "xxd": frozenset({"-c", "-g", "-l", "-o", "-s", "-n", "-cols", "-len", "-seek", "-name"}),
    "scp": frozenset({"-P", "-i", "-o", "-F", "-l", "-c", "-J", "-S"}),
    "find": frozenset(),
    "mkfs": frozenset({"-t", "--type", "-L", "-n", "-b", "-i", "-N", "-E", "-O", "-U", "-c"}),
    "mke2fs": frozenset({"-t", "-T", "-L", "-b", "-i", "-N", "-E", "-O", "-U", "-I", "-m"}),
    "mkswap": frozenset({"-L", "--label", "-U", "--uuid", "-p", "--pagesize", "-s", "--size"}),
    "wipefs": frozenset({"-o", "--offset", "-t", "--types", "-b", "--backup"}),
    "sgdisk": frozenset(
        {
            "-n",
            "--new",
            "-d",
            "--delete",
            "-t",
            "--typecode",
            "-c",
            "--change-name",
            "-l",
            "--load-backup",
            "-b",
            "--backup",
            "-m",
            "--gpttombr",
            "-A",
            "--attributes",
            "-R",
            "--replicate",
            "-x",
            "-u",
            "--partition-guid",
            "-U",
            "--disk-guid",
        }
    ),
    "sfdisk": frozenset({"-N", "--partno", "-X", "--label", "-Y", "--label-nested", "-w"}),
    "parted": frozenset({"-a", "--align"}),
    "cryptsetup": frozenset(
        {
            "-c",
            "--cipher",
            "-s",
            "--key-size",
            "-h",
            "--hash",
            "-d",
            "--key-file",
            "--label",
            "--type",
            "-S",
            "--key-slot",
            "--pbkdf",
            "--uuid",
        }
    ),
    "blkdiscard": frozenset({"-o", "--offset", "-l", "--length", "-p", "--step"}),
    "nvme": frozenset({"-s", "--ses", "-n", "--namespace-id", "-l", "--lbaf", "-a", "--sanact"}),
    "chmod": frozenset({"--reference"}),
    "chown": frozenset({"--reference", "--from"}),
    "chgrp": frozenset({"--reference"}),
    "setfacl": frozenset({"-m", "--modify", "-x", "--remove", "-M", "-X", "--set"}),
    "userdel": frozenset({"-R", "--root", "-P", "--prefix"}),
    "useradd": frozenset(
        "-c --comment -d --home-dir -e --expiredate -f --inactive -g --gid -G --groups -k "  # noqa: SIM905
        "--skel -K --key -p --password -R --root -P --prefix -s --shell -u --uid -b "
        "--base-dir".split()
    ),
    "usermod": frozenset(
        "-c --comment -d --home -e --expiredate -f --inactive -g --gid -G --groups -l --login "  # noqa: SIM905
        "-p --password -R --root -P --prefix -s --shell -u --uid".split()
    ),
    "adduser": frozenset(
        "--gecos --comment --home --shell --uid --gid --ingroup --firstuid --lastuid --conf".split()  # noqa: SIM905
    ),
    "chsh": frozenset({"-s", "--shell", "-R", "--root"}),
    "passwd": frozenset({"-n", "-x", "-w", "-i", "-r", "--repository", "-R", "--root"}),
    "crontab": frozenset({"-u"}),
    "at": frozenset({"-f", "-q", "-t"}),
    "batch": frozenset({"-f", "-q"}),
    "deluser": frozenset({"--backup-to", "--conf", "-c"}),
    "dd": frozenset(),
    "dcfldd": frozenset(),
    "dc3dd": frozenset(),
    "scrub": frozenset({"-p", "--pattern", "-b", "--blocksize", "-s", "--device-size"}),
    "tee": frozenset(),
    "mdadm": frozenset({"-l", "--level", "-n", "--raid-devices", "-c", "--chunk"}),
    "nwipe": frozenset(
        {"-m", "--method", "-r", "--rounds", "-l", "--logfile", "-e", "--exclude", "-p", "--prng"}
    ),
    "gpart": frozenset({"-s", "-i", "-t", "-a", "-b", "-l"}),
    "zpool": frozenset({"-o", "-O", "-m", "-R"}),
    "mformat": frozenset({"-i", "-t", "-h", "-s", "-v", "-f", "-c", "-r", "-L", "-M", "-N"}),
    "ntfsclone": frozenset({"-o", "--output", "-O", "--overwrite"}),
    "fatresize": frozenset({"-s", "--size", "-n", "--number"}),
    "ipmitool": frozenset("-I -H -U -P -f -p -L -k -y -C -N -R -T -t -b -m -o -O -K -E -A".split()),  # noqa: SIM905
    **dict.fromkeys(
        _PARTCLONE,
        frozenset({"-o", "--output", "-s", "--source", "-L", "--logfile", "-O"}),
    ),
    "journalctl": frozenset({"-u", "--unit", "-n", "--lines", "-p", "--priority"}),
    "wget": frozenset({"-O", "--output-document", "-P", "--directory-prefix", "-o", "-a"}),
    "tcpdump": frozenset({"-w", "-r", "-i", "-c", "-s", "-C", "-G", "-W", "-F", "-E", "-y", "-z"}),
    "nmap": frozenset({"-oN", "-oX", "-oG", "-oS", "-oA", "-p", "-iL", "-e", "-S", "--script"}),
    "iptables": frozenset(
        {
            "-A",
            "--append",
            "-I",
            "--insert",
            "-j",
            "--jump",
            "-s",
            "--source",
            "-p",
            "-t",
            "-P",
            "--policy",
            "-i",
            "-o",
            "-d",
            "--destination",
            "--dport",
            "--sport",
            "-m",
            "--match",
        }
    ),
    "ip6tables": frozenset(
        {
            "-A",
            "--append",
            "-I",
            "--insert",
            "-j",
            "--jump",
            "-s",
            "--source",
            "-p",
            "-t",
            "-P",
            "--policy",
            "-i",
            "-o",
            "-d",
            "--destination",
            "--dport",
            "--sport",
            "-m",
            "--match",
        }
    ),
    # database clients: the SQL is the value of -c / -e / --command / --execute / -q
    "psql": frozenset({"-c", "--command", "-U", "-h", "-p", "-d", "-f", "--file", "-v"}),
    "mysql": frozenset({"-e", "--execute", "-u", "-h", "-P", "-D", "--database", "-p"}),
    "mariadb": frozenset({"-e", "--execute", "-u", "-h", "-P", "-D", "--database"}),
    "sqlite3": frozenset({"-cmd", "-separator", "-nullvalue"}),
    "clickhouse-client": frozenset({"-q", "--query", "-h", "--host", "-u", "--user"}),
    "sqlcmd": frozenset({"-Q", "-q", "-S", "-U", "-P", "-d"}),
    "duckdb": frozenset({"-c"}),
    "mongo": frozenset({"--eval", "--host", "--port", "-u", "-p"}),
    "mongosh": frozenset({"--eval", "--host", "--port", "-u", "-p"}),
}

# Options that say "only show, do not do" for every utility; ``-n`` only where a tool documents
# it so (``DRY_RUN_SHORT``). They lower the risk of the command they belong to to nothing.
DRY_RUN = frozenset(
    {"--help", "--version", "--usage", "--dry-run", "--dryrun", "--no-act", "--simulate",
     "--just-print", "--what-if", "--recon", "--dry-run=client", "--dry-run=server"}
)  # fmt: skip
DRY_RUN_SHORT: dict[str, frozenset[str]] = {
    "wipefs": frozenset({"-n"}),
    "rsync": frozenset({"-n"}),
    "ifdown": frozenset({"-n"}),
    "make": frozenset({"-n"}),
    "apt-get": frozenset({"-s"}),
    "apt": frozenset({"-s"}),
    "ufw": frozenset(),
    "sfdisk": frozenset({"-n"}),
    # LVM: `-t`/`--test` runs the command without updating metadata; `-h` is its help.
    **dict.fromkeys(
        (
            *("lvremove", "vgremove", "pvremove", "lvreduce", "lvresize", "vgreduce", "pvmove"),
            *("lvconvert", "lvchange", "vgchange", "pvcreate", "vgcreate", "lvcreate", "pvresize"),
        ),
        frozenset({"-t", "--test", "-h"}),
    ),
    "zfs": frozenset({"-n"}),  # destroy, send, receive, create: "dry run" / "no-op"
    "sgdisk": frozenset({"-P", "--pretend"}),  # changes the table in memory only
    "xfs_repair": frozenset({"-n"}),  # "no modify mode"
    "pacman": frozenset({"-p", "--print"}),  # prints the targets instead of acting
    **dict.fromkeys(("dnf", "yum", "microdnf"), frozenset({"--assumeno"})),  # answers no
}
# A ``git`` sub-command's own dry-run flags (``git clean -n``, ``git push -n``).
GIT_DRY_RUN = frozenset({"-n", "--dry-run"})

# The list and print forms of partition tools (their man pages): a command whose every option
# is one of these only shows the table, like a dry run. Any other option (``sgdisk -p -Z``)
# keeps the command what it is. ``sgdisk -P`` (``--pretend``) changes the table in memory only.
SHOW_ONLY_OPTIONS: dict[str, frozenset[str]] = {
    "sgdisk": frozenset(
        {"-p", "--print", "-v", "--verify", "-i", "--info", "-O", "--print-mbr", "-L",
         "--list-types", "-P", "--pretend", "-b", "--backup", "-D", "--display-alignment"}
    ),
    "sfdisk": frozenset(
        {"-l", "--list", "-d", "--dump", "-J", "--json", "-s", "--show-size", "-g",
         "--show-geometry", "-V", "--verify", "-F", "--list-free", "-q", "--quiet"}
    ),
}  # fmt: skip
# Tools that only list unless told to erase: ``wipefs DEVICE`` prints the signatures it finds.
ERASES_ONLY_WITH: dict[str, frozenset[str]] = {
    "wipefs": frozenset({"-a", "--all", "-o", "--offset"}),
}
# ``parted DEVICE [COMMAND...]``: show-only when every command word is one of these.
PARTED_SHOW_WORDS = frozenset(
    "print p unit s B kB MB MiB GB GiB TB TiB % cyl chs compact help version".split()  # noqa: SIM905
)
PARTED_OPTIONS = frozenset({"-l", "--list", "-s", "--script", "-m", "--machine"})

# Utilities that only read what they are given (their arguments are data, never targets).
READERS = frozenset(
    "mktemp cat tac less more head tail grep egrep fgrep zgrep rg ag ls stat file wc du df md5sum "  # noqa: SIM905
    "sha1sum sha256sum sha512sum b2sum cksum cmp diff sdiff strings xxd od hexdump sort uniq "
    "cut tr jq yq awk gawk sed column nl fold fmt lsblk blkid findmnt lsof smartctl "
    "echo printf test [ realpath readlink basename dirname which type whereis locate tree "
    "getfacl lsattr id groups getent namei man info tldr help dumpe2fs tune2fs udevadm "
    # programs that use a device without destroying what it holds
    "mount umount eject swapon swapoff fsck e2fsck fsck.ext4 fsck.vfat resize2fs growpart losetup "
    "partprobe udisksctl kpartx pvs pvdisplay vgs vgdisplay lvs lvdisplay pvscan "
    "e2label fatlabel ntfslabel xfs_info isoinfo qemu-img stty screen minicom picocom "
    "setserial pv hdparm sdparm btrfs iostat iotop blockdev partx fstrim "
    # growing a volume or file system keeps what it holds; LVM's activation, snapshots and
    # checks; labels; images and recovery that read a device and write elsewhere
    "lvextend pvresize xfs_growfs lvcreate lvchange vgchange vgcfgbackup pvck xfs_admin "
    "qemu-nbd photorec e2image ntfsfix dump findfs ntfsinfo ntfs-3g swaplabel mlabel zdb "
    "nbd-client guestmount lvmdiskscan vgck vgscan lvscan sg_inq sg_readcap lsscsi multipath "
    "iscsiadm zerofree xfsdump cdparanoia hwinfo inxi".split()
)

# Output options that name a file a tool writes, by the common convention of man pages.
OUTPUT_OPTIONS = frozenset(
    {"-o", "--output", "--output-file", "--out", "--outfile", "--output-document", "-out",
     "-outfile",
     "--log-file", "--logfile", "--save", "--write"}
)  # fmt: skip

# A home directory's own entries (or here's, which may be one): where dot-files run from.
_IN_HOME = r"(?:~/|/root/|/home/[^/]+/|/Users/[^/]+/|\./)?"

# What a target is, first match wins (patterns over the normalised word; ``~`` is home).
TARGET_CLASSES: tuple[tuple[TargetClass, str], ...] = (
    ("computed", r"^(?:.*\$\(|.*`|\$[A-Za-z_{])"),
    ("device", r"^/dev/(?!null$|zero$|u?random$|full$|tty\S*$|stdout$|stderr$|stdin$|fd/|tcp/"
     r"|udp/|shm/|pts/|mqueue/)\S+$|^(?:sd[a-z]\d*|hd[a-z]\d*|vd[a-z]\d*|xvd[a-z]\d*"
     r"|nvme\d+(?:n\d+)?(?:p\d+)?|mmcblk\d+(?:p\d+)?|disk\d+(?:s\d+)?"
     r"|ada\d+(?:p\d+)?|nvd\d+(?:p\d+)?|vtbd\d+(?:p\d+)?)$"),
    # the kernel's switches that take a disk or a PCI device out of the running system
    ("device-control", r"^/sys/(?:block/[^/]+/device/delete|class/scsi_device/[^/]+/device/delete"
     r"|bus/[^/]+/devices/[^/]+/remove|devices/\S+/(?:delete|remove))$"),
    ("root", r"^/\*?$|^/\.\*?$"),
    ("home-root", r"^(?:~|/root|/home/[^/]+|/Users/[^/]+|/home|/Users)/?\*?$"),
    ("auth-db", r"^/etc/(?:passwd|shadow|group|gshadow|sudoers|sudoers\.d(?:/\S*)?"
     r"|master\.passwd|security/opasswd|pam\.d(?:/\S*)?)$"),
    ("boot", r"^/boot(?:/\S*)?$|^/(?:efi|boot/efi)(?:/\S*)?$"),
    # Where services and mounted disks keep their data: deleting the tree loses it; giving it
    # to a service user (chown -R www-data /var/www) is ordinary administration, asked about.
    ("data-dir", rf"^/(?:{'|'.join(d.lstrip('/') for d in DATA_DIRS)}|var/www)/?\*?$"),
    ("system-dir", r"^/(?:bin|boot|dev|etc|lib|lib32|lib64|libx32|proc|sbin|sys|usr|var"
     r"|System|Library|Applications|private)/?\*?$"
     r"|^/usr/(?:bin|sbin|lib|lib32|lib64|libexec|share|include|local)/?\*?$"
     r"|^/var/(?:lib|log|spool|mail|backups|db)/?\*?$|^/etc/[^/]+\.d/?\*?$"),
    ("core-binary", r"^/(?:usr/)?s?bin/(?:(?:ba|da|z|k|c|tc)?sh|sudo|su|login|passwd|ls|cp|mv|rm"
     r"|cat|chmod|chown|mount|systemctl|init|systemd|ssh|sshd|apt|apt-get|dpkg|rpm|yum|dnf"
     r"|python3?|perl|env|bash)$|^/(?:usr/)?lib(?:64|32|x32)?/(?:\S+/)?(?:libc\.so|libc-|ld-linux"
     r"|libpthread|libm\.so|libpam|libsystemd)\S*$|^/lib/systemd/systemd$"),
    ("credentials", r"(?:^|/)\.ssh(?:/|$)|(?:^|/)id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$"
     r"|\.aws/credentials|\.gnupg|\.netrc$|\.kube/config|\.docker/config\.json|\.git-credentials"
     r"|\.password-store|\.pgpass|\.vault-token|/etc/ssh/ssh_host_|\.android/adbkey"),
    ("history", r"_history$|(?:^|/)\.(?:bash|zsh|sh|python|mysql|psql|node_repl|lesshst)_?\w*hist"),
    # The records of who did what (logins, sudo, the system log, the audit trail), and globs
    # over the whole log directory: emptying them is how an intruder covers tracks.
    ("audit-logs", r"^/var/log/(?:auth|secure|syslog|messages|kern|daemon|faillog|sudo|lastlog"
     r"|[wbu]tmp)(?:\.log)?(?:\.\d+)?$|^/var/log/(?:audit|journal)(?:/\S*)?$"
     r"|^/var/log/[^/]*[*?][^/]*$|^/var/(?:run|adm)/(?:[wbu]tmp|lastlog)$"),
    ("logs", r"^/var/log(?:/\S*)?$"),
    # What runs by itself later: shell startup files, cron and at spools, services' unit files
    # and init scripts, desktop autostart entries, the preloaded-library list, Python's
    # start-up hooks, and the kernel's helper hooks (core_pattern, modprobe, uevent_helper).
    # A dot-file counts in a home directory (or here, which may be one), not in a backup folder.
    ("startup", rf"^{_IN_HOME}\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc"
     r"|zprofile|zshenv|zlogin|zlogout|kshrc|shrc|cshrc|tcshrc|xinitrc|xprofile|xsession)$"
     rf"|^{_IN_HOME}\.config/(?:autostart/\S+|fish/config\.fish|systemd/user/\S+)$"
     r"|^/etc/(?:profile|bash\.bashrc|rc\.local|rc\.common|crontab|cron\.(?:d|hourly|daily"
     r"|weekly|monthly)/\S+|anacrontab|environment|ld\.so\.preload|profile\.d/\S+|zsh/\S+"
     r"|init\.d/\S+|rc\d?\.d/\S+|xdg/autostart/\S+|update-motd\.d/\S+|systemd/(?:system|user)/\S+"
     r"|modules|modules-load\.d/\S+|modprobe\.d/\S+)$"
     r"|^/(?:usr/)?lib/systemd/(?:system|user)/\S+$|^/usr/local/etc/rc\.d/\S+$"
     r"|^/var/spool/(?:cron|at|atjobs)/\S+$|(?:^|/)(?:user|site)customize\.py$"
     r"|^/proc/sys/kernel/(?:core_pattern|modprobe)$|^/sys/kernel/uevent_helper$"),
    ("temp", r"^/(?:tmp|var/tmp|var/cache|dev/shm)(?:/|$)"),
    # The system's configuration: what the labelling rules call D8 when written
    ("config", r"^/etc/\S+"),
    ("system", r"^/(?!usr/local/|opt/local/)(?:bin|boot|etc|lib|lib32|lib64|libx32|sbin|root|srv"
     r"|sys|proc|usr|var|opt|System|Library)/\S+"),
    ("home", r"^~/|^/home/[^/]+/|^/Users/[^/]+/"),
    ("none", r"^$"),
    ("relative", r"^[^/~]"),
    ("other", r""),
)  # fmt: skip

# Classes of directories that an effect reaches only when recursive (``rm /etc`` fails;
# ``rm -r /etc`` does not). A non-recursive effect on them reads as on "other".
RECURSIVE_ONLY: frozenset[TargetClass] = frozenset({"root", "system-dir", "data-dir", "home-root"})

# Risk = f(effect, target class). Pairs not listed are safe. ``"*"`` is any class.
C, H, M, L = Risk.CRITICAL, Risk.HIGH, Risk.MEDIUM, Risk.LOW
RISK: dict[tuple[Effect, TargetClass | Literal["*"]], Risk] = {
    ("delete", "root"): C, ("delete", "system-dir"): C, ("delete", "home-root"): C,
    ("delete", "data-dir"): C,
    ("delete", "auth-db"): C, ("delete", "boot"): C, ("delete", "core-binary"): C,
    ("delete", "device"): H, ("delete", "credentials"): H, ("delete", "history"): H,
    ("delete", "logs"): M, ("delete", "audit-logs"): M, ("delete", "system"): H,
    ("delete", "config"): H,
    ("delete", "startup"): M, ("delete", "computed"): M,
    ("overwrite", "device"): C, ("overwrite", "auth-db"): C, ("overwrite", "boot"): C,
    ("overwrite", "core-binary"): C, ("overwrite", "root"): C,
    ("overwrite", "credentials"): H, ("overwrite", "history"): H,
    ("overwrite", "startup"): M, ("overwrite", "audit-logs"): M, ("move-away", "startup"): M,
    ("overwrite", "config"): M, ("append", "config"): M, ("move-away", "config"): M,
    ("edit", "config"): M, ("edit", "startup"): M, ("edit", "history"): H, ("edit", "system"): M,
    ("move-away", "root"): C, ("move-away", "system-dir"): C, ("move-away", "home-root"): H,
    ("move-away", "data-dir"): C,
    ("move-away", "auth-db"): C, ("move-away", "boot"): C, ("move-away", "core-binary"): H,
    ("move-away", "credentials"): M, ("move-away", "history"): M, ("move-away", "logs"): M,
    ("move-away", "audit-logs"): M, ("move-away", "device"): H,
    ("move-away", "system"): M,
    ("append", "auth-db"): H, ("append", "device"): C, ("append", "boot"): H,
    ("append", "startup"): M,
    ("expose", "credentials"): M,
    ("open-write", "credentials"): M, ("open-write", "startup"): M, ("open-write", "system"): M,
    ("open-write", "config"): M, ("mode", "config"): M,
    ("mode", "root"): C, ("mode", "system-dir"): C, ("mode", "boot"): C,
    ("mode", "home-root"): H, ("mode", "core-binary"): H, ("mode", "device"): M,
    ("mode", "data-dir"): M, ("mode", "system"): M,
    ("expose", "history"): M, ("lock-out", "credentials"): M, ("setuid", "*"): M,
    ("format", "device"): C, ("format", "computed"): H, ("format", "none"): C, ("format", "*"): L,
    ("overwrite", "device-control"): H, ("append", "device-control"): H,
    ("detach", "*"): H,
    ("partition", "device"): C, ("partition", "computed"): H, ("partition", "*"): L,
    ("partition-editor", "device"): H, ("partition-editor", "computed"): H,
    ("power", "*"): H,
    ("network-down", "*"): H,
    ("security-off", "*"): H,
    ("accounts-delete", "*"): H,
    ("accounts-weaken", "*"): M,
    ("accounts-change", "*"): M,
    ("accounts-edit", "*"): M,
    ("security-config", "*"): M,
    ("schedule", "*"): M,
    ("autostart", "*"): M,
    ("cron-wipe", "*"): H,
    ("history-rewrite", "*"): H,
    ("remote-destroy", "*"): H,
    ("remote-change", "*"): M,
    ("database-reset", "*"): H,
    ("log-wipe", "*"): M,
}  # fmt: skip
# Classes where a change of mode or owner matters only when recursive (one file in /var/www
# given to the web server is ordinary; the whole tree is not).
RECURSIVE_MODE_ONLY: frozenset[TargetClass] = frozenset({"system", "home-root"})

MESSAGES: dict[Effect, str] = {
    "delete": "Deletes {target}.",
    "overwrite": "Overwrites or replaces {target}.",
    "edit": "Edits {target} in place: what is saved replaces it.",
    "move-away": "Moves {target} away from where the system expects it.",
    "append": "Appends to {target}.",
    "mode": "Changes the permissions or ownership of {target}.",
    "format": "Creates a file system on, erases or encrypts {target}, destroying what it holds.",
    "partition": "Rewrites the partition table of {target}.",
    "partition-editor": "Opens a partition editor on {target}: one wrong key erases it.",
    "power": "Shuts down, restarts or isolates the machine.",
    "network-down": "Takes the network (or all traffic) down: a remote session is cut off.",
    "security-off": "Turns off a security control.",
    "accounts-delete": "Deletes a user account and its files.",
    "accounts-weaken": "Removes an account's password.",
    "accounts-change": "Adds or changes a user account or group (password, shell, name, id, "
    "members, expiry).",
    "accounts-edit": "Opens the account database or sudoers in an editor: what is saved there "
    "decides who may log in or act as root.",
    "security-config": "Changes a security policy for good (SELinux booleans, contexts, ports "
    "or modules).",
    "schedule": "Leaves commands to run later or again by themselves (cron, at, a timer).",
    "autostart": "Links a unit file from elsewhere into the system's services.",
    "cron-wipe": "Replaces your cron table with an empty one (every job is removed).",
    "history-rewrite": "Rewrites or prunes shared version-control history.",
    "remote-destroy": "Destroys remote or shared state (a database, volume, stack, bucket, "
    "release, hosted repository or published package).",
    "database-reset": "Drops, empties or recreates the application's database: its tables and "
    "rows are gone.",
    "remote-change": "Changes infrastructure with the tool's own review skipped (a saved plan or "
    "-auto-approve applied) or its state edited by hand.",
    "log-wipe": "Deletes system logs.",
    "expose": "Lets other users read {target}.",
    "open-write": "Lets other users change {target}.",
    "setuid": "Makes {target} setuid: whoever runs it acts as its owner (root).",
    "lock-out": "Makes {target} unusable to you: ssh or gpg can no longer read your keys.",
    "detach": "Takes disks or volumes away from the running system; what is mounted on them fails.",
}
TARGET_WORDS: dict[TargetClass, str] = {
    "device": "a disk device",
    "device-control": "the switch that takes a disk away from the running system",
    "root": "the whole file system (/)",
    "system-dir": "a system directory",
    "data-dir": "a directory of service or mounted data",
    "home-root": "a home directory",
    "auth-db": "the account or authentication database",
    "boot": "the boot files",
    "core-binary": "a program or library the system needs",
    "credentials": "credentials (keys, tokens)",
    "history": "shell history",
    "audit-logs": "the system's login and audit logs",
    "logs": "system logs",
    "startup": "a file the system or your shell runs by itself (startup file, cron, service)",
    "config": "a system configuration file (under /etc)",
    "system": "a file inside a system directory",
    "computed": "files only known at run time",
    "home": "a file in your home directory",
    "temp": "a temporary file",
    "relative": "files in the working tree",
    "other": "a file",
    "none": "",
}
