"""Every NL2Bash / tldr reference through the path fixes, the sure fixes and the checks,
in the generic_home fixture: exceptions, and how often a fix fires on a right command.

PYTHONPATH=. .venv/bin/python results/evals/accuracy_by_hand/sweep_path_fixes.py
(reads ../shared/datasets, the team's cleaned NL2Bash and tldr-pages copies)."""
import json, sys, tempfile, time, collections
from pathlib import Path
from evals.fixtures import load_fixture, materialize
from evals import data
from cmdai.context import Workdir
from cmdai.path_fixes import path_fix
from cmdai.sure_fixes import sure_fix
from cmdai.checks import command_warnings
d = Path(tempfile.mkdtemp())
materialize(load_fixture('generic_home', data.EXTERNAL_FIXTURES), d, time.time())
w = Workdir(d)
pairs = []
for name in ('nl2bash', 'tldr_linux_common'):
    for l in open(Path(__file__).resolve().parents[4] / 'shared' / 'datasets' / f'{name}.jsonl'):
        r = json.loads(l)
        nl = r.get('nl') or r.get('description') or r.get('request') or ''
        cmd = r.get('cmd') or r.get('command') or ''
        if cmd: pairs.append((nl, cmd))
errors = collections.Counter(); fired = collections.Counter(); examples = collections.defaultdict(list)
t = time.time()
for nl, cmd in pairs:
    for name, fn in (('path', lambda: path_fix(cmd, w, nl)), ('sure', lambda: sure_fix(cmd, nl, w)),
                     ('warn', lambda: command_warnings(cmd, 'bash', None, nl, w))):
        try:
            out = fn()
        except Exception as e:
            errors[(name, type(e).__name__)] += 1
            if len(examples[name]) < 3: examples[name].append((cmd, repr(e)))
            continue
        if name == 'path' and out:
            fired[out[1].split(':')[1].split(',')[0][:40]] += 1
            if len(examples['fired:' + out[1][:30]]) < 4: examples['fired:' + out[1][:30]].append((nl[:80], cmd[:100], out[0][:100]))
        if name == 'sure' and out and 'nothing to be deleted' in out[1]:
            fired['unasked delete'] += 1
            if len(examples['del']) < 6: examples['del'].append((nl[:80], cmd[:100]))
        if name == 'warn':
            for x in out:
                if x.startswith(('placeholder:', 'delete:', 'not executable:')):
                    fired[x.split(':')[0]] += 1
                    if len(examples[x.split(':')[0]]) < 5: examples[x.split(':')[0]].append((nl[:80], cmd[:100]))
print(len(pairs), 'pairs', round(time.time() - t), 's')
print('errors', dict(errors))
print('fired', dict(fired))
for k, v in examples.items():
    print(k)
    for e in v: print('   ', e)
