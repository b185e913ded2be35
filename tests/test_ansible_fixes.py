"""An Ansible project (cmdai.ansible_project.ansible_fact, cmdai.ansible_fixes; the fifty-seventh
by-hand round). Ansible is not a dependency and its hosts are names only, so its commands are
checked as text; the reads of the files run for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.ansible_project import ansible_fact, inventory_for, read_ansible

STAGING = """[web]
web1.staging.example.com
web2.staging.example.com

[db]
db1.staging.example.com

[all:vars]
ansible_user=deploy
"""
PRODUCTION = """[web]
web1.prod.example.com
web2.prod.example.com   # the new one
web3.prod.example.com

[db]
db1.prod.example.com
db2.prod.example.com

[servers:children]
web
db
"""
WEB = """---
- name: Configure the web servers
  hosts: web
  become: true
  roles:
    - common
    - role: nginx
"""
NGINX_TASKS = """---
- name: Install nginx
  ansible.builtin.apt:
    name: nginx
  tags: [nginx, packages]

- name: Write the nginx site configuration
  ansible.builtin.template:
    src: site.conf.j2
    dest: /etc/nginx/sites-available/default
  tags: [nginx, config]

- ansible.builtin.debug:
    msg: a task without a name
"""
SITE = "---\n- import_playbook: webservers.yml\n- import_playbook: dbservers.yml\n"
DB = "---\n- name: Configure the databases\n  hosts: db\n  roles: [common]\n"
VAULT = "$ANSIBLE_VAULT;1.1;AES256\n6665373839336234\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "ansible.cfg": "[defaults]\ninventory = inventories/staging/hosts.ini\n"
            "roles_path = roles\n",
            "inventories/staging/hosts.ini": STAGING,
            "inventories/production/hosts.ini": PRODUCTION,
            "inventories/production/group_vars/all/vault.yml": VAULT,
            "site.yml": SITE,
            "webservers.yml": WEB,
            "dbservers.yml": DB,
            "roles/common/tasks/main.yml": "---\n- name: Set the timezone\n  tags: time\n",
            "roles/nginx/tasks/main.yml": NGINX_TASKS,
            "roles/nginx/defaults/main.yml": "---\nnginx_port: 80\n",
            "group_vars/web.yml": "---\nnginx_port: 8080\n",
            "group_vars/all.yml": "---\napp_name: shop\n",
            "requirements.yml": "---\ncollections:\n  - name: community.general\n",
        },
    )


def test_the_facts_show_the_playbooks_inventories_and_roles(project: Path) -> None:
    label, text = ansible_fact("deploy everything to production", project) or ("", "")
    assert label == "ansible.cfg"
    assert text == (
        "Ansible project: ansible.cfg (inventory inventories/staging/hosts.ini, roles_path "
        "roles); playbook site.yml (imports webservers.yml, dbservers.yml); playbook "
        "dbservers.yml (hosts db; roles common); playbook webservers.yml (hosts web; roles "
        "common, nginx); production inventory inventories/production/hosts.ini: [web] "
        "web1.prod.example.com, web2.prod.example.com, web3.prod.example.com; [db] "
        "db1.prod.example.com, db2.prod.example.com; [servers] web1.prod.example.com, "
        "web2.prod.example.com, web3.prod.example.com, db1.prod.example.com, "
        "db2.prod.example.com; staging inventory inventories/staging/hosts.ini: [web] "
        "web1.staging.example.com, web2.staging.example.com; [db] db1.staging.example.com; "
        "roles (roles/) common, nginx; requirements requirements.yml"
    )
    # the tags and the encrypted files only where the request speaks of them (else the model
    # copies the list of tags into its command)
    _, text = ansible_fact("run only the nginx tasks", project) or ("", "")
    assert "task tags time, nginx, packages, config" in text
    assert "vault-encrypted" not in text
    _, text = ansible_fact("edit the production secrets", project) or ("", "")
    assert "vault-encrypted inventories/production/group_vars/all/vault.yml" in text


def test_the_facts_need_a_word_of_ansible_or_a_name_of_its_inventories(project: Path) -> None:
    for request in ("restart db1", "check the disk of the staging machines", "list the hosts"):
        assert ansible_fact(request, project) is not None, request
    for request in ("count the lines of notes.txt", "show the disk usage", "who am i"):
        assert ansible_fact(request, project) is None, request


def test_what_is_not_an_ansible_project(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "hosts": "127.0.0.1 localhost\n::1 ip6-localhost\n",  # a copy of /etc/hosts
            "inventory/items.csv": "sku,name\n1,chair\n",  # a shop's inventory
            "inventory/stock.ini": "chairs=4\n",
            "compose.yml": "services:\n  web:\n    image: nginx\n",
        },
    )
    assert read_ansible(tmp_path) is None
    assert ansible_fact("list the hosts in the inventory", tmp_path) is None


def test_one_inventory_beside_a_playbook_and_yaml_inventories(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "hosts": "[web]\nweb1\n",
            "playbook.yml": "- hosts: web\n  tasks:\n    - name: Ping\n      ping:\n",
        },
    )
    found = read_ansible(tmp_path)
    assert found is not None
    assert [(i.environment, i.path, i.groups) for i in found.inventories] == [
        ("", "hosts", {"web": ["web1"]})
    ]
    assert found.main_playbook() == "playbook.yml"
    assert [t.name for t in found.tasks] == ["Ping"]
    write_files(
        tmp_path,
        {
            "inventory/prod.yml": "all:\n  children:\n    web:\n      hosts:\n        w1: {}\n"
            "        w2:\n    db:\n      hosts:\n        d1:\n",
            "inventory/broken.yml": "all: [\n",
        },
    )
    found = read_ansible(tmp_path)
    assert found is not None
    assert [(i.environment, i.groups) for i in found.inventories] == [
        ("prod", {"web": ["w1", "w2"], "db": ["d1"]})
    ]
    assert inventory_for("deploy to production", found) is found.inventories[0]
    assert inventory_for("deploy", found) is None


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        (
            "ansible-playbook --syntax-check playbook.yml",
            "check the playbooks for syntax errors",
            "ansible-playbook site.yml --syntax-check",
        ),
        (
            "ansible-playbook -i inventories/staging site.yml --diff",
            "dry run the site playbook against staging and show the diffs",
            "ansible-playbook -i inventories/staging/hosts.ini site.yml --check --diff",
        ),
        (
            "ansible-playbook -i inventories/staging/hosts.ini -t packages, time, nginx site.yml",
            "run only the nginx tasks on the staging web servers",
            "ansible-playbook -i inventories/staging/hosts.ini site.yml --tags nginx",
        ),
        (
            "ansible-playbook -i inventory -l db1 --tags production database.yml",
            "run the database playbook only on db1 in production",
            "ansible-playbook -i inventories/production/hosts.ini dbservers.yml "
            "--limit db1.prod.example.com",
        ),
        (
            "ansible-playbook -i inventories/production/hosts.ini -t packages site.yml",
            "run the site playbook starting at the task that writes the nginx configuration",
            "ansible-playbook site.yml --start-at-task 'Write the nginx site configuration'",
        ),
        (
            "grep -oP '(?<=tags: ).*' ansible.cfg",
            "list the tags the playbooks use",
            "ansible-playbook site.yml --list-tags",
        ),
        (
            "cat inventory/production/hosts.ini",
            "list the hosts in the production inventory",
            "ansible-inventory -i inventories/production/hosts.ini --graph",
        ),
        (
            'grep -r "db" inventory/staging/hosts.ini',
            "which hosts are in the db group in staging",
            "ansible db -i inventories/staging/hosts.ini --list-hosts",
        ),
        (
            'ansible -m debug -a "var=hostvars" web1',
            "show the variables ansible sees for web1 in staging",
            "ansible-inventory -i inventories/staging/hosts.ini --host web1.staging.example.com",
        ),
        (
            "ping staging.*",
            "ping all the staging hosts",
            "ansible all -i inventories/staging/hosts.ini -m ping",
        ),
        (
            "df -h /path/to/production/web/servers",
            "check the disk space on every production web server",
            "ansible web -i inventories/production/hosts.ini -a 'df -h'",
        ),
        (
            "sudo systemctl restart nginx",
            "restart nginx on the staging web servers",
            "ansible web -i inventories/staging/hosts.ini -b -m service "
            "-a 'name=nginx state=restarted'",
        ),
        (
            "nano production-secrets",
            "edit the production secrets",
            "ansible-vault edit inventories/production/group_vars/all/vault.yml",
        ),
        (
            "openssl enc -d -aes-256-cbc -in production_vault.enc",
            "show the decrypted production vault",
            "ansible-vault view inventories/production/group_vars/all/vault.yml",
        ),
        (
            "ansible-playbook -i inventories/production site.yml",
            "install the roles and collections from the requirements file",
            "ansible-galaxy install -r requirements.yml",
        ),
        (
            "sudo adduser --system --group redis redis",
            "create a new role called redis",
            "ansible-galaxy role init --init-path roles redis",
        ),
        # already right, or not this project's task: left alone
        ("ansible-playbook --list-tasks site.yml", "show which tasks the site playbook runs", None),
        (
            "ansible-playbook -i inventories/production/hosts.ini -b site.yml",
            "deploy everything to production",
            None,
        ),
        ("ansible-lint site.yml", "lint the playbooks", None),
        ('find . -name "*.php" -exec php -l {} \\;', "check the syntax of all PHP files", None),
        ("ping -c 4 www.google.com", "send four ping requests to www.google.com", None),
        (
            "find . -type f -mtime -14 > deploy.txt",
            "save this fortnight's files to deploy.txt",
            None,
        ),
        ("find . -name secret -prune -o -print", "list the files outside the secret folder", None),
        (
            "ansible-vault view --vault-password-file pw path/to/vault_file",
            "view an encrypted vault file with a password file",
            None,
        ),
        ("grep -c '' app_name.txt", "what is the name of the app", None),
        ("sudo systemctl restart shop-web", "restart the shop-web deployment in production", None),
        ("kubectl get ns", "which namespace does production deploy to", None),
        ("terraform apply", "apply the terraform plan for production", None),
    ],
)
def test_ansible_s_own_way_for_the_task_asked(
    project: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, project) == expected


def test_a_variable_is_read_where_it_is_set(project: Path) -> None:
    command = fixed("grep -A 1 listen /etc/nginx/nginx.conf", "what port does nginx use", project)
    assert command == "grep -n '^nginx_port:' group_vars/web.yml roles/nginx/defaults/main.yml"
    out = run_bash(command, project).stdout
    assert (
        out
        == "group_vars/web.yml:2:nginx_port: 8080\nroles/nginx/defaults/main.yml:2:nginx_port: 80\n"
    )


def test_no_project_no_fix(tmp_path: Path) -> None:
    write_files(tmp_path, {"site.yml": "- hosts: all\n", "notes.txt": "x\n"})
    assert fixed("ping staging.*", "ping all the staging hosts", tmp_path) is None
