"""Aggregate counts only: how close tldr's pages come to the cheat-sheet set's references."""
import re
from evals import data, external
from cmdai.intent import asked_program
from cmdai.program_examples import ProgramExamples
from evals.config import compose_config
from evals.run import unseen_program_examples
shipped = ProgramExamples()
hidden = unseen_program_examples(compose_config("backend.name=fake", "dataset=cheats_test"))
def shape(cmd):
    try: utils = tuple(external.utility_names(cmd))
    except Exception: utils = ()
    flags = frozenset(w for w in re.split(r"\s+", cmd) if w.startswith("-"))
    return utils, flags
rows = [dict(r) for r in data.load_cheats()]
named = exact = same_shape = shown_same_shape = 0
for r in rows:
    if not asked_program(r["request"]): continue
    program = asked_program(r["request"]).lower().split()
    page = []
    for name in dict.fromkeys([" ".join(program), program[0]]):
        page = shipped.page(name)
        if page: break
    if not page: continue
    named += 1
    refs = [x.strip() for x in r["references"]]
    if any(c.strip() in refs for _, c in page): exact += 1
    shapes = {shape(x) for x in refs}
    if any(shape(c) in shapes for _, c in page): same_shape += 1
    if any(shape(e.answer.command) in shapes for e in hidden.for_request(r["request"], 3)): shown_same_shape += 1
print({"rows": len(rows), "named_with_page": named, "page_has_exact_reference": exact,
       "page_has_same_utilities_and_flags": same_shape, "shown_3_have_same_utilities_and_flags": shown_same_shape})
