import BackendStorage
@testable import LocalBackend
import SessionSDK
import Testing

@Suite("Custom environment builds")
struct EnvironmentBuildTests {
    @Test("a failed build names the package pip found nothing for, else pip's last error, else the exit status")
    func failureReasons() {
        let missing = """
            Collecting sessiongw-no-such-package
            ERROR: Could not find a version that satisfies the requirement sessiongw-no-such-package (from versions: none)
            ERROR: No matching distribution found for sessiongw-no-such-package
            """
        #expect(EnvironmentBuild.failureReason(log: missing, exitStatus: 1).hasPrefix(
            "the environment could not be built: package 'sessiongw-no-such-package' was not found on the package index"))
        let other = "Collecting x\nERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n"
        #expect(EnvironmentBuild.failureReason(log: other, exitStatus: 1)
            == "the environment could not be built: ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device; see the build log")
        #expect(EnvironmentBuild.failureReason(log: "", exitStatus: 137) == "the environment build exited with code 137; see the build log")
    }

    @Test("the cache key depends on the image and the packages")
    func cacheKeys() {
        let key = EnvironmentCacheKey.of(image: "python3", packages: ["numpy==2.1.0"])
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
        #expect(key == EnvironmentCacheKey.of(image: "python3", packages: ["numpy==2.1.0"]))
        #expect(key != EnvironmentCacheKey.of(image: "python3.12", packages: ["numpy==2.1.0"]))
        #expect(key != EnvironmentCacheKey.of(image: "python3", packages: ["numpy==2.1.1"]))
        #expect(EnvironmentCacheKey.of(image: "i", packages: ["a", "b"]) != EnvironmentCacheKey.of(image: "i", packages: ["ab"]))
    }
}
