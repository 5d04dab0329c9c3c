@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: data-links")
struct SessionStoreDataLinksTests {
    let bucket = DataLinkLocation(scheme: .s3, bucket: "biopharmaX", prefix: "experiments/project-A")
    let lab = WorkspaceID(rawValue: "lab")

    @Test("names are normalized and unique per workspace; a duplicate is ALREADY_EXISTS naming it")
    func uniqueNames() async throws {
        try await StoreFixtures.withStore { store async throws in
            let link = try await store.createDataLink(workspace: .default, name: "Project A", location: bucket)
            #expect(link.name == "project-a")
            #expect(link.id.hasPrefix("d-"))
            for duplicate in ["project-a", "PROJECT_A", "project.a"] {
                let error = await expectSessionError(.alreadyExists) {
                    _ = try await store.createDataLink(workspace: .default, name: duplicate, location: bucket)
                }
                #expect(error?.message.contains("'project-a'") == true)
            }
            #expect(try await store.listDataLinks(workspace: .default).items == [link])
            try await store.createWorkspace(lab)
            #expect(try await store.createDataLink(workspace: lab, name: "Project A", location: bucket).name == "project-a")
            await expectSessionError(.invalidArgument) {
                _ = try await store.createDataLink(workspace: .default, name: "///", location: bucket)
            }
        }
    }

    @Test("a spec's links are read in order; a deleted one is NOT_FOUND, or left out when reading what still exists")
    func existingLinks() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await store.createDataLink(workspace: .default, name: "a", location: bucket)
            let b = try await store.createDataLink(workspace: .default, name: "b", location: bucket)
            #expect(try await store.dataLinks(ids: [b.id, a.id], workspace: .default) == [b, a])
            try await store.deleteDataLink(id: a.id, workspace: .default)
            await expectSessionError(.notFound) { _ = try await store.dataLinks(ids: [b.id, a.id], workspace: .default) }
            // A session as an older snapshot (one a resumed watch replays) shows it.
            var session = try await StoreFixtures.create(store, "linked")
            session.spec.dataLinks = [b.id, a.id]
            #expect(try await store.readings(of: [session]).map(\.dataLinks) == [[b]])
        }
    }

    @Test("without a name, the name is derived from bucket and path")
    func derivedName() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let link = try await store.createDataLink(workspace: .default, name: nil, location: bucket)
            #expect(link.name == "biopharmax-experiments-project-a")
        }
    }

    @Test("get is NOT_FOUND across workspaces; list pages in creation order")
    func getAndList() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            try await store.createWorkspace(lab)
            var links: [DataLink] = []
            for index in 0..<7 {
                links.append(try await store.createDataLink(
                    workspace: .default, name: "link \(index)", location: bucket, description: "#\(index)", now: Double(index)))
            }
            #expect(try await store.dataLink(id: links[3].id, workspace: .default) == links[3])
            await expectSessionError(.notFound) { _ = try await store.dataLink(id: links[3].id, workspace: lab) }
            #expect(try await store.dataLinks(ids: [links[2].id, links[0].id], workspace: .default) == [links[2], links[0]])
            await expectSessionError(.notFound) { _ = try await store.dataLinks(ids: [links[0].id], workspace: lab) }

            var seen: [DataLink] = []
            var token = ""
            repeat {
                let page = try await store.listDataLinks(workspace: .default, pageSize: 3, pageToken: token)
                seen += page.items
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == links)
            await expectSessionError(.invalidArgument) {
                _ = try await store.listDataLinks(workspace: .default, pageSize: 3, pageToken: "garbage")
            }
        }
    }

    @Test("delete is refused while a session mounts the link, naming the session")
    func deleteWhileMounted() async throws {
        try await StoreFixtures.withStore { store async throws in
            let link = try await store.createDataLink(workspace: .default, name: "raw", location: bucket)
            let session = try await StoreFixtures.create(store, "analysis", spec: StoreFixtures.spec(dataLinks: [link.id]))
            let error = await expectSessionError(.failedPrecondition) {
                try await store.deleteDataLink(id: link.id, workspace: .default)
            }
            #expect(error?.message.contains("'analysis'") == true)
            #expect(try await store.dataLink(id: link.id, workspace: .default) == link)

            try await store.updateSession(id: session.id) { $0.spec.dataLinks = [] }
            try await store.deleteDataLink(id: link.id, workspace: .default)
            await expectSessionError(.notFound) { _ = try await store.dataLink(id: link.id, workspace: .default) }
            await expectSessionError(.notFound) { try await store.deleteDataLink(id: link.id, workspace: .default) }
            // A session can no longer mount it.
            await expectSessionError(.notFound) {
                try await store.updateSession(id: session.id) { $0.spec.dataLinks = [link.id] }
            }
        }
    }

    @Test("a link of another workspace cannot be mounted")
    func foreignLink() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            try await store.createWorkspace(lab)
            let foreign = try await store.createDataLink(workspace: lab, name: "raw", location: bucket)
            await expectSessionError(.notFound) {
                try await StoreFixtures.create(store, "a", spec: StoreFixtures.spec(dataLinks: [foreign.id]))
            }
        }
    }

    @Test("deleting the mounting session frees the link")
    func deleteAfterSession() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let link = try await store.createDataLink(workspace: .default, name: "raw", location: bucket)
            let session = try await StoreFixtures.create(store, "a", spec: StoreFixtures.spec(dataLinks: [link.id, link.id]))
            try await store.deleteSession(id: session.id)
            try await store.deleteDataLink(id: link.id, workspace: .default)
        }
    }
}
