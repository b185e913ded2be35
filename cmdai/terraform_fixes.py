"""Sure fixes from the fifty-fourth by-hand round: a Terraform configuration.

Shown the configuration (``cmdai.terraform_project.terraform_fact``), the model wrote
``terraform`` commands, many for another task or without the environment asked for:
``terraform destroy -var-file=prod.tfvars`` for "remove the web instance from the state
without destroying it", ``terraform plan -out prod.tfplan`` for the prod plan (no
``-var-file``: the required variables are asked for at the terminal, or the default
environment's used), plain ``terraform init`` to upgrade the providers, ``terraform state
unlock -id`` (no such command), ``mkdir qa`` for a workspace, ``terraform state show
assets_bucket`` (an output's name, not the resource's address), and greps of ``main.tf`` for
what the variable files and the state say.

Where the folder holds ``.tf`` files and the request asks for one of Terraform's everyday
tasks that the draft does not do, the draft is replaced by Terraform's own form of it, with
the variable file of the environment the request names ("for staging": ``staging.tfvars``).
``terraform_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is called
(through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import Done, environment_names, holds, request_words, runs_only
from cmdai.terraform_project import Terraform, environments, parse_terraform

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: Terraform's own way for this configuration"
_REPLACEABLE = frozenset(
    "terraform tofu grep egrep cat ls find awk sed jq head tail mkdir echo wc".split()  # noqa: SIM905
)
"""The programs of a draft these fixes may replace: Terraform's and readers of files. Anything
else (``aws``, ``kubectl``, ``psql``) is another tool, left alone."""
_ALIASES = {"db": {"database"}, "vm": {"instance", "server"}}


def terraform_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no configuration is here)."""
    names = here.expand("*.tf")
    if not names or not runs_only(command, _REPLACEABLE):
        return None
    if re.search(r"\b(?:aws|gcloud|az|kubectl|helm|pulumi|ansible|docker)\b", request, re.I):
        return None  # another tool, named
    found = parse_terraform(names, here.expand, here.lines)
    npm = here.exists("package.json")  # a workspace there may be npm's
    task = _task(request, found, command, npm) if found is not None else None
    if task is None:
        return None
    fixed, done = task
    tool = "tofu" if re.match(r"\s*tofu\b", command) else "terraform"
    fixed = re.sub(r"\bterraform\b", tool, fixed) if tool == "tofu" else fixed
    return None if done(command) else (fixed, _NOTE)


def _words(request: str) -> set[str]:
    """The request's words, and without a possessive ("the web server's ip": server)."""
    return request_words(request) | {
        w.lower().removesuffix("'s") for w in re.findall(r"[\w']+", request)
    }


def environment(request: str, found: Terraform) -> str | None:
    """The variable file of the environment the request names (None: none, or several)."""
    words = _words(request)
    named = []
    for env, file in environments(found).items():
        if environment_names(env) & words:
            named.append(file)
    return named[0] if len(named) == 1 else None


def _parts(name: str) -> set[str]:
    return {p for p in re.split(r"[_\-.]", name.lower()) if p}


def _resource(request: str, found: Terraform) -> str | None:
    """The address of the one resource the request names by its name and a word of its type.

    "the web instance" is ``aws_instance.web``, "the assets bucket" ``aws_s3_bucket.assets``.
    """
    words = _words(request)
    addresses = [*found.resources]
    for module, inner in found.module_resources.items():
        addresses.extend(f"module.{module}.{address}" for address in inner)
    named = []
    for address in addresses:
        kind, name = address.split(".")[-2:]
        type_words = _parts(kind) - {kind.split("_")[0]}  # aws_s3_bucket: s3, bucket
        if name.lower() in words and (type_words & words or len(addresses) == 1):
            named.append(address)
    return named[0] if len(named) == 1 else None


def _module(request: str, found: Terraform) -> str | None:
    words = _words(request)
    named = [m for m in found.modules if ({m.lower()} | _ALIASES.get(m.lower(), set())) & words]
    return named[0] if len(named) == 1 and re.search(r"\bmodule\b", request, re.I) else None


def _task(request: str, found: Terraform, command: str, npm: bool) -> tuple[str, Done] | None:
    """The command for the task the request asks for, and a test a draft doing it passes."""
    unlock = re.search(r"\bunlock\b.*?\b(?:lock\s+)?id\s+([\w-]{4,})\b", request, re.I)
    if unlock is not None:
        lock = shlex.quote(unlock[1])
        return f"terraform force-unlock {lock}", holds(rf"\bforce-unlock\s+{re.escape(lock)}")
    workspace = re.search(
        r"\b(?:create|new|make|add)\b.*?\bworkspace\s+(?:called\s+|named\s+)?([\w-]+)",
        request,
        re.I,
    )
    if workspace is not None and (not npm or re.search(r"\b(?:terraform|tofu)\b", request, re.I)):
        name = workspace[1]
        return f"terraform workspace new {name}", holds(rf"\bworkspace\s+new\s+{name}\b")
    address = _resource(request, found)
    if address is not None and re.search(
        r"\b(?:remove|drop|forget)\b.*\bfrom\s+(?:the\s+)?state\b|\bstop\s+managing\b",
        request,
        re.I,
    ):
        return f"terraform state rm {address}", holds(rf"\bstate\s+rm\s+{re.escape(address)}")
    if address is not None and re.search(r"\bstate\s+of\b", request, re.I):
        return f"terraform state show {address}", holds(rf"\bstate\s+show\s+{re.escape(address)}")
    if re.search(
        r"\bupgrade\b.*\bproviders?\b|\bproviders?\b.*\b(?:newest|latest)\b", request, re.I
    ):
        return "terraform init -upgrade", holds(r"\binit\b.*-upgrade")
    named = re.search(r"\b(?:terraform|tofu|tf|hcl)\b", request, re.I)
    formats = re.search(r"\b(?:terraform|tofu)\s+fmt\b", command) or (
        named and re.search(r"\b(?:format|fmt)\b", request, re.I)
    )
    every = re.search(
        r"\b(?:all|every|recursive\w*|modules?|subfolders?|including)\b", request, re.I
    )
    if formats and every:
        return "terraform fmt -recursive", holds(r"\bfmt\b.*-recursive")
    other = re.search(
        r"\b(?:json|ya?ml|xml|toml|composer|nginx|apache|users?|groups?)\b", request, re.I
    )
    config = named or re.search(r"\bconfig(?:uration)?\b", request, re.I)
    validate = re.search(r"\bvalid(?:ate)?\b", request, re.I) and config and not other
    if validate and not re.search(r"\bplan\b", request, re.I):
        init = "" if found.initialised else "terraform init -backend=false && "
        return f"{init}terraform validate", holds(r"\b(?:terraform|tofu)\s+validate\b")
    return _environment_task(request, found) or _read_task(request, found)


def _environment_task(request: str, found: Terraform) -> tuple[str, Done] | None:
    """``plan``, ``apply`` and ``destroy`` with the variable file of the environment named."""
    verb = re.search(r"\b(plan|apply|destroy)\b", request, re.I)
    var_file = environment(request, found)
    if verb is None or var_file is None:
        return None
    action = verb[1].lower()
    env = var_file.removesuffix(".json").removesuffix(".tfvars")
    if action == "apply" and re.search(r"\b(?:saved|plan\s+file)\b", request, re.I):
        plans = [p for p in found.plans if env.lower() in p.lower()]
        if len(plans) != 1:
            return None
        return f"terraform apply {plans[0]}", holds(rf"\bapply\s+(?:.*\s)?{re.escape(plans[0])}")
    options = [f"-var-file={var_file}"]
    if action == "plan" and re.search(r"\b(?:save|saved|to\s+a\s+file|out)\b", request, re.I):
        options.append(f"-out={env}.tfplan")
    module = _module(request, found)
    if module is not None:
        options.append(f"-target=module.{module}")
    patterns = [rf"\b{action}\b", rf"-var-file[= ]{re.escape(var_file)}"]
    if len(options) > 1 and options[1].startswith("-out"):
        patterns.append(r"-out[= ]")
    if module is not None:
        patterns.append(rf"-target[= ]module\.{module}\b")
    return f"terraform {action} {' '.join(options)}", holds(*patterns)


def _read_task(request: str, found: Terraform) -> tuple[str, Done] | None:
    """Questions about what the configuration's files and its state say."""
    if found.state is not None and re.search(
        r"\b(?:version|terraform)\b.*\b(?:wrote|written|created)\b.*\bstate\b", request, re.I
    ):
        return "jq -r .terraform_version terraform.tfstate", holds(r"terraform_version")
    if re.search(
        r"\b(?:what|which)\s+(?:input\s+)?variables\b"
        r"|\b(?:list|show)\s+(?:all\s+)?(?:the\s+|its\s+)?(?:input\s+)?variables\b",
        request,
        re.I,
    ):
        return "grep -h '^variable' *.tf", holds(
            r"\bgrep\b.*\bvariable\b.*(?:\*\.tf|variables\.tf)"
        )
    if re.search(r"\b(?:count|how\s+many)\b.*\bresources\b", request, re.I):
        if re.search(r"\bstate\b", request, re.I):
            return "terraform state list | wc -l", holds(r"\bstate\s+list\b", r"\bwc\s+-l\b")
        return (
            "grep -rh --include='*.tf' --exclude-dir=.terraform '^resource ' . | wc -l",
            holds(r"--include=.?\*\.tf", r"\^resource"),
        )
    if re.search(r"\bproviders\b", request, re.I) and re.search(
        r"\b(?:needs?|requires?|required|which|list|show|uses?)\b", request, re.I
    ):
        if found.initialised:
            return "terraform providers", holds(r"\bterraform\s+providers\b")
        if not found.settings_file:
            return None
        file = found.settings_file
        return f"grep -A 6 'required_providers' {file}", holds(
            r"required_providers", re.escape(file)
        )
    output = _output(request, found)
    if output is not None:
        return f"terraform output {output}", holds(rf"\boutput\s+(?:-\S+\s+)*{output}\b")
    return _variable_value(request, found)


def _output(request: str, found: Terraform) -> str | None:
    """The output the request names by all the parts of its name ("the web server's ip")."""
    if not re.search(r"\boutputs?\b", request, re.I):
        return None
    words = _words(request)
    named = [o for o in found.outputs if _parts(o) <= words]
    return named[0] if len(named) == 1 else None


def _variable_value(request: str, found: Terraform) -> tuple[str, Done] | None:
    """What an environment sets a variable to: its file's line, else the default."""
    var_file = environment(request, found)
    if var_file is None or not re.search(r"\b(?:what|which)\b", request, re.I):
        return None
    words = _words(request)
    named = [v for v in found.variables if _parts(v) <= words and v not in ("env",)]
    if len(named) != 1:
        return None
    name = named[0]
    if name in found.var_files.get(var_file, []):
        return f"grep '^{name}' {var_file}", holds(rf"\b{name}\b", re.escape(var_file))
    return f"grep -h -A 3 'variable \"{name}\"' *.tf", holds(rf"variable\s+\\?\"?{name}")
