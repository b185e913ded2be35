"""A retrieval corpus with no external-set row, no request of it, and no held-out utility."""
import json, re, sys
from evals import data, external
def norm(s): return re.sub(r"\W+", " ", s.lower()).strip()
ext = [dict(r) for s in ("dev", "test") for r in data.load_external(s)]
ids = {r["id"] for r in ext}
reqs = {norm(r["request"]) for r in ext}
refs = {r["references"][0].strip() for r in ext}
kept = dropped_h = dropped_x = 0
out = open(sys.argv[1], "w")
for name in ("tldr", "nl2bash"):
    for line in open(f"datasets/imported/{name}.jsonl"):
        r = json.loads(line)
        cmd = r["references"][0]
        if r["id"] in ids or norm(r["request"]) in reqs or cmd.strip() in refs:
            dropped_x += 1; continue
        try:
            held = external.uses_heldout(cmd)
        except Exception:
            held = ["?"]
        if held:
            dropped_h += 1; continue
        out.write(json.dumps({"request": r["request"], "command": cmd}) + "\n"); kept += 1
print("kept", kept, "dropped external", dropped_x, "dropped held-out utility", dropped_h)
