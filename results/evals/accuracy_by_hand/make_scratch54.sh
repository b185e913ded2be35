#!/bin/sh
# The fifty-fourth by-hand round's scratch folder: a Terraform configuration with two
# environments' variable files, a module and a saved state (no provider downloadable here).
set -e
d=${1:-/tmp/scratch54}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > main.tf <<'TF'
terraform {
  required_version = ">= 1.5"
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

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "assets" {
  bucket = "${var.env}-shop-assets"
}

resource "aws_instance" "web" {
  ami           = var.ami
  instance_type = var.instance_type
  tags = {
    Name = "${var.env}-web"
  }
}

module "db" {
  source = "./modules/db"
  env    = var.env
}
TF
cat > variables.tf <<'TF'
variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "env" {
  type = string
}

variable "ami" {
  type = string
}

variable "instance_type" {
  type    = string
  default = "t3.micro"
}
TF
cat > outputs.tf <<'TF'
output "web_ip" {
  value = aws_instance.web.public_ip
}

output "assets_bucket" {
  value = aws_s3_bucket.assets.bucket
}
TF
printf 'env  = "staging"\nami  = "ami-0abc1234"\n' > staging.tfvars
printf 'env           = "prod"\nami           = "ami-0abc1234"\ninstance_type = "t3.large"\n' > prod.tfvars
mkdir -p modules/db
cat > modules/db/main.tf <<'TF'
variable "env" {
  type = string
}

resource "aws_db_instance" "main" {
  identifier        = "${var.env}-shop-db"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
}
TF
cat > terraform.tfstate <<'JSON'
{
  "version": 4,
  "terraform_version": "1.9.5",
  "serial": 12,
  "lineage": "3f1c2a9e-0000-4000-8000-000000000000",
  "outputs": {
    "web_ip": {"value": "203.0.113.10", "type": "string"},
    "assets_bucket": {"value": "staging-shop-assets", "type": "string"}
  },
  "resources": [
    {"mode": "managed", "type": "aws_s3_bucket", "name": "assets", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": [{"attributes": {"bucket": "staging-shop-assets"}}]},
    {"mode": "managed", "type": "aws_instance", "name": "web", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": [{"attributes": {"public_ip": "203.0.113.10", "instance_type": "t3.micro"}}]},
    {"module": "module.db", "mode": "managed", "type": "aws_db_instance", "name": "main", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": [{"attributes": {"identifier": "staging-shop-db"}}]}
  ]
}
JSON
echo "{}" > tfplan.json && zip -q prod.tfplan tfplan.json && rm tfplan.json
