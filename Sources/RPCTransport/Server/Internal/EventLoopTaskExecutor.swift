internal import NIOCore

/// Runs Swift tasks on a SwiftNIO event loop, so a connection's handlers run on the
/// thread that does its I/O: no cross-thread hop between reading a request, running the
/// handler and writing the response.
final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
