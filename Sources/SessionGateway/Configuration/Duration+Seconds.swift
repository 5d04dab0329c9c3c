extension Duration {
    /// The duration in seconds, as the gateway keeps times (seconds since the Unix
    /// epoch, as a `Double`).
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
