package corpus

import (
	"fmt"
	"strings"
)

// cloudFormation writes one template: three in four are YAML with short-form intrinsics,
// the rest JSON with long forms.
func (w *writer) cloudFormation(i int) {
	svc := pick(w.rng, "billing", "search", "ingest", "auth", "reports", "media", "orders")
	if i%4 == 3 {
		w.write(fmt.Sprintf("cloudformation/%s-%05d/template.json", svc, i), &w.stats.CloudFormation, w.cfnJSON(svc, i))
		return
	}
	w.write(fmt.Sprintf("cloudformation/%s-%05d/template.yaml", svc, i), &w.stats.CloudFormation, w.cfnYAML(svc, i))
}

func (w *writer) cfnYAML(svc string, i int) string {
	r := w.rng
	var b strings.Builder
	fmt.Fprintf(&b, `AWSTemplateFormatVersion: "2010-09-09"
Description: %s service stack %d
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, staging, prod]
    Default: %s
  VpcId:
    Type: AWS::EC2::VPC::Id
  BucketAcl:
    Type: String
    Default: %s
  AdminCidr:
    Type: String
    Default: %s
  DbEncrypted:
    Type: String
    Default: "%t"
Mappings:
  Sizes:
    dev: {Instance: db.t3.small, Storage: 20}
    staging: {Instance: db.t3.medium, Storage: 50}
    prod: {Instance: db.m5.large, Storage: 200}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  EncryptDb: !Or [!Condition IsProd, !Equals [!Ref DbEncrypted, "true"]]
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-%s-data"
      AccessControl: !Ref BucketAcl
      VersioningConfiguration:
        Status: !If [IsProd, Enabled, Suspended]
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      Tags:
        - Key: Service
          Value: %s
  DataBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref DataBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: !Sub "${DataBucket.Arn}/*"
            Condition:
              Bool: {aws:SecureTransport: "false"}
  AppSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "${Env} %s app"
      VpcId: !Ref VpcId
      SecurityGroupIngress:
`, svc, i, pick(r, "dev", "staging", "prod"), pick(r, "Private", "Private", "Private", "PublicRead"),
		pick(r, "10.0.0.0/8", "10.0.0.0/8", "0.0.0.0/0"), w.chance(0.8), svc, svc, svc)
	for j, n := 0, 3+r.IntN(12); j < n; j++ {
		port := pick(r, 22, 80, 443, 5432, 8080, 9090)
		cidr := pick(r, "10.0.0.0/8", "172.16.0.0/12", "!Ref AdminCidr")
		fmt.Fprintf(&b, `        - IpProtocol: tcp
          FromPort: %d
          ToPort: %d
          CidrIp: %s
`, port, port, cidr)
	}
	fmt.Fprintf(&b, `  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: !FindInMap [Sizes, !Ref Env, Instance]
      AllocatedStorage: !FindInMap [Sizes, !Ref Env, Storage]
      StorageEncrypted: !If [EncryptDb, true, false]
      MasterUsername: app
      ManageMasterUserPassword: true
      VPCSecurityGroups: [!GetAtt AppSecurityGroup.GroupId]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["-", [!Ref Env, %s, queue]]
      SqsManagedSseEnabled: %t
  Topic:
    Type: AWS::SNS::Topic
    Condition: IsProd
    Properties:
      TopicName: !Sub "${Env}-%s-events"
      KmsMasterKeyId: alias/aws/sns
Outputs:
  BucketArn:
    Value: !GetAtt DataBucket.Arn
  QueueUrl:
    Value: !Ref Queue
`, svc, w.chance(0.85), svc)
	return b.String()
}

func (w *writer) cfnJSON(svc string, i int) string {
	r := w.rng
	var rules []string
	for j, n := 0, 2+r.IntN(8); j < n; j++ {
		port := pick(r, 22, 443, 3306, 8080)
		cidr := pick(r, `"10.0.0.0/8"`, `"192.168.0.0/16"`, `{"Ref": "AdminCidr"}`)
		rules = append(rules, fmt.Sprintf(`          {"IpProtocol": "tcp", "FromPort": %d, "ToPort": %d, "CidrIp": %s}`, port, port, cidr))
	}
	return fmt.Sprintf(`{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "%s legacy stack %d",
  "Parameters": {
    "Env": {"Type": "String", "Default": %q},
    "AdminCidr": {"Type": "String", "Default": %q},
    "VolumeEncrypted": {"Type": "String", "Default": "%t"}
  },
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "Encrypt": {"Fn::Equals": [{"Ref": "VolumeEncrypted"}, "true"]}
  },
  "Resources": {
    "Logs": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": {"Fn::Sub": "${AWS::StackName}-%s-logs"},
        "AccessControl": "LogDeliveryWrite",
        "PublicAccessBlockConfiguration": {
          "BlockPublicAcls": true,
          "BlockPublicPolicy": true,
          "IgnorePublicAcls": true,
          "RestrictPublicBuckets": true
        }
      }
    },
    "WorkerGroup": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": {"Fn::Join": [" ", [{"Ref": "Env"}, "workers"]]},
        "SecurityGroupIngress": [
%s
        ]
      }
    },
    "Volume": {
      "Type": "AWS::EC2::Volume",
      "Properties": {
        "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "Size": 100,
        "Encrypted": {"Fn::If": ["Encrypt", true, false]}
      }
    },
    "Alerts": {
      "Type": "AWS::SNS::Topic",
      "Properties": {
        "TopicName": {"Fn::Sub": "${Env}-%s-alerts"}
      }
    }
  },
  "Outputs": {
    "LogsBucket": {"Value": {"Ref": "Logs"}}
  }
}
`, svc, i, pick(r, "dev", "prod"), pick(r, "10.0.0.0/8", "0.0.0.0/0"), w.chance(0.8), svc,
		strings.Join(rules, ",\n"), svc)
}
