import Foundation

extension MotoFixture {
    /// Runs Python with boto3 clients `batch`, `efs` and `s3` on the fixture (as an
    /// operator's tools would, outside the backend); returns what it prints as JSON.
    ///
    /// ```swift
    /// let jobs = try moto.boto("print(json.dumps(batch.list_jobs(jobQueue='sessions')['jobSummaryList']))")
    /// ```
    func boto(_ script: String) throws -> Any {
        let prelude = """
            import json, sys, boto3
            o = dict(endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id="testing", aws_secret_access_key="testing")
            batch, efs, s3 = (boto3.client(n, **o) for n in ("batch", "efs", "s3"))

            """
        let output = try TestTools.run(["python3", "-c", prelude + script, endpoint, region])
        return try JSONSerialization.jsonObject(with: output, options: [.fragmentsAllowed])
    }

    /// Every job of the queue whose name starts with `prefix`: `[name: status]` per job.
    func jobs(prefix: String) throws -> [(name: String, status: String)] {
        let listed = try boto("""
            jobs = []
            for page in batch.get_paginator("list_jobs").paginate(jobQueue=\(Self.python(jobQueue)), filters=[{"name": "JOB_NAME", "values": [\(Self.python(prefix)) + "*"]}]):
                jobs += [[j["jobName"], j["status"]] for j in page["jobSummaryList"] if j["jobName"].startswith(\(Self.python(prefix)))]
            print(json.dumps(jobs))
            """) as? [[String]] ?? []
        return listed.map { ($0[0], $0[1]) }
    }

    /// The keys of the checkpoint bucket under `prefix`.
    func objects(prefix: String) throws -> [String] {
        try boto("""
            r = s3.list_objects_v2(Bucket=\(Self.python(bucket)), Prefix=\(Self.python(prefix)))
            print(json.dumps([o["Key"] for o in r.get("Contents", [])]))
            """) as? [String] ?? []
    }

    /// The ids of the home file system's access points tagged for `session`.
    func accessPoints(session: String) throws -> [String] {
        try boto("""
            r = efs.describe_access_points(FileSystemId=\(Self.python(fileSystemID)))
            print(json.dumps([a["AccessPointId"] for a in r["AccessPoints"]
                if {"Key": "sessiongw:session", "Value": \(Self.python(session))} in a.get("Tags", [])]))
            """) as? [String] ?? []
    }

    /// A Python string literal.
    static func python(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
