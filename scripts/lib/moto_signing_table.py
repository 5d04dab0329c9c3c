#!/usr/bin/env python3
"""Signs a table of requests with botocore's own Signature Version 4 signer.

Used by the AWS Batch backend's tests (Tests/AWSBatchBackendTests/SignatureV4Tests.swift)
to check that the Swift signer gives the same signatures as botocore on every row.

Input (standard input): a JSON list of rows, each
  {"id", "method", "url" (the path as sent, percent-encoded, plus host), "query": [[name, value]...] (not encoded),
   "headers": [[name, value]...], "body" (UTF-8 text), "service", "region",
   "accessKey", "secretKey", "token" (or null), "timestamp" ("20150830T123600Z"),
   "presignExpires" (null to sign with headers)}
Output (standard output): a JSON object {id: {"headers": {name: value}} or {"query": [[name, value]...]}}
with what botocore added: the signing headers, or the presigned URL's auth parameters.
"""
import datetime
import json
import sys
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(row):
    credentials = Credentials(row["accessKey"], row["secretKey"], row["token"])
    request = AWSRequest(method=row["method"], url=row["url"], data=row["body"].encode("utf-8"))
    for name, value in row["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    if row["query"]:
        request.params = [(name, value) for name, value in row["query"]]
    request.context["payload_signing_enabled"] = True
    stamp = datetime.datetime.strptime(row["timestamp"], "%Y%m%dT%H%M%SZ")
    s3 = row["service"] == "s3"
    if row["presignExpires"] is not None:
        signer_class = botocore.auth.S3SigV4QueryAuth if s3 else botocore.auth.SigV4QueryAuth
        signer = signer_class(credentials, row["service"], row["region"], expires=row["presignExpires"])
    else:
        signer_class = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
        signer = signer_class(credentials, row["service"], row["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=stamp):
        signer.add_auth(request)
    if row["presignExpires"] is not None:
        query = parse_qsl(urlsplit(request.url).query, keep_blank_values=True)
        return {"query": [[k, v] for k, v in query if k.startswith("X-Amz-")]}
    wanted = {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}
    return {"headers": {k.lower(): v for k, v in request.headers.items() if k.lower() in wanted}}


def main():
    rows = json.load(sys.stdin)
    json.dump({row["id"]: sign(row) for row in rows}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
