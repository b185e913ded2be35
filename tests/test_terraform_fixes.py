"""A Terraform configuration (cmdai.terraform_project.terraform_fact, cmdai.terraform_fixes; the
fifty-fourth by-hand round). No provider can be downloaded here, so Terraform's commands are
checked as text; the reads of the files run for real."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.terraform_fixes import environment
from cmdai.terraform_project import read_terraform, terraform_fact

MAIN = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "local" {
    path = "terraform.tfstate"
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "${var.env}-shop-assets"
}

resource "aws_instance" "web" {
  instance_type = var.instance_type
}

module "db" {
  source = "./modules/db"
  env    = var.env
}
"""
VARIABLES = """variable "env" {
  type = string
}

variable "instance_type" {
  type    = string
  default = "t3.micro"
}
"""
STATE = {
    "version": 4,
    "terraform_version": "1.9.5",
    "outputs": {"web_ip": {"value": "203.0.113.10"}},
    "resources": [
        {"mode": "managed", "type": "aws_instance", "name": "web"},
        {"mode": "data", "type": "aws_ami", "name": "ubuntu"},
        {"module": "module.db", "mode": "managed", "type": "aws_db_instance", "name": "main"},
    ],
}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "main.tf": MAIN,
            "variables.tf": VARIABLES,
            "outputs.tf": 'output "web_ip" {\n  value = aws_instance.web.public_ip\n}\n',
            "modules/db/main.tf": 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n}\n',
            "staging.tfvars": 'env = "staging"\n',
            "prod.tfvars": 'env           = "prod"\ninstance_type = "t3.large"\n',
            "prod.tfplan": "PK",
            "terraform.tfstate": json.dumps(STATE),
        },
    )


def test_the_facts_show_what_the_configuration_declares(config: Path) -> None:
    label, text = terraform_fact("show the plan for staging", config) or ("", "")
    assert label == "main.tf"
    assert text == (
        "Terraform configuration (main.tf, outputs.tf, variables.tf): providers aws "
        "(hashicorp/aws ~> 5.0); backend local; resources aws_s3_bucket.assets, aws_instance.web; "
        "module db (./modules/db: aws_db_instance.main); variables env, instance_type (default "
        "t3.micro); outputs web_ip; variable file prod.tfvars (sets env, instance_type); "
        "variable file staging.tfvars (sets env); saved plans prod.tfplan; state "
        "terraform.tfstate (written by terraform 1.9.5; 2 resources); not initialised (no "
        ".terraform folder)"
    )


def test_the_facts_need_a_word_of_terraform_or_an_environment(config: Path) -> None:
    assert terraform_fact("deploy prod", config) is not None  # prod.tfvars
    assert terraform_fact("list the workspaces", config) is not None
    for request in ("count the lines of notes.txt", "show the disk usage", "who am i"):
        assert terraform_fact(request, config) is None, request
    (config / ".terraform").mkdir()
    (config / "terraform.tfstate").write_text("{not json")
    _, text = terraform_fact("list the resources", config) or ("", "")
    assert text.endswith("saved plans prod.tfplan; initialised")  # no state said


def test_no_tf_file_no_configuration(tmp_path: Path) -> None:
    write_files(tmp_path, {"notes.txt": "x\n", "prod.tfvars": "env = 1\n"})
    assert read_terraform(tmp_path) is None
    assert terraform_fact("plan prod", tmp_path) is None


def test_an_environment_is_named_by_its_variable_file_or_a_synonym(config: Path) -> None:
    found = read_terraform(config)
    assert found is not None
    assert environment("plan production", found) == "prod.tfvars"
    assert environment("plan the staging changes", found) == "staging.tfvars"
    assert environment("plan staging and prod", found) is None
    assert environment("plan it", found) is None


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        (
            "terraform fmt",
            "format all the terraform files including the module",
            "terraform fmt -recursive",
        ),
        (
            "cat /etc/config | grep -v '^#'",
            "check the terraform configuration is valid",
            "terraform init -backend=false && terraform validate",
        ),
        (
            "cat main.tf | grep -A 10 staging",
            "show the plan for staging",
            "terraform plan -var-file=staging.tfvars",
        ),
        (
            "terraform plan -out prod.tfplan",
            "plan the prod changes and save the plan to a file",
            "terraform plan -var-file=prod.tfvars -out=prod.tfplan",
        ),
        ("terraform apply", "apply the saved prod plan", "terraform apply prod.tfplan"),
        (
            "terraform destroy",
            "destroy the staging environment",
            "terraform destroy -var-file=staging.tfvars",
        ),
        (
            "terraform plan -var-file staging.tfvars",
            "plan only the database module for staging",
            "terraform plan -var-file=staging.tfvars -target=module.db",
        ),
        (
            "terraform init",
            "upgrade the providers to the newest allowed versions",
            "terraform init -upgrade",
        ),
        (
            "terraform state show assets_bucket",
            "show the state of the assets bucket",
            "terraform state show aws_s3_bucket.assets",
        ),
        (
            "terraform destroy -var-file=prod.tfvars",
            "remove the web instance from the state without destroying it",
            "terraform state rm aws_instance.web",
        ),
        ("mkdir qa", "create a workspace called qa", "terraform workspace new qa"),
        (
            "terraform state unlock -id 1234-abcd",
            "unlock the state with lock id 1234-abcd",
            "terraform force-unlock 1234-abcd",
        ),
        ("tofu fmt", "format every file", "tofu fmt -recursive"),  # OpenTofu stays OpenTofu
        # already right, or another tool: left alone
        ("terraform init", "initialise the terraform working directory", None),
        ("terraform state list", "list the resources in the state", None),
        ("terraform output web_ip", "show the web server's ip from the outputs", None),
        ("terraform validate -no-tests", "validate the configuration", None),
        ("terraform destroy -var-file=staging.tfvars -auto-approve", "destroy staging", None),
        ("aws ec2 describe-instances", "what instance type does prod use", None),
        ("ls -l --time=modified", "list the files in long format, newest first", None),
        ("jq . config.json", "check that config.json is valid JSON", None),
    ],
)
def test_terraform_s_own_way_for_the_task_asked(
    config: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, config) == expected


def test_questions_about_the_files_are_read_from_them(config: Path) -> None:
    cases = {
        "what variables does this configuration take": (
            "grep -h '^variable' *.tf",
            'variable "env" {\nvariable "instance_type" {\n',
        ),
        "what instance type does prod use": (
            "grep '^instance_type' prod.tfvars",
            'instance_type = "t3.large"\n',
        ),
        "what instance type does staging use": (  # staging.tfvars leaves it at the default
            "grep -h -A 3 'variable \"instance_type\"' *.tf",
            'variable "instance_type" {\n  type    = string\n  default = "t3.micro"\n}\n',
        ),
        "count the resources this configuration declares": (
            "grep -rh --include='*.tf' --exclude-dir=.terraform '^resource ' . | wc -l",
            "3\n",
        ),
        "show the providers this configuration needs": (
            "grep -A 6 'required_providers' main.tf",
            None,
        ),
    }
    for asked, (expected, output) in cases.items():
        command = fixed("grep -c resource main.tf", asked, config)
        assert command == expected, asked
        result = run_bash(command, config)
        if output is not None:
            assert result.stdout == output, asked
    if shutil.which("jq"):
        version = fixed(
            "grep version main.tf", "which terraform version wrote the state file", config
        )
        assert version == "jq -r .terraform_version terraform.tfstate"
        assert run_bash(version, config).stdout == "1.9.5\n"
    (config / ".terraform").mkdir()
    asked = "show the providers this configuration needs"
    assert fixed("grep provider main.tf", asked, config) == "terraform providers"


def test_a_workspace_beside_a_package_json_is_terraform_s_only_when_named(config: Path) -> None:
    (config / "package.json").write_text('{"workspaces": ["packages/*"]}')
    assert fixed("mkdir admin", "create a new workspace called admin", config) is None
    assert (
        fixed("mkdir qa", "create a terraform workspace called qa", config)
        == "terraform workspace new qa"
    )
