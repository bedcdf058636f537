package corpus

import (
	"fmt"
	"strings"
)

var (
	envs    = []string{"dev", "staging", "prod", "qa", "sandbox"}
	regions = []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"}
	acls    = []string{"private", "private", "private", "log-delivery-write", "public-read"}
)

// terraformModules writes the shared local modules of one team: a bucket with its split
// companion resources, a security group built from a rule list, and a queue with a topic.
func (w *writer) terraformModules(team int) {
	base := fmt.Sprintf("terraform/team%03d/modules", team)
	c := &w.stats.Terraform
	w.write(base+"/bucket/variables.tf", c, `variable "name" {
  type = string
}

variable "acl" {
  type    = string
  default = "private"
}

variable "versioning" {
  type    = bool
  default = true
}

variable "kms_key_id" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
`)
	w.write(base+"/bucket/main.tf", c, `resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_s3_bucket_acl" "this" {
  bucket = aws_s3_bucket.this.id
  acl    = var.acl
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_id == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_id
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = var.acl == "private"
  block_public_policy     = true
  ignore_public_acls      = var.acl == "private"
  restrict_public_buckets = true
}
`)
	w.write(base+"/bucket/outputs.tf", c, `output "id" {
  value = aws_s3_bucket.this.id
}

output "arn" {
  value = aws_s3_bucket.this.arn
}
`)
	w.write(base+"/sg/variables.tf", c, `variable "name" {
  type = string
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "rules" {
  type = list(object({
    port  = number
    cidrs = list(string)
  }))
  default = []
}
`)
	w.write(base+"/sg/main.tf", c, `resource "aws_security_group" "this" {
  name        = var.name
  description = "Managed by Terraform"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.rules
    content {
      description = "port ${ingress.value.port}"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`)
	w.write(base+"/sg/outputs.tf", c, `output "id" {
  value = aws_security_group.this.id
}
`)
	w.write(base+"/queue/variables.tf", c, `variable "name" {
  type = string
}

variable "encrypted" {
  type    = bool
  default = true
}
`)
	w.write(base+"/queue/main.tf", c, `resource "aws_sqs_queue" "this" {
  name                    = var.name
  sqs_managed_sse_enabled = var.encrypted
}

resource "aws_sns_topic" "this" {
  name              = "${var.name}-events"
  kms_master_key_id = var.encrypted ? "alias/aws/sns" : null
}

resource "aws_sns_topic_subscription" "this" {
  topic_arn = aws_sns_topic.this.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.this.arn
}
`)
	w.write(base+"/queue/outputs.tf", c, `output "queue_arn" {
  value = aws_sqs_queue.this.arn
}
`)
}

// terraformRoot writes one root module of rootFiles files that calls the team's modules.
func (w *writer) terraformRoot(team, n int) {
	r := w.rng
	env := pick(r, envs...)
	root := fmt.Sprintf("terraform/team%03d/envs/%s-%03d", team, env, n)
	name := fmt.Sprintf("t%03d-%s-%03d", team, env, n)
	c := &w.stats.Terraform

	w.write(root+"/versions.tf", c, `terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}
`)
	w.write(root+"/variables.tf", c, `variable "env" {
  type = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "vpc_id" {
  type = string
}

variable "buckets" {
  type    = map(string)
  default = {}
}

variable "ingress_ports" {
  type    = list(number)
  default = [443]
}

variable "allowed_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "queue_count" {
  type    = number
  default = 1
}

variable "instance_count" {
  type    = number
  default = 1
}

variable "db_encrypted" {
  type    = bool
  default = true
}
`)

	var buckets []string
	for i, nb := 0, 1+r.IntN(4); i < nb; i++ {
		buckets = append(buckets, fmt.Sprintf("  %s = %q", pick(r, "assets", "logs", "backups", "exports", "media", "reports")+fmt.Sprint(i), pick(r, acls...)))
	}
	var ports []string
	for i, np := 0, 2+r.IntN(6); i < np; i++ {
		ports = append(ports, fmt.Sprint(pick(r, 22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090)))
	}
	cidrs := `"10.0.0.0/8", "172.16.0.0/12"`
	if w.chance(0.2) {
		cidrs = `"10.0.0.0/8", "0.0.0.0/0"`
	}
	w.write(root+"/terraform.tfvars", c, fmt.Sprintf(`env            = %q
region         = %q
vpc_id         = "vpc-%08x"
ingress_ports  = [%s]
allowed_cidrs  = [%s]
queue_count    = %d
instance_count = %d
db_encrypted   = %t
buckets = {
%s
}
`, env, pick(r, regions...), r.Uint32(), strings.Join(ports, ", "), cidrs, 1+r.IntN(3), 1+r.IntN(4),
		w.chance(0.8), strings.Join(buckets, "\n")))

	w.write(root+"/locals.tf", c, fmt.Sprintf(`locals {
  name_prefix = %q
  common_tags = {
    Team        = "team%03d"
    Environment = var.env
    ManagedBy   = "terraform"
  }
  is_prod  = var.env == "prod"
  sg_rules = [for p in var.ingress_ports : { port = p, cidrs = var.allowed_cidrs }]
  subnets  = [for i in range(3) : cidrsubnet("10.%d.0.0/16", 8, i)]
}
`, name, team, n%250))

	w.write(root+"/main.tf", c, `module "logs" {
  source = "../../modules/bucket"
  name   = "${local.name_prefix}-logs"
  acl    = "log-delivery-write"
  tags   = local.common_tags
}

module "buckets" {
  source   = "../../modules/bucket"
  for_each = var.buckets
  name     = "${local.name_prefix}-${each.key}"
  acl      = each.value
  tags     = local.common_tags
}

module "web_sg" {
  source = "../../modules/sg"
  name   = "${local.name_prefix}-web"
  vpc_id = var.vpc_id
  rules  = local.sg_rules
}

module "queues" {
  source    = "../../modules/queue"
  count     = var.queue_count
  name      = "${local.name_prefix}-q${count.index}"
  encrypted = local.is_prod || count.index == 0
}
`)

	siteACL := pick(r, acls...)
	w.write(root+"/s3.tf", c, fmt.Sprintf(`resource "aws_s3_bucket" "site" {
  bucket = "${local.name_prefix}-site"
  tags   = local.common_tags
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = %q
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id
  versioning_configuration {
    status = local.is_prod ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = %t
  block_public_policy     = true
  ignore_public_acls      = %t
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.site.arn}", "${aws_s3_bucket.site.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
`, siteACL, siteACL == "private", siteACL == "private"))

	var sg strings.Builder
	fmt.Fprintf(&sg, `resource "aws_security_group" "app" {
  name        = "${local.name_prefix}-app"
  description = "Application servers"
  vpc_id      = var.vpc_id
`)
	for i, nr := 0, 5+r.IntN(20); i < nr; i++ {
		port := pick(r, 22, 80, 443, 3389, 5432, 8000, 8080, 9000, 9100, 9200)
		cidr := pick(r, `"10.0.0.0/8"`, `"172.16.0.0/12"`, `"192.168.0.0/16"`, `"10.20.0.0/16"`, `"0.0.0.0/0"`)
		if cidr == `"0.0.0.0/0"` && !w.chance(0.3) {
			cidr = `"10.30.0.0/16"`
		}
		fmt.Fprintf(&sg, `
  ingress {
    description = "rule %d"
    from_port   = %d
    to_port     = %d
    protocol    = "tcp"
    cidr_blocks = [%s]
  }
`, i, port, port, cidr)
	}
	sg.WriteString(`
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.common_tags
}

resource "aws_security_group_rule" "extra" {
  for_each          = toset([for p in var.ingress_ports : tostring(p)])
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  protocol          = "tcp"
  cidr_blocks       = local.subnets
}
`)
	w.write(root+"/sg.tf", c, sg.String())

	w.write(root+"/data.tf", c, fmt.Sprintf(`resource "aws_db_instance" "main" {
  identifier        = "${local.name_prefix}-db"
  engine            = %q
  instance_class    = "db.t3.medium"
  allocated_storage = %d
  storage_encrypted = var.db_encrypted
  username          = "app"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.app.id]
  tags                        = local.common_tags
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "${local.name_prefix}-cache"
  description                = "cache"
  node_type                  = "cache.t3.micro"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = local.is_prod
}

resource "aws_efs_file_system" "shared" {
  creation_token = "${local.name_prefix}-efs"
  encrypted      = %t
}
`, pick(r, "postgres", "mysql"), 20+10*r.IntN(10), w.chance(0.85)))

	w.write(root+"/compute.tf", c, fmt.Sprintf(`resource "aws_instance" "app" {
  count         = var.instance_count
  ami           = "ami-%08x"
  instance_type = %q
  subnet_id     = element(local.subnets, count.index)

  vpc_security_group_ids = [aws_security_group.app.id, module.web_sg.id]

  root_block_device {
    volume_size = 20
    encrypted   = %t
  }

  tags = merge(local.common_tags, { Name = "${local.name_prefix}-app-${count.index}" })
}

resource "aws_ebs_volume" "data" {
  count             = var.instance_count
  availability_zone = "${var.region}a"
  size              = 100
  encrypted         = true
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:${var.region}:123456789012:loadbalancer/app/${local.name_prefix}/abc"
  port              = %d
  protocol          = %q
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:${var.region}:123456789012:targetgroup/${local.name_prefix}/abc"
  }
}
`, r.Uint32(), pick(r, "t3.micro", "t3.small", "m5.large"), w.chance(0.8), pick(r, 80, 443, 443), pick(r, "HTTP", "HTTPS", "HTTPS")))

	w.write(root+"/outputs.tf", c, `output "site_bucket" {
  value = aws_s3_bucket.site.id
}

output "bucket_ids" {
  value = { for k, m in module.buckets : k => m.id }
}

output "queue_arns" {
  value = module.queues[*].queue_arn
}

output "instance_ids" {
  value = aws_instance.app[*].id
}
`)
}
