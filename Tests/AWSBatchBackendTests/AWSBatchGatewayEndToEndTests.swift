@testable import AWSBatchBackend
import Foundation
import SessionAPI
import SessionSDK
import SessionTestSupport
import Testing

/// The AWS Batch backend behind a whole gateway, called over gRPC: a session from a
/// preset is a Batch job on moto with its home on an EFS access point and an EFS
/// data-link, paused to a checkpoint in S3 and resumed on the same home.
@Suite("AWS Batch backend through the gateway, on moto")
struct AWSBatchGatewayEndToEndTests {
    @Test("terminals: the agent from the image, scrollback, exclusive attach, pause and resume, delete")
    func terminals() async throws {
        try await AWSBatchGatewayFixture.run { fixture, _ in
            let created = try await fixture.create("terminals", dataLinkIDs: [])
            let started = try await fixture.wait(created.id) { $0.state == .running || $0.state == .failed }
            try #require(started.session.state == .running, "\(started.session.stateReason)")
            try await TerminalScenario.run(fixture, session: created.id)
            try await fixture.delete(created.id)
            try await fixture.waitUntilGone(created.id)
        }
    }

    @Test("create with an EFS home and data-link → RUNNING → write → pause (checkpoint in S3) → resume with the file → delete, leaving nothing")
    func lifecycle() async throws {
        try await AWSBatchGatewayFixture.run { fixture, moto in
            let link = try await fixture.createDataLink(name: "scratch", location: "efs://\(moto.dataFileSystemID)/scratch/projects/a")
            let created = try await fixture.create("analysis", dataLinkIDs: [link.id])
            let started = try await fixture.wait(created.id) { $0.state == .running || $0.state == .failed }
            try #require(started.session.state == .running, "\(started.session.stateReason)")
            #expect(started.states.first == .pending || started.states.first == .starting, "\(started.states)")
            let session = SessionID(rawValue: created.id)
            let names = SessionNames(sessionID: session)
            // One session job (the gateway's checkpoints are short helper jobs beside it).
            let sessionJobs = try moto.jobs(prefix: names.jobPrefix + "a")
            #expect(sessionJobs.map(\.name) == [names.sessionJob(attempt: 1)] && sessionJobs.map(\.status) == ["RUNNING"], "\(sessionJobs)")
            let accessPoints = try moto.accessPoints(session: created.id)
            #expect(accessPoints.count == 1, "the home is an access point of its own")

            // The data-link is mounted under data/ and writable (the environment lists its file system).
            #expect(try await fixture.fetch("data/scratch/input.txt", of: created.id) == "input")
            // A file written to the home, on the emulated EFS file system.
            let home = "\(moto.efsRoot)/\(moto.fileSystemID)\(names.rootDirectory)"
            let notes = "written \(UUID().uuidString)\n"
            try notes.write(toFile: "\(home)/notes.txt", atomically: true, encoding: .utf8)
            #expect(try await fixture.fetch("notes.txt", of: created.id) == notes)

            // Pause takes a checkpoint into S3 and stops the job.
            let prefix = names.objectPrefix("sessiongw")
            let before = Set(try moto.objects(prefix: prefix + "checkpoints/"))
            try await fixture.pause(created.id)
            _ = try await fixture.wait(created.id) { $0.state == .paused }
            let taken = Set(try moto.objects(prefix: prefix + "checkpoints/")).subtracting(before)
            // (The gateway may also have taken its first periodic checkpoint meanwhile.)
            #expect(!taken.isEmpty && taken.allSatisfy { $0.hasSuffix(".tar.gz") }, "new checkpoint objects: \(taken)")
            #expect(try moto.jobs(prefix: names.jobPrefix).allSatisfy { !JobObservation.isActive($0.status) })

            // Resume is a new job on the same home.
            try await fixture.resume(created.id)
            let resumed = try await fixture.wait(created.id) { $0.state == .running || $0.state == .failed }
            try #require(resumed.session.state == .running, "\(resumed.session.stateReason)")
            #expect(try await fixture.fetch("notes.txt", of: created.id) == notes)
            #expect(try moto.jobs(prefix: names.jobPrefix + "a").map(\.name).sorted() == [names.sessionJob(attempt: 1), names.sessionJob(attempt: 2)])

            // Delete terminates the job and removes the access point and the checkpoint objects.
            try await fixture.delete(created.id)
            try await fixture.waitUntilGone(created.id)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, try !moto.objects(prefix: prefix).isEmpty || !moto.accessPoints(session: created.id).isEmpty {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(try moto.jobs(prefix: names.jobPrefix).allSatisfy { !JobObservation.isActive($0.status) })
            #expect(try moto.accessPoints(session: created.id) == [])
            #expect(try moto.objects(prefix: prefix) == [])
        }
    }
}
