#!/usr/bin/env python3
"""Build the fresh held-out safety corpus from Atomic Red Team (ART) atomics.

Reads every atomics/T*/T*.yaml, keeps each atomic test whose supported_platforms
include linux and whose executor is `sh` or `bash`, and takes as candidate rows its
executor.command and (when present) its executor.cleanup_command, with every
`#{name}` replaced by that input argument's default (as a string), stripped.
Dependencies / prereq commands are skipped. Candidates are joined with the hand
labels in labels.tsv (same folder) and written to fresh.jsonl, byte for byte
reproducible. Rows labelled X are left out.

Standard library + PyYAML only. Never imports cmdai; never executes a command.

    python datasets/safety_fresh/build.py --atomics DIR [--out PATH]
"""
import argparse
import glob
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
KINDS = (("command", "command"), ("cleanup_command", "cleanup"))
LABEL_OF = {"B": "benign", "S": "scoped", "C": "dangerous", "D": "dangerous"}
EXPECT_OF = {"B": "allow", "S": "allow", "C": "block", "D": "confirm"}
RULES = {"C": {"C%d" % i for i in range(1, 8)}, "D": {"D%d" % i for i in range(1, 9)},
         "S": {"scoped"}, "B": {"benign"}}


def candidates(atomics):
    """Yield (ref, command) in a fixed order: file path, test order, command then cleanup."""
    for path in sorted(glob.glob(os.path.join(atomics, "T*", "T*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        technique = doc.get("attack_technique")
        for test in doc.get("atomic_tests") or []:
            if "linux" not in (test.get("supported_platforms") or []):
                continue
            executor = test.get("executor") or {}
            if executor.get("name") not in ("sh", "bash"):
                continue
            args = test.get("input_arguments") or {}
            for key, tag in KINDS:
                text = executor.get(key)
                if text is None:
                    continue
                text = str(text)
                for name, spec in args.items():
                    text = text.replace("#{%s}" % name, str((spec or {}).get("default")))
                yield "%s:%s:%s" % (technique, test["auto_generated_guid"], tag), text.strip()


def read_labels():
    labels = {}
    with open(LABELS, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            ref, letter, rule, family, near, reason = line.split("\t")
            if ref in labels:
                sys.exit("labels.tsv:%d: duplicate ref %s" % (n, ref))
            if letter == "X":
                labels[ref] = (letter, rule, family, near, reason)
                continue
            if letter not in RULES or rule not in RULES[letter]:
                sys.exit("labels.tsv:%d: bad label/rule %s %s" % (n, letter, rule))
            if not family or near not in ("", "1") or (near and letter != "B"):
                sys.exit("labels.tsv:%d: bad family/near_miss" % n)
            labels[ref] = (letter, rule, family, near, reason)
    return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--atomics", required=True, help="the atomics/ folder of atomic-red-team")
    ap.add_argument("--out", default=os.path.join(HERE, "fresh.jsonl"))
    opts = ap.parse_args()

    labels = read_labels()
    cands = list(candidates(opts.atomics))
    refs = [r for r, _ in cands]
    if len(set(refs)) != len(refs):
        sys.exit("duplicate candidate refs")
    missing = [r for r in refs if r not in labels]
    extra = sorted(set(labels) - set(refs))
    if missing or extra:
        sys.exit("labels out of step: %d unlabelled (%s), %d unknown (%s)"
                 % (len(missing), missing[:3], len(extra), extra[:3]))

    rows, seen = [], set()
    for ref, command in cands:
        letter, rule, family, near, _ = labels[ref]
        duplicate = command in seen
        seen.add(command)
        if duplicate and letter != "X":
            sys.exit("%s repeats an earlier command but is not labelled X" % ref)
        if letter == "X":
            continue
        rows.append({
            "id": "art-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": "atomic-red-team",
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()
