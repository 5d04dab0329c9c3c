#!/usr/bin/env python3
"""Creates, with boto3 against a moto server, what an AWS Batch compute environment for
sessions needs, idempotently, and prints it as JSON:

  {"endpoint", "region", "jobQueue", "fileSystemId", "dataFileSystemId", "bucket", "roleArn"}

The session file system (`sessiongw-homes`), a second one for EFS data-links
(`sessiongw-data`, with reference/genomes/hg38.txt, scratch/projects/a/input.txt and
scratch/projects/secret.txt in its emulated directory), the checkpoint bucket, an IAM
role, an UNMANAGED compute environment and a job queue `sessions`.

Usage: moto_fixture.py ENDPOINT [REGION]
"""
import fcntl
import json
import os
import sys

import boto3

endpoint = sys.argv[1]
region = sys.argv[2] if len(sys.argv) > 2 else "eu-west-1"
efs_root = os.environ.get("MOTO_EFS_ROOT", "/tmp/sessiongw-moto/efs")
# Test processes run this concurrently: one at a time, or two would create the same things.
os.makedirs(efs_root, exist_ok=True)
lock = open(os.path.join(os.path.dirname(os.path.abspath(efs_root)), "fixture.lock"), "w")
fcntl.flock(lock, fcntl.LOCK_EX)
options = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
iam, batch, efs, s3 = (boto3.client(name, **options) for name in ("iam", "batch", "efs", "s3"))

try:
    role = iam.get_role(RoleName="sessiongw-batch")["Role"]["Arn"]
except iam.exceptions.NoSuchEntityException:
    role = iam.create_role(RoleName="sessiongw-batch", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "batch.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }))["Role"]["Arn"]


def file_system(token):
    for existing in efs.describe_file_systems(CreationToken=token)["FileSystems"]:
        return existing["FileSystemId"]
    return efs.create_file_system(CreationToken=token, Encrypted=True, Tags=[{"Key": "Name", "Value": token}])["FileSystemId"]


homes = file_system("sessiongw-homes")
data = file_system("sessiongw-data")
for path, text in [("reference/genomes/hg38.txt", "ACGT"), ("scratch/projects/a/input.txt", "input"),
                   ("scratch/projects/secret.txt", "do not read")]:
    full = os.path.join(efs_root, data, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as handle:
        handle.write(text)

bucket = "sessiongw-checkpoints"
try:
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
    pass

environments = batch.describe_compute_environments(computeEnvironments=["sessiongw-local"])["computeEnvironments"]
if not environments:
    batch.create_compute_environment(computeEnvironmentName="sessiongw-local", type="UNMANAGED", state="ENABLED",
                                     serviceRole=role)
queues = batch.describe_job_queues(jobQueues=["sessions"])["jobQueues"]
if not queues:
    batch.create_job_queue(jobQueueName="sessions", state="ENABLED", priority=1,
                           computeEnvironmentOrder=[{"order": 1, "computeEnvironment": "sessiongw-local"}])

json.dump({"endpoint": endpoint, "region": region, "jobQueue": "sessions", "fileSystemId": homes,
           "dataFileSystemId": data, "bucket": bucket, "roleArn": role}, sys.stdout)
print()
