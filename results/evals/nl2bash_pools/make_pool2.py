"""A second NL2Bash dev pool: rows whose every utility is dev or glue, not in the external set."""
import json, random, sys
sys.path.insert(0, '.')
from evals import external
ext = [json.loads(l) for l in open('datasets/external/external.jsonl')]
ext_ids = {r['id'] for r in ext}; ext_req = {r['request'].strip().lower() for r in ext}
rows = [json.loads(l) for l in open('datasets/imported/nl2bash.jsonl')]
keep = []
for r in rows:
    if r['id'] in ext_ids or r['request'].strip().lower() in ext_req: continue
    if any(external.uses_heldout(c) for c in r['references']): continue
    r['tags']['difficulty'] = external.difficulty(r['references'][0])
    keep.append(r)
from collections import Counter
print(len(keep), Counter(r['tags']['difficulty'] for r in keep))
random.seed(23)
hard = random.sample([r for r in keep if r['tags']['difficulty']=='hard'], 120)
med = random.sample([r for r in keep if r['tags']['difficulty']=='medium'], 40)
out = sorted(hard+med, key=lambda r: r['id'])
for r in out: r['split'] = 'dev'
with open('datasets/imported/nl2bash_pool2.jsonl','w') as f:
    for r in out: f.write(json.dumps(r)+'\n')
print(len(out))
