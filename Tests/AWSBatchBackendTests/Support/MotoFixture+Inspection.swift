import Foundation

extension MotoFixture {
    /// Runs Python with boto3 clients `batch`, `efs`, `s3` and `secrets` (Secrets Manager) on the fixture (as an
    /// operator's tools would, outside the backend); returns what it prints as JSON.
    ///
    /// ```swift
    /// let jobs = try moto.boto("print(json.dumps(batch.list_jobs(jobQueue='sessions')['jobSummaryList']))")
    /// ```
    func boto(_ script: String) throws -> Any {
        let prelude = """
            import json, sys, boto3
            o = dict(endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id="testing", aws_secret_access_key="testing")
            batch, efs, s3, secrets = (boto3.client(n, **o) for n in ("batch", "efs", "s3", "secretsmanager"))

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

    /// The Secrets Manager secrets tagged for `session` (ListSecrets): their names.
    func secrets(session: String) throws -> [String] {
        try boto("""
            names = []
            for page in secrets.get_paginator("list_secrets").paginate():
                names += [s["Name"] for s in page["SecretList"]
                    if {"Key": "sessiongw:session", "Value": \(Self.python(session))} in s.get("Tags", [])]
            print(json.dumps(names))
            """) as? [String] ?? []
    }

    /// What an operator allowed to describe Batch sees of a session: the DescribeJobs
    /// answers for every job whose name starts with `jobPrefix` and the
    /// DescribeJobDefinitions answers for every definition those jobs used and every
    /// definition whose name starts with `definitionPrefix`, as raw JSON text, with the
    /// number of jobs and definitions described.
    func describeAnswers(jobPrefix: String, definitionPrefix: String) throws -> (text: String, jobs: Int, definitions: Int) {
        let answer = try boto("""
            ids = []
            for page in batch.get_paginator("list_jobs").paginate(jobQueue=\(Self.python(jobQueue)), filters=[{"name": "JOB_NAME", "values": [\(Self.python(jobPrefix)) + "*"]}]):
                ids += [j["jobId"] for j in page["jobSummaryList"] if j["jobName"].startswith(\(Self.python(jobPrefix)))]
            texts, used = [], set()
            for start in range(0, len(ids), 100):
                r = batch.describe_jobs(jobs=ids[start:start + 100])
                r.pop("ResponseMetadata", None)
                texts.append(json.dumps(r, default=str))
                used.update(j["jobDefinition"] for j in r["jobs"])
            definitions = 0
            if used:
                r = batch.describe_job_definitions(jobDefinitions=sorted(used))
                r.pop("ResponseMetadata", None)
                definitions += len(r["jobDefinitions"])
                texts.append(json.dumps(r, default=str))
            for page in batch.get_paginator("describe_job_definitions").paginate():
                mine = [d for d in page["jobDefinitions"] if d["jobDefinitionName"].startswith(\(Self.python(definitionPrefix)))]
                definitions += len(mine)
                texts.append(json.dumps(mine, default=str))
            print(json.dumps({"text": "\\n".join(texts), "jobs": len(ids), "definitions": definitions}))
            """) as? [String: Any] ?? [:]
        return (answer["text"] as? String ?? "", answer["jobs"] as? Int ?? 0, answer["definitions"] as? Int ?? 0)
    }

    /// The `containerProperties` of the job definition a job used (DescribeJobs, then
    /// DescribeJobDefinitions), as JSON.
    func containerProperties(ofJobNamed name: String) throws -> [String: Any] {
        try boto("""
            ids = [j["jobId"] for j in batch.list_jobs(jobQueue=\(Self.python(jobQueue)), filters=[{"name": "JOB_NAME", "values": [\(Self.python(name))]}])["jobSummaryList"] if j["jobName"] == \(Self.python(name))]
            job = batch.describe_jobs(jobs=ids[:1])["jobs"][0]
            d = batch.describe_job_definitions(jobDefinitions=[job["jobDefinition"]])["jobDefinitions"][0]
            print(json.dumps(d["containerProperties"], default=str))
            """) as? [String: Any] ?? [:]
    }

    /// A Python string literal.
    static func python(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
