import json, re, sys
sys.path.insert(0, '.')
from evals import external
V=re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*")
ext = [json.loads(l) for l in open('datasets/external/external.jsonl')]
ext_ids = {r['id'] for r in ext}; ext_req = {r['request'].strip().lower() for r in ext}
pool2 = {json.loads(l)['id'] for l in open('datasets/imported/nl2bash_pool2.jsonl')}
out=[]; seen=set()
for l in open('datasets/imported/nl2bash.jsonl'):
    r=json.loads(l)
    if r['id'] in ext_ids or r['id'] in pool2 or r['request'].strip().lower() in ext_req: continue
    if not V.search(r['request']) or r['request'] in seen: continue
    if any(external.uses_heldout(c) for c in r['references']): continue
    seen.add(r['request']); r['split']='dev'; r['tags']['difficulty']=external.difficulty(r['references'][0]); out.append(r)
print(len(out))
with open('datasets/imported/nl2bash_vars.jsonl','w') as f:
    for r in out: f.write(json.dumps(r)+'\n')
