import Foundation
import SessionSDK

extension ConformanceCatalog {
    /// Data-links mounted at `/workspace/data/<name>`.
    static let dataLinks: [ConformanceCase] = [
        ConformanceCase(
            .dataLinks, "links-visible",
            rule: "each mounted data-link is a directory at /workspace/data/<name>",
            requires: [.dataLinks, .execute], needs: [.dataLinks]
        ) { context in
            let links = try context.dataLinks
            let handle = try await context.createRunning("visible", withDataLinks: true).status.handle
            for mount in links.mounts {
                let check = try await context.run("test -d '\(mount.mountPath)' && ls -A '\(mount.mountPath)' > /dev/null", in: handle)
                try context.expect(
                    check.exitCode == 0,
                    "data-link '\(mount.dataLink.id)' is not a readable directory at \(mount.mountPath): \(check.errorOutput.prefix(200))")
            }
            let listing = try await context.runSucceeding("ls -A '\(DataLinkRules.mountRoot)'", in: handle)
            let names = Set(listing.split(separator: "\n").map(String.init))
            for mount in links.mounts {
                let name = ConformanceDataLinks.name(of: mount)
                try context.expect(names.contains(name), "\(DataLinkRules.mountRoot) lists \(names.sorted()), without '\(name)'")
            }
        },
        ConformanceCase(
            .dataLinks, "read-only-refuses-writes",
            rule: "a read-only data-link refuses writes: creating, changing and removing files in it fail",
            requires: [.dataLinks, .execute], needs: [.dataLinks]
        ) { context in
            let path = try context.dataLinks.readOnly.mountPath
            let handle = try await context.createRunning("readonly", withDataLinks: true).status.handle
            let file = "\(path)/\(context.newID("conformance"))"
            let write = try await context.run("echo refused > '\(file)'", in: handle)
            let directory = try await context.run("mkdir '\(file).d'", in: handle)
            let exists = try await context.run("test -e '\(file)' || test -e '\(file).d'", in: handle)
            if exists.exitCode == 0 {
                _ = try? await context.run("rm -rf '\(file)' '\(file).d'", in: handle)
            }
            try context.expect(write.exitCode != 0, "writing \(file) through the read-only link succeeded")
            try context.expect(directory.exitCode != 0, "making the directory \(file).d through the read-only link succeeded")
            try context.expect(exists.exitCode != 0, "\(file) exists after the refused write")
            let existing = try await context.run("find '\(path)' -mindepth 1 -maxdepth 1 | head -n 1", in: handle)
            let entry = existing.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if !entry.isEmpty {
                let touch = try await context.run("touch '\(entry)'", in: handle)
                try context.expect(touch.exitCode != 0, "changing the existing \(entry) through the read-only link succeeded")
            }
        },
        ConformanceCase(
            .dataLinks, "writable-accepts-writes",
            rule: "a writable data-link accepts writes, which reach its storage: another session mounting it reads them",
            requires: [.dataLinks, .execute], needs: [.dataLinks]
        ) { context in
            let path = try context.dataLinks.writable.mountPath
            let writer = try await context.createRunning("writer", withDataLinks: true).status.handle
            let name = context.newID("conformance")
            let content = context.newID("content")
            let write = try await context.run("printf '%s' '\(content)' > '\(path)/\(name)'", in: writer)
            try context.expect(write.exitCode == 0, "writing \(path)/\(name) through the writable link failed: \(write.errorOutput.prefix(200))")
            do {
                let read = try await context.run("cat '\(path)/\(name)'", in: writer)
                try context.expect(read.output == content, "reading back \(path)/\(name) gave '\(read.output.prefix(100))'")
                let reader = try await context.createRunning("reader", withDataLinks: true).status.handle
                let seen = try await context.run("cat '\(path)/\(name)'", in: reader)
                try context.expect(
                    seen.exitCode == 0 && seen.output == content,
                    "another session mounting the link does not read what was written: \(seen.exitCode == 0 ? "'\(seen.output.prefix(100))'" : seen.errorOutput.prefix(200))")
                _ = try? await context.run("rm -f '\(path)/\(name)'", in: writer)
            } catch {
                _ = try? await context.run("rm -f '\(path)/\(name)'", in: writer)
                throw error
            }
        },
        ConformanceCase(
            .dataLinks, "nothing-outside-reachable",
            rule: "nothing outside a data-link's directory is reachable through it: its parent shows only the mounted links and the store's other entries are not visible",
            requires: [.dataLinks, .execute], needs: [.dataLinks]
        ) { context in
            let links = try context.dataLinks
            let handle = try await context.createRunning("confined", withDataLinks: true).status.handle
            let names = Set(links.mounts.map(ConformanceDataLinks.name(of:)))
            for mount in links.mounts {
                let listing = try await context.runSucceeding("ls -A '\(mount.mountPath)/..'", in: handle)
                let seen = Set(listing.split(separator: "\n").map(String.init))
                try context.expect(
                    seen == names,
                    "\(mount.mountPath)/.. lists \(seen.sorted().prefix(10)), not only the mounted links \(names.sorted())")
            }
            if let outside = links.outsideEntry {
                for path in ["\(links.writable.mountPath)/\(outside)", "\(links.writable.mountPath)/../\(outside)"] {
                    let check = try await context.run("test -e '\(path)'", in: handle)
                    try context.expect(check.exitCode != 0, "'\(outside)', which is outside the writable link's directory, is reachable as \(path)")
                }
            }
        },
    ]
}
