#!/bin/sh
# The fifty-seventh by-hand round's scratch folder: an Ansible project with two inventories
# (staging and production), a site playbook importing two others, three roles with tags, group
# variables, a vault-encrypted file (password "correct-horse", not kept here) and a
# requirements file. Nothing is reachable: the hosts are names only.
set -e
d=${1:-/tmp/scratch57}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > ansible.cfg <<'EOF'
[defaults]
inventory = inventories/staging/hosts.ini
roles_path = roles
host_key_checking = False
retry_files_enabled = False
EOF
mkdir -p inventories/staging inventories/production
cat > inventories/staging/hosts.ini <<'EOF'
[web]
web1.staging.example.com
web2.staging.example.com

[db]
db1.staging.example.com

[all:vars]
ansible_user=deploy
EOF
cat > inventories/production/hosts.ini <<'EOF'
[web]
web1.prod.example.com
web2.prod.example.com
web3.prod.example.com

[db]
db1.prod.example.com
db2.prod.example.com

[all:vars]
ansible_user=deploy
EOF
cat > site.yml <<'EOF'
---
- import_playbook: webservers.yml
- import_playbook: dbservers.yml
EOF
cat > webservers.yml <<'EOF'
---
- name: Configure the web servers
  hosts: web
  become: true
  roles:
    - common
    - nginx
EOF
cat > dbservers.yml <<'EOF'
---
- name: Configure the database servers
  hosts: db
  become: true
  roles:
    - common
    - postgres
EOF
mkdir -p roles/common/tasks roles/nginx/tasks roles/nginx/handlers roles/nginx/templates \
  roles/nginx/defaults roles/postgres/tasks roles/postgres/defaults
cat > roles/common/tasks/main.yml <<'EOF'
---
- name: Install base packages
  ansible.builtin.apt:
    name: [curl, vim, htop]
    state: present
    update_cache: true
  tags: [packages]

- name: Set the timezone
  community.general.timezone:
    name: Europe/Berlin
  tags: [time]
EOF
cat > roles/nginx/tasks/main.yml <<'EOF'
---
- name: Install nginx
  ansible.builtin.apt:
    name: nginx
    state: present
  tags: [nginx, packages]

- name: Write the nginx site configuration
  ansible.builtin.template:
    src: site.conf.j2
    dest: /etc/nginx/sites-available/default
  notify: Reload nginx
  tags: [nginx, config]

- name: Start nginx
  ansible.builtin.service:
    name: nginx
    state: started
    enabled: true
  tags: [nginx]
EOF
cat > roles/nginx/handlers/main.yml <<'EOF'
---
- name: Reload nginx
  ansible.builtin.service:
    name: nginx
    state: reloaded
EOF
cat > roles/nginx/templates/site.conf.j2 <<'EOF'
server {
    listen {{ nginx_port }};
    server_name {{ inventory_hostname }};
    root /var/www/shop;
}
EOF
cat > roles/nginx/defaults/main.yml <<'EOF'
---
nginx_port: 80
EOF
cat > roles/postgres/tasks/main.yml <<'EOF'
---
- name: Install postgres
  ansible.builtin.apt:
    name: postgresql
    state: present
  tags: [postgres, packages]

- name: Create the shop database
  community.postgresql.postgresql_db:
    name: shop
  become_user: postgres
  tags: [postgres]
EOF
cat > roles/postgres/defaults/main.yml <<'EOF'
---
postgres_version: 15
EOF
mkdir -p group_vars inventories/production/group_vars/all
cat > group_vars/all.yml <<'EOF'
---
app_name: shop
timezone: Europe/Berlin
EOF
cat > group_vars/web.yml <<'EOF'
---
nginx_port: 8080
EOF
cat > inventories/production/group_vars/all/vault.yml <<'EOF'
$ANSIBLE_VAULT;1.1;AES256
66653738393362343665626234393835343034643335363339353236386131613035363334633736
3061303439363137663733336132646632313238383932630a383538393064383962336165646366
62346438306136633737663264653639396163666364343063366665353363346635643033383065
6130313432306138330a303539373164396434653337396365333834333636313239386363326263
37353935646432376338336632333134396335333638396266343965663466303630666662613662
6364393233376530303965643639643536326437346162356536
EOF
cat > requirements.yml <<'EOF'
---
collections:
  - name: community.general
  - name: community.postgresql
roles:
  - name: geerlingguy.docker
EOF
